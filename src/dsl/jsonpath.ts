// A JSONPath subset parsed once at compile time into segments, then turned into a closure.
// Supported: $  .name  ['name']  ['a','b']  [0]  [-1]  [0,2]  [*]  .*  [start:end:step]  ..name  ..*
//            [?(<filter>)] with @.path, literals, == != < <= > >=, &&, ||, !, parentheses.
import type { CompiledSelector, FilterExpr, FilterOperand, Json, PathSegment } from "./types";

export class JsonPathSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

class Cursor {
  pos = 0;
  constructor(readonly src: string) {}
  peek(n = 0): string {
    return this.src[this.pos + n] ?? "";
  }
  eof(): boolean {
    return this.pos >= this.src.length;
  }
  skipWs(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }
  fail(message: string, at = this.pos): never {
    throw new JsonPathSyntaxError(message, at);
  }
  expect(s: string): void {
    if (!this.src.startsWith(s, this.pos)) this.fail(`expected '${s}'`);
    this.pos += s.length;
  }
}

const NAME_RE = /[A-Za-z0-9_$\-]/;

function readName(c: Cursor): string {
  const start = c.pos;
  while (!c.eof() && NAME_RE.test(c.peek())) c.pos++;
  if (c.pos === start) c.fail("expected a member name");
  return c.src.slice(start, c.pos);
}

function readQuoted(c: Cursor): string {
  const q = c.peek();
  if (q !== "'" && q !== '"') c.fail("expected a quoted name");
  c.pos++;
  let out = "";
  while (true) {
    if (c.eof()) c.fail("unterminated string");
    const ch = c.peek();
    if (ch === "\\") {
      out += c.peek(1);
      c.pos += 2;
      continue;
    }
    c.pos++;
    if (ch === q) return out;
    out += ch;
  }
}

function readInt(c: Cursor): number {
  const m = /^-?\d+/.exec(c.src.slice(c.pos));
  if (!m) c.fail("expected an integer");
  c.pos += m[0].length;
  return Number(m[0]);
}

function parseBracket(c: Cursor): PathSegment {
  c.expect("[");
  c.skipWs();
  let seg: PathSegment;
  const ch = c.peek();
  if (ch === "*") {
    c.pos++;
    seg = { kind: "wildcard" };
  } else if (ch === "?") {
    const start = c.pos;
    c.pos++;
    c.skipWs();
    c.expect("(");
    const expr = parseOr(c);
    c.skipWs();
    c.expect(")");
    seg = { kind: "filter", expr, source: c.src.slice(start, c.pos) };
  } else if (ch === "'" || ch === '"') {
    const names = [readQuoted(c)];
    c.skipWs();
    while (c.peek() === ",") {
      c.pos++;
      c.skipWs();
      names.push(readQuoted(c));
      c.skipWs();
    }
    seg = names.length === 1 ? { kind: "name", name: names[0] } : { kind: "names", names };
  } else if (ch === ":" || /[-\d]/.test(ch)) {
    const first = ch === ":" ? null : readInt(c);
    c.skipWs();
    if (c.peek() === ":") {
      c.pos++;
      c.skipWs();
      const end = /[-\d]/.test(c.peek()) ? readInt(c) : null;
      c.skipWs();
      let step = 1;
      if (c.peek() === ":") {
        c.pos++;
        c.skipWs();
        step = readInt(c);
        if (step === 0) c.fail("slice step cannot be 0");
      }
      seg = { kind: "slice", start: first, end, step };
    } else {
      const indexes = [first as number];
      while (c.peek() === ",") {
        c.pos++;
        c.skipWs();
        indexes.push(readInt(c));
        c.skipWs();
      }
      seg = indexes.length === 1 ? { kind: "index", index: indexes[0] } : { kind: "indexes", indexes };
    }
  } else {
    c.fail("expected *, an index, a slice, a quoted name or a ?(filter) inside [ ]");
  }
  c.skipWs();
  c.expect("]");
  return seg;
}

function parseRelative(c: Cursor): Array<{ kind: "name"; name: string } | { kind: "index"; index: number }> {
  const path: Array<{ kind: "name"; name: string } | { kind: "index"; index: number }> = [];
  while (true) {
    if (c.peek() === "." && c.peek(1) !== ".") {
      c.pos++;
      path.push({ kind: "name", name: readName(c) });
    } else if (c.peek() === "[") {
      c.pos++;
      c.skipWs();
      if (c.peek() === "'" || c.peek() === '"') path.push({ kind: "name", name: readQuoted(c) });
      else path.push({ kind: "index", index: readInt(c) });
      c.skipWs();
      c.expect("]");
    } else return path;
  }
}

function parseOperand(c: Cursor): FilterOperand {
  c.skipWs();
  const ch = c.peek();
  if (ch === "@") {
    c.pos++;
    return { kind: "current", path: parseRelative(c) };
  }
  if (ch === "'" || ch === '"') return { kind: "literal", value: readQuoted(c) };
  const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(c.src.slice(c.pos));
  if (!m) c.fail("expected @.path, a string, a number, true, false or null");
  c.pos += m[0].length;
  return { kind: "literal", value: JSON.parse(m[0]) as Json };
}

function parsePrimary(c: Cursor): FilterExpr {
  c.skipWs();
  if (c.peek() === "!") {
    c.pos++;
    return { kind: "not", expr: parsePrimary(c) };
  }
  if (c.peek() === "(") {
    c.pos++;
    const e = parseOr(c);
    c.skipWs();
    c.expect(")");
    return e;
  }
  const left = parseOperand(c);
  c.skipWs();
  const m = /^(==|!=|<=|>=|<|>)/.exec(c.src.slice(c.pos));
  if (!m) {
    if (left.kind !== "current") c.fail("a literal alone is not a condition; compare it with @.path");
    return { kind: "exists", operand: left };
  }
  c.pos += m[0].length;
  const right = parseOperand(c);
  return { kind: "cmp", op: m[0] as "==", left, right };
}

function parseAnd(c: Cursor): FilterExpr {
  let left = parsePrimary(c);
  c.skipWs();
  while (c.src.startsWith("&&", c.pos)) {
    c.pos += 2;
    left = { kind: "and", left, right: parsePrimary(c) };
    c.skipWs();
  }
  return left;
}

function parseOr(c: Cursor): FilterExpr {
  let left = parseAnd(c);
  c.skipWs();
  while (c.src.startsWith("||", c.pos)) {
    c.pos += 2;
    left = { kind: "or", left, right: parseAnd(c) };
    c.skipWs();
  }
  return left;
}

/** Parses `expr`; throws JsonPathSyntaxError with the offset of the problem. */
export function parseJsonPath(expr: string): CompiledSelector {
  const c = new Cursor(expr);
  if (c.peek() !== "$") c.fail("a JSONPath starts with '$'");
  c.pos++;
  const segments: PathSegment[] = [];
  while (!c.eof()) {
    const ch = c.peek();
    if (ch === "." && c.peek(1) === ".") {
      c.pos += 2;
      if (c.peek() === "*") {
        c.pos++;
        segments.push({ kind: "descendant", name: null });
      } else segments.push({ kind: "descendant", name: readName(c) });
    } else if (ch === ".") {
      c.pos++;
      if (c.peek() === "*") {
        c.pos++;
        segments.push({ kind: "wildcard" });
      } else segments.push({ kind: "name", name: readName(c) });
    } else if (ch === "[") {
      segments.push(parseBracket(c));
    } else c.fail(`unexpected '${ch}'`);
  }
  const definite = segments.every((s) => s.kind === "name" || s.kind === "index");
  return { expr, segments, definite };
}

// ---- evaluation -------------------------------------------------------------------------------

type Getter = (value: unknown) => unknown;

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function child(value: unknown, name: string): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && own(value, name)) {
    return (value as Record<string, unknown>)[name];
  }
  return undefined;
}

function at(value: unknown, index: number): unknown {
  if (!Array.isArray(value)) return undefined;
  const i = index < 0 ? value.length + index : index;
  return i >= 0 && i < value.length ? value[i] : undefined;
}

function members(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === "object") return Object.values(value);
  return [];
}

type DefiniteSegment = { kind: "name"; name: string } | { kind: "index"; index: number };

/**
 * A definite path compiled to straight-line JavaScript: selection is the hot path of every mapped
 * document, and a generated property chain is several times faster than interpreting segments.
 * Names are embedded with JSON.stringify, so no DSL text is ever evaluated as code. `missing` is what
 * an absent path yields (undefined inside filters, null for a field's selector).
 */
function definiteGetter(path: DefiniteSegment[], missing: "undefined" | "null" = "undefined"): Getter {
  let body = "var v = doc;\n";
  for (const s of path) {
    if (s.kind === "name") {
      const key = JSON.stringify(s.name);
      // Only names that exist on Object.prototype (constructor, __proto__, …) can be inherited from a JSON object.
      const own = s.name in Object.prototype ? ` || !Object.prototype.hasOwnProperty.call(v, ${key})` : "";
      body += `if (v === null || typeof v !== "object" || Array.isArray(v)${own}) return ${missing};\nv = v[${key}];\n`;
    } else {
      const index = s.index < 0 ? `v.length - ${-s.index}` : String(s.index);
      body += `if (!Array.isArray(v)) return ${missing};\nv = v[${index}];\n`;
    }
    body += `if (v === undefined) return ${missing};\n`;
  }
  body += "return v;";
  return new Function("doc", body) as Getter;
}

function compileFilter(e: FilterExpr): (v: unknown) => boolean {
  switch (e.kind) {
    case "and": {
      const l = compileFilter(e.left), r = compileFilter(e.right);
      return (v) => l(v) && r(v);
    }
    case "or": {
      const l = compileFilter(e.left), r = compileFilter(e.right);
      return (v) => l(v) || r(v);
    }
    case "not": {
      const inner = compileFilter(e.expr);
      return (v) => !inner(v);
    }
    case "exists": {
      const get = operand(e.operand);
      return (v) => {
        const x = get(v);
        return x !== undefined && x !== null && x !== false;
      };
    }
    case "cmp": {
      const l = operand(e.left), r = operand(e.right);
      const cmp = comparators[e.op];
      return (v) => cmp(l(v), r(v));
    }
  }
}

function operand(o: FilterOperand): Getter {
  if (o.kind === "literal") {
    const value = o.value;
    return () => value;
  }
  return definiteGetter(o.path);
}

const ordered = (f: (a: number | string, b: number | string) => boolean) => (a: unknown, b: unknown): boolean =>
  (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string") ? f(a, b) : false;

const comparators: Record<string, (a: unknown, b: unknown) => boolean> = {
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": ordered((a, b) => a < b),
  "<=": ordered((a, b) => a <= b),
  ">": ordered((a, b) => a > b),
  ">=": ordered((a, b) => a >= b),
};

function descend(value: unknown, out: unknown[]): void {
  // Iterative so that hostile, deeply nested documents cannot blow the stack.
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    out.push(v);
    const kids = members(v);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** One step of an indefinite path: appends what it selects from each node to `out` (plain loops, no per-node arrays). */
type Step = (nodes: unknown[], out: unknown[]) => void;

function pushMembers(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) out.push(v[i]);
  } else if (v !== null && typeof v === "object") {
    for (const k in v) if (own(v, k)) out.push((v as Record<string, unknown>)[k]);
  }
}

function step(seg: PathSegment): Step {
  switch (seg.kind) {
    case "name": {
      const name = seg.name;
      return (nodes, out) => {
        for (let i = 0; i < nodes.length; i++) {
          const x = child(nodes[i], name);
          if (x !== undefined) out.push(x);
        }
      };
    }
    case "names": {
      const names = seg.names;
      return (nodes, out) => {
        for (let i = 0; i < nodes.length; i++) {
          for (let j = 0; j < names.length; j++) {
            const x = child(nodes[i], names[j]);
            if (x !== undefined) out.push(x);
          }
        }
      };
    }
    case "index": {
      const index = seg.index;
      return (nodes, out) => {
        for (let i = 0; i < nodes.length; i++) {
          const x = at(nodes[i], index);
          if (x !== undefined) out.push(x);
        }
      };
    }
    case "indexes": {
      const indexes = seg.indexes;
      return (nodes, out) => {
        for (let i = 0; i < nodes.length; i++) {
          for (let j = 0; j < indexes.length; j++) {
            const x = at(nodes[i], indexes[j]);
            if (x !== undefined) out.push(x);
          }
        }
      };
    }
    case "wildcard":
      return (nodes, out) => {
        for (let i = 0; i < nodes.length; i++) pushMembers(nodes[i], out);
      };
    case "slice":
      return (nodes, out) => {
        for (let i = 0; i < nodes.length; i++) {
          const n = nodes[i];
          if (Array.isArray(n)) for (const x of slice(n, seg.start, seg.end, seg.step)) out.push(x);
        }
      };
    case "descendant": {
      const name = seg.name;
      return (nodes, out) => {
        const all: unknown[] = [];
        for (const n of nodes) descend(n, all);
        if (name === null) {
          for (const n of all) pushMembers(n, out);
          return;
        }
        for (const n of all) {
          const x = child(n, name);
          if (x !== undefined) out.push(x);
        }
      };
    }
    case "filter": {
      const test = compileFilter(seg.expr);
      return (nodes, out) => {
        const kids: unknown[] = [];
        for (let i = 0; i < nodes.length; i++) pushMembers(nodes[i], kids);
        for (let i = 0; i < kids.length; i++) if (test(kids[i])) out.push(kids[i]);
      };
    }
  }
}

function slice(arr: unknown[], start: number | null, end: number | null, stepBy: number): unknown[] {
  const len = arr.length;
  const norm = (i: number) => (i < 0 ? Math.max(len + i, 0) : Math.min(i, len));
  const out: unknown[] = [];
  if (stepBy > 0) {
    for (let i = start === null ? 0 : norm(start); i < (end === null ? len : norm(end)); i += stepBy) out.push(arr[i]);
  } else {
    const lo = end === null ? -1 : norm(end);
    for (let i = start === null ? len - 1 : Math.min(norm(start), len - 1); i > lo; i += stepBy) out.push(arr[i]);
  }
  return out;
}

/**
 * Turns a parsed selector into a function of a document. A definite selector returns the value or null
 * (missing path → null); an indefinite one returns the array of matches ([] when nothing matches).
 */
export function compileSelector(sel: CompiledSelector): (doc: unknown) => unknown {
  if (sel.definite) return definiteGetter(sel.segments as DefiniteSegment[], "null");
  // The definite prefix ($.legs of $.legs[*].legId) is a plain lookup; steps start at the first indefinite segment.
  let k = 0;
  while (sel.segments[k].kind === "name" || sel.segments[k].kind === "index") k++;
  const prefix = definiteGetter(sel.segments.slice(0, k) as DefiniteSegment[]);
  const steps = sel.segments.slice(k).map(step);
  return (doc) => {
    const start = k === 0 ? doc : prefix(doc);
    if (start === undefined) return [];
    let nodes: unknown[] = [start];
    for (let i = 0; i < steps.length; i++) {
      const out: unknown[] = [];
      steps[i](nodes, out);
      if (out.length === 0) return out;
      nodes = out;
    }
    return nodes;
  };
}
