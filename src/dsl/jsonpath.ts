// JSONPath evaluation: a parsed selector (jsonpath-parse.ts) turned into a closure, once per compile.
import type { CompiledSelector, FilterExpr, FilterOperand, PathSegment } from "./types";


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
