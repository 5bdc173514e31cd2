// The values Elasticsearch certainly rejects for a field's mapping type (after the pipeline, at indexing
// time, where a rejected document is neither indexed nor sent to on_failure). The pipeline's script runs
// the same check (msMappingProblem in painless/runtime.ts, proven equal in test/es-conformance) and sends
// such a document to the failure index; `simulate` can call this to report it as a failed document.
// Deliberately lenient: only what is rejected whatever the mapping options (coerce, formats) are.
import type { Json } from "../../dsl/types";

/** java.lang.String.trim(): code units up to U+0020. */
const javaTrim = (s: string) => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?)$/;

function javaParseDouble(t: string): number {
  if (/NaN$/.test(t)) return NaN;
  if (/Infinity$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?0[xX]/.test(t)) return 0; // hex floats: finite for our purpose
  return Number(t.replace(/[fFdD]$/, ""));
}

export function esMappingProblem(type: string, v: Json): string | null {
  if (v === null) return null;
  if (type === "long" || type === "integer" || type === "double") {
    if (typeof v === "boolean" || (typeof v === "object" && !Array.isArray(v))) return "not a number";
    let d: number;
    if (typeof v === "string") {
      const t = javaTrim(v);
      if (type === "double") {
        if (!JAVA_DOUBLE.test(t)) return "not a number";
        d = javaParseDouble(t);
      } else {
        if (!DECIMAL.test(t)) return "not a number";
        d = Number(t);
      }
    } else if (typeof v === "number") d = v;
    else return "not a number";
    if (!Number.isFinite(d)) return "not a finite number";
    if (type === "long" && (d >= 9.223372036854775807e18 || d < -9.223372036854775808e18)) return "out of range";
    if (type === "integer" && (d >= 2147483648 || d < -2147483648)) return "out of range";
    return null;
  }
  if (type === "boolean") return typeof v === "boolean" || v === "true" || v === "false" || v === "" ? null : "not a boolean";
  const isObject = typeof v === "object" && !Array.isArray(v);
  if (type === "object" || type === "nested") return isObject ? null : "not an object";
  if (type === "keyword" || type === "text" || type === "ip" || type === "date") return isObject ? "an object where a value is expected" : null;
  return null;
}

/** Every leaf value at a dotted target (arrays are walked, as Elasticsearch indexes each element). */
export function leavesAt(source: unknown, parts: string[]): Json[] {
  const out: Json[] = [];
  const walk = (node: unknown, i: number) => {
    if (Array.isArray(node)) return node.forEach((x) => walk(x, i));
    if (i === parts.length) return void out.push(node as Json);
    if (node && typeof node === "object" && Object.prototype.hasOwnProperty.call(node, parts[i])) walk((node as Record<string, unknown>)[parts[i]], i + 1);
  };
  walk(source, 0);
  return out;
}

/** The first value of a mapped document that Elasticsearch would reject: "field [t] of type [x]: why". */
export function documentMappingProblem(fields: Array<{ target: string; type: string }>, source: Record<string, unknown>): string | null {
  return compileMappingCheck(fields)(source);
}

/** A leaf test of one field: why Elasticsearch rejects the value, or null (never called with an array). */
type LeafTest = (v: Json) => string | null;

const isObjectValue = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);
const objectWhereValue = (v: Json): string | null => (isObjectValue(v) ? "an object where a value is expected" : null);
const notObject = (v: Json): string | null => (v === null || isObjectValue(v) ? null : "not an object");

/** esMappingProblem for one type, resolved once; null when the type rejects nothing (the field need not be walked). */
function leafTest(type: string): LeafTest | null {
  if (type === "keyword" || type === "text" || type === "ip" || type === "date") return objectWhereValue;
  if (type === "object" || type === "nested") return notObject;
  if (type === "long" || type === "integer" || type === "double" || type === "boolean") return (v) => esMappingProblem(type, v);
  return null;
}

/**
 * documentMappingProblem compiled once per mapping: each field's target split once and its type's test
 * resolved once; per document, the leaves are visited in leavesAt's order without collecting them, and
 * fields whose type rejects nothing are not visited. Same answer as checking leavesAt's list in order.
 */
export function compileMappingCheck(fields: Array<{ target: string; type: string }>): (source: Record<string, unknown>) => string | null {
  const checks: Array<{ parts: string[]; test: LeafTest; prefix: string }> = [];
  for (const f of fields) {
    if (f.target === "_id") continue;
    const test = leafTest(f.type);
    if (test) checks.push({ parts: f.target.split("."), test, prefix: `field [${f.target}] of type [${f.type}]: ` });
  }
  const own = Object.prototype.hasOwnProperty;
  /** The first rejected leaf under `node` from part i on (arrays walked element by element), or null. */
  const first = (node: unknown, parts: string[], i: number, test: LeafTest): string | null => {
    if (Array.isArray(node)) {
      for (let j = 0; j < node.length; j++) {
        const x = node[j];
        if (x === undefined && !(j in node)) continue; // a hole: forEach in leavesAt skips it
        const why = first(x, parts, i, test);
        if (why !== null) return why;
      }
      return null;
    }
    if (i === parts.length) return test(node as Json);
    if (node && typeof node === "object" && own.call(node, parts[i])) return first((node as Record<string, unknown>)[parts[i]], parts, i + 1, test);
    return null;
  };
  return (source) => {
    for (let k = 0; k < checks.length; k++) {
      const c = checks[k];
      const why = first(source, c.parts, 0, c.test);
      if (why) return c.prefix + why;
    }
    return null;
  };
}
