// A JSONPath subset, parsed once at compile time into segments (evaluation: jsonpath.ts).
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
