// Semantic checks and compilation of one field: its selectors, its ops and the shape of the value
// between ops, so that `objectify` on a scalar or `zip` output typed `keyword` fail at compile time.
import { dateParser } from "./dates";
import { JsonPathSyntaxError, parseJsonPath } from "./jsonpath-parse";
import type { PathKey } from "./source";
import type {
  CompiledField, CompiledOp, CompiledSelector, DruidFieldType, EsFieldType, Json, OpName, ValueShape,
} from "./types";

export interface Problem {
  path: PathKey[];
  message: string;
  /** Extra columns into the node (for JSONPath errors inside a string). */
  offset?: number;
  key?: boolean;
}

/** Parses JSONPath expressions once per compile run, across all datasets (the seed's "JSONPath cache"). */
export class SelectorCache {
  private readonly cache = new Map<string, CompiledSelector | JsonPathSyntaxError>();
  hits = 0;
  misses = 0;
  get(expr: string): CompiledSelector | JsonPathSyntaxError {
    const hit = this.cache.get(expr);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    let parsed: CompiledSelector | JsonPathSyntaxError;
    try {
      parsed = parseJsonPath(expr);
    } catch (e) {
      if (!(e instanceof JsonPathSyntaxError)) throw e;
      parsed = e;
    }
    this.cache.set(expr, parsed);
    return parsed;
  }
}

export const KNOWN_OPS: OpName[] = [
  "cast", "trim", "lowercase", "uppercase", "default", "coalesce", "concat", "join", "split", "replace", "date", "map", "zip", "objectify",
];

const ELEMENTWISE: OpName[] = ["cast", "trim", "lowercase", "uppercase", "replace", "date", "map"];

const DRUID_TYPE_OF: Record<EsFieldType, DruidFieldType> = {
  keyword: "string", text: "string", ip: "string", geo_point: "string", boolean: "string", date: "long",
  long: "long", integer: "long", double: "double", object: "json", nested: "json",
};

const CAST_TYPES: Record<string, EsFieldType[]> = {
  string: ["keyword", "text", "ip", "date", "geo_point"],
  long: ["long", "integer", "date"],
  double: ["double"],
  boolean: ["boolean"],
};

type RawOp = { name: string; arg: unknown; hasArg: boolean };

function splitOp(raw: unknown): RawOp | null {
  if (typeof raw === "string") return { name: raw, arg: undefined, hasArg: false };
  if (raw && typeof raw === "object" && !Array.isArray(raw) && Object.keys(raw).length === 1) {
    const [name, arg] = Object.entries(raw)[0];
    return { name, arg, hasArg: true };
  }
  return null;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** Op with its arguments checked; returns a message for bad arguments. */
function buildOp(r: RawOp): CompiledOp | string {
  const a = r.arg;
  switch (r.name as OpName) {
    case "cast":
      return ["string", "long", "double", "boolean"].includes(a as string)
        ? { op: "cast", to: a as "long" }
        : `cast needs one of string, long, double, boolean (got ${JSON.stringify(a ?? null)})`;
    case "trim":
    case "lowercase":
    case "uppercase":
    case "coalesce":
      return r.hasArg && a !== null ? `${r.name} takes no argument` : { op: r.name as "trim" };
    case "default":
      return r.hasArg ? { op: "default", value: (a ?? null) as Json } : "default needs a value (default: <value>)";
    case "concat":
      if (!r.hasArg || a === null) return { op: "concat", separator: "" };
      return isObj(a) && (a.separator === undefined || typeof a.separator === "string")
        ? { op: "concat", separator: (a.separator as string) ?? "" }
        : "concat takes {separator: <string>}";
    case "join": {
      const sep = !r.hasArg ? "," : typeof a === "string" ? a : isObj(a) && typeof a.separator === "string" ? a.separator : null;
      return sep === null ? "join takes a separator string" : { op: "join", separator: sep };
    }
    case "split": {
      const sep = typeof a === "string" ? a : isObj(a) && typeof a.separator === "string" ? a.separator : null;
      return sep ? { op: "split", separator: sep } : "split needs a non-empty separator string";
    }
    case "replace": {
      if (!isObj(a) || typeof a.pattern !== "string") return "replace needs {pattern: <regex>, with: <string>}";
      try {
        new RegExp(a.pattern, "g");
      } catch (e) {
        return `replace pattern is not a valid regular expression: ${(e as Error).message}`;
      }
      if (/\(\?<[A-Za-z]|\\k<|\(\?<[=!]/.test(a.pattern)) return "replace pattern uses named groups or lookbehind, which Elasticsearch's regex engine and JavaScript read differently";
      return { op: "replace", pattern: a.pattern, replacement: typeof a.with === "string" ? a.with : "" };
    }
    case "date": {
      if (!isObj(a) || !Array.isArray(a.formats) || a.formats.length === 0) return "date needs {formats: [...], to: iso8601|epoch_millis}";
      for (const f of a.formats) {
        if (typeof f !== "string") return "date formats must be strings";
        const p = dateParser(f);
        if (typeof p === "string") return p;
      }
      const to = a.to ?? "iso8601";
      if (to !== "iso8601" && to !== "epoch_millis") return `date 'to' must be iso8601 or epoch_millis (got ${JSON.stringify(to)})`;
      const tz = a.timezone ?? "UTC";
      if (tz !== "UTC") return `date timezone '${String(tz)}' is not supported: only UTC (give the offset in the input or the pattern's XXX)`;
      return { op: "date", formats: a.formats as string[], to, timezone: "UTC" };
    }
    case "map":
      if (!isObj(a) || !isObj(a.table)) return "map needs {table: {from: to, …}, default: <value>}";
      return { op: "map", table: a.table as Record<string, Json>, default: (a.default ?? null) as Json };
    case "zip":
      if (!isObj(a) || (a.mode !== "pad" && a.mode !== "truncate")) return "zip needs {mode: pad|truncate, pad: <value>}";
      if (a.mode === "truncate" && a.pad !== undefined) return "zip pad value is only used with mode: pad";
      return { op: "zip", mode: a.mode, pad: (a.pad ?? null) as Json };
    case "objectify": {
      if (!isObj(a) || !Array.isArray(a.keys) || a.keys.length === 0 || !a.keys.every((k) => typeof k === "string")) {
        return "objectify needs {keys: [name, …]}";
      }
      if (new Set(a.keys).size !== a.keys.length) return "objectify keys must be unique";
      return { op: "objectify", keys: a.keys as string[] };
    }
    default:
      return `unknown op '${r.name}' (known ops: ${KNOWN_OPS.join(", ")})`;
  }
}

/** Shape after `op`, or a message when the op does not apply to `shape`. */
function nextShape(op: CompiledOp, shape: ValueShape, inputs: CompiledSelector[]): { shape: ValueShape } | { error: string } {
  const r = nextShapeOrError(op, shape, inputs);
  return (["single", "array", "multi", "tuples", "objects"] as string[]).includes(r) ? { shape: r as ValueShape } : { error: r };
}

function nextShapeOrError(op: CompiledOp, shape: ValueShape, inputs: CompiledSelector[]): string {
  const name = op.op;
  if (ELEMENTWISE.includes(name)) {
    if (shape === "single" || shape === "array") return shape;
    return `${name} applies to a single value or an array of values, not to ${shapeText(shape)}` +
      (shape === "multi" ? "; start with coalesce, concat or zip to combine the selectors" : "");
  }
  switch (name) {
    case "default":
      return shape === "multi" ? "default applies to one value; combine the selectors first (coalesce, concat or zip)" : shape;
    case "coalesce":
    case "concat":
      if (shape !== "multi") return `${name} combines several selectors (from: [$.a, $.b]), but this field has ${shapeText(shape)}`;
      if (name === "concat" && !inputs.every((s) => s.definite)) return "concat needs single-valued selectors; use join for arrays";
      return inputs.every((s) => s.definite) ? "single" : "array";
    case "zip":
      return shape === "multi" ? "tuples" : `zip combines several array selectors (from: [$.a[*], $.b[*]]), but this field has ${shapeText(shape)}`;
    case "objectify":
      return shape === "tuples" || shape === "array" ? "objects" : `objectify needs an array of tuples (zip output or a [*] selector), not ${shapeText(shape)}`;
    case "join":
      return shape === "array" ? "single" : `join needs an array, not ${shapeText(shape)}`;
    case "split":
      return shape === "single" ? "array" : `split needs a single string, not ${shapeText(shape)}`;
    default:
      return shape;
  }
}

function shapeText(s: ValueShape): string {
  return { single: "a single value", array: "an array of values", multi: "several selectors", tuples: "tuples (zip output)", objects: "objects (objectify output)" }[s];
}

/** Whether a value of `shape`, last transformed by `last`, can be stored as `type`. */
function typeProblem(type: EsFieldType, shape: ValueShape, ops: CompiledOp[]): string | null {
  if (shape === "multi") return "several selectors need coalesce, concat or zip to make one value";
  if (shape === "tuples") return "zip produces tuples, which no field type stores; add objectify to name their keys";
  if (shape === "objects") return type === "nested" || type === "object" ? null : `objectify produces objects; type must be nested or object, not ${type}`;
  const casts = ops.filter((o): o is Extract<CompiledOp, { op: "cast" }> => o.op === "cast");
  const lastCast = casts[casts.length - 1];
  const dateOp = [...ops].reverse().find((o) => o.op === "date" || o.op === "cast");
  if ((type === "object" || type === "nested") && ops.some((o) => ELEMENTWISE.includes(o.op) || o.op === "split" || o.op === "join" || o.op === "concat")) {
    return `type ${type} stores objects, but the ops produce scalar values`;
  }
  if (dateOp?.op === "date") {
    const ok = dateOp.to === "iso8601" ? ["date", "keyword"] : ["date", "long"];
    if (!ok.includes(type)) return `date op outputs ${dateOp.to}; type must be ${ok.join(" or ")}, not ${type}`;
  } else if (lastCast && !CAST_TYPES[lastCast.to].includes(type)) {
    return `cast to ${lastCast.to} does not fit type ${type} (use ${CAST_TYPES[lastCast.to].join(", ")})`;
  }
  const last = ops[ops.length - 1];
  if (last && (last.op === "join" || last.op === "concat") && !["keyword", "text"].includes(type)) {
    return `${last.op} produces a string; type must be keyword or text, not ${type}`;
  }
  return null;
}

export interface FieldInput {
  raw: Record<string, unknown>;
  path: PathKey[];
}

export function compileField(input: FieldInput, cache: SelectorCache, problems: Problem[]): CompiledField | null {
  const { raw, path } = input;
  const before = problems.length;
  const froms = typeof raw.from === "string" ? [raw.from] : Array.isArray(raw.from) ? raw.from : [];
  if (!(typeof raw.from === "string" || (Array.isArray(raw.from) && raw.from.length >= 2))) {
    problems.push({ path: [...path, "from"], message: "from must be a JSONPath string, or a list of at least two for coalesce / concat / zip" });
  }
  const inputs: CompiledSelector[] = [];
  froms.forEach((expr, i) => {
    const p = typeof raw.from === "string" ? [...path, "from"] : [...path, "from", i];
    if (typeof expr !== "string") {
      problems.push({ path: p, message: "a selector must be a JSONPath string" });
      return;
    }
    const sel = cache.get(expr);
    if (sel instanceof JsonPathSyntaxError) {
      problems.push({ path: p, message: `bad JSONPath '${expr}': ${sel.message} at character ${sel.offset + 1}`, offset: sel.offset });
    } else inputs.push(sel);
  });
  // A selector that did not parse would make the shape checks below report errors that are not there.
  const selectorsParsed = problems.length === before;
  const ops: CompiledOp[] = [];
  const rawOps = raw.ops === undefined ? [] : Array.isArray(raw.ops) ? raw.ops : null;
  if (rawOps === null) problems.push({ path: [...path, "ops"], message: "ops must be a list" });
  let shape: ValueShape = inputs.length > 1 ? "multi" : inputs[0]?.definite === false ? "array" : "single";
  let objectKeys: string[] | undefined;
  (rawOps ?? []).forEach((r, i) => {
    const split = splitOp(r);
    const p = [...path, "ops", i];
    if (!split) {
      problems.push({ path: p, message: "an op is a name (trim) or a single-key mapping (cast: long)" });
      return;
    }
    const op = buildOp(split);
    if (typeof op === "string") {
      problems.push({ path: p, message: op, key: split.hasArg && op.startsWith("unknown op") });
      return;
    }
    const next = selectorsParsed ? nextShape(op, shape, inputs) : { shape };
    if ("error" in next) {
      problems.push({ path: p, message: next.error });
      return;
    }
    if (op.op === "objectify") objectKeys = op.keys;
    shape = next.shape;
    ops.push(op);
  });
  const type = raw.type as EsFieldType;
  if (problems.length === before && typeof type === "string") {
    const tp = typeProblem(type, shape, ops);
    if (tp) problems.push({ path: [...path, "type"], message: tp });
  }
  if (problems.length !== before) return null;
  const dateOp = ops.find((o): o is Extract<CompiledOp, { op: "date" }> => o.op === "date");
  return {
    name: raw.name as string,
    type,
    druidType: (raw.druid_type as DruidFieldType) ?? (type === "date" && dateOp?.to !== "epoch_millis" ? "string" : DRUID_TYPE_OF[type]),
    inputs,
    ops,
    shape,
    ...(objectKeys ? { objectKeys } : {}),
    ...(type === "date" ? { dateFormat: dateOp?.to ?? "iso8601" } : {}),
    ...(typeof raw.ignore_above === "number" ? { ignoreAbove: raw.ignore_above } : {}),
    ...(typeof raw.description === "string" ? { description: raw.description } : {}),
  };
}
