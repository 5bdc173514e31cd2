// The op catalogue: every op of the Mapping DSL once — its name and aliases, its parameters (what
// validation checks), how it reads a value (array-aware, scalar, or on the whole list) and what it
// computes (what the evaluator runs). Targets translate the same CompiledOp objects.
import { createHash } from "node:crypto";
import { compileCondition, evalCondition } from "./conditions";
import { EpochOutOfRange, parseDate as parseDateRaw, type PyDateTime } from "./pydate";
import { parsePyReplacement, pyRegex, pyReplacement } from "./pyregex";
import type { CompiledInput, CompiledOp, Dictionary, Globals, Json, OpName, TakeWhich } from "./types";
import {
  castBoolean, firstNonNull, isPlainObject, setOwn, numberOf, parseNumber, pyFloat, pyHashKey, pyStr, pyStrip, PyFloat,
} from "./values";

/** An op failed on a value: the seed reports E_OP_EXEC "<op> failed: <reason>" and the value becomes null. */
export class OpFailure extends Error {
  readonly reason: string;
  constructor(reason: string) {
    // An expected outcome on bad rows, caught by runOps: capturing a stack trace would be most of its cost.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason);
    Error.stackTraceLimit = limit;
    this.reason = reason;
    this.name = "OpFailure";
  }
}

export interface OpEnv {
  globals: Globals;
  dictionaries: Record<string, Dictionary>;
  /** Value of a zip/objectify input against the current row. */
  resolve(input: CompiledInput): unknown;
  /** Runs a nested op list (map/when branches) with its own budget. */
  runBranch(ops: CompiledOp[], value: unknown): unknown;
  counters: OpCounters;
}

export interface OpCounters {
  zipPadEvents: number;
  objectifyRecords: number;
  objectifyMissingFields: number;
}

/**
 * How an op reads the current value:
 * array — sees lists as lists (map, take, join, …);
 * list — gets the value as a list (a scalar becomes [value]): concat, coalesce;
 * scalar — a list is first reduced to its first non-null element (the seed's rule for every other op).
 */
export type OpReading = "array" | "list" | "scalar";

export type ParamType = "string" | "integer" | "boolean" | "any" | "string_array" | "input" | "inputs" | "input_map" | "ops" | "cond" | "take" | "string_or_null" | "integer_or_null";

export interface ParamSpec {
  type: ParamType;
  required?: boolean;
  enum?: readonly string[];
  /** A regular expression the whole string must match. */
  pattern?: string;
  min?: number;
  maxLength?: number;
  /** Accepted although the seed's schema rejects it: the seed's executor or docs use it (listed in docs/seed-differences.md). */
  variant?: string;
  /** Another spelling of this parameter (docs/executor), same meaning. */
  aliases?: string[];
}

export interface OpSpec {
  name: OpName;
  aliases: string[];
  reading: OpReading;
  params: Record<string, ParamSpec>;
  summary: string;
  compile(raw: Record<string, unknown>, ctx: { compileOps(raw: unknown[], key: string): CompiledOp[]; compileInput(raw: unknown, key: string): CompiledInput | null }): CompiledOp;
  run(op: any, value: unknown, env: OpEnv): unknown;
}

/** The one failure of a date that no format reads (no stack, only its reason is read: one instance serves every row). */
const DATE_PARSE_FAIL = new OpFailure("E_DATE_PARSE_FAIL");

/** Dates Python cannot represent fail the op (the seed's OverflowError becomes E_OP_EXEC). */
function parseDate(v: unknown, formats: string[], tz: string): PyDateTime | null {
  try {
    return parseDateRaw(v, formats, tz);
  } catch (e) {
    if (e instanceof EpochOutOfRange) throw new OpFailure(e.message);
    throw e;
  }
}

const str = (v: unknown, d: string): string => (typeof v === "string" ? v : d);
const param = (raw: Record<string, unknown>, name: string, spec?: ParamSpec): unknown => {
  if (raw[name] !== undefined) return raw[name];
  for (const a of spec?.aliases ?? []) if (raw[a] !== undefined) return raw[a];
  return undefined;
};
const takeOf = (v: unknown): TakeWhich | null => (v === "first" || v === "last" ? v : typeof v === "number" && Number.isInteger(v) ? v : null);
const asList = (v: unknown): unknown[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);

function regexOrFail(pattern: string, flags: string, global: boolean): RegExp {
  if (pattern.length > 2000) throw new OpFailure("E_REGEX_GUARD: pattern too long");
  if (pattern.includes("(?<")) throw new OpFailure("E_REGEX_GUARD: look-behind not allowed");
  const r = pyRegex(pattern, flags, global);
  if (!r.ok) throw new OpFailure(`E_REGEX_ERROR: ${r.message}`);
  return r.re;
}

/** The seed's fallback phonetic key: letters only, a few consonant folds, repeats collapsed, 8 chars. */
function simplePhonetic(s: string): string {
  let t = s.toLowerCase().replace(/[^a-z]/g, "");
  t = t.replace(/ph/g, "f").replace(/c/g, "k").replace(/q/g, "k").replace(/x/g, "ks").replace(/y/g, "i").replace(/z/g, "s");
  return t.replace(/(.)\1+/g, "$1").slice(0, 8);
}

/** American Soundex (letter + three digits). */
function soundex(s: string): string {
  const letters = s.toUpperCase().replace(/[^A-Z]/g, "");
  if (!letters) return "";
  const code = (c: string) => ("BFPV".includes(c) ? "1" : "CGJKQSXZ".includes(c) ? "2" : "DT".includes(c) ? "3" : c === "L" ? "4" : "MN".includes(c) ? "5" : c === "R" ? "6" : "");
  let out = letters[0];
  let prev = code(letters[0]);
  for (const c of letters.slice(1)) {
    const d = code(c);
    if (d && d !== prev) out += d;
    if (c !== "H" && c !== "W") prev = d;
    if (out.length === 4) break;
  }
  return out.padEnd(4, "0");
}

function geoParse(value: unknown, format: string): unknown {
  if (value === null || value === undefined) return null;
  if (format !== "latlon") return value;
  let parts: unknown[] | null = null;
  if (typeof value === "string") {
    const p = pyStrip(value).split(/[;, ]+/);
    if (p.length >= 2) parts = p;
  } else if (Array.isArray(value) && value.length >= 2) parts = value;
  if (!parts) return null;
  const lat = pyFloat(parts[0]);
  const lon = pyFloat(parts[1]);
  if (lat === null || lon === null) return null;
  if (!(lat >= -90 && lat <= 90)) throw new OpFailure("E_GEO_LAT_RANGE");
  if (!(lon >= -180 && lon <= 180)) throw new OpFailure("E_GEO_LON_RANGE");
  return { lat: Number.isInteger(lat) ? new PyFloat(lat) : lat, lon: Number.isInteger(lon) ? new PyFloat(lon) : lon };
}

function dictLookup(value: unknown, op: Extract<CompiledOp, { op: "dict" }>, dicts: Record<string, Dictionary>): unknown {
  if (value === null || value === undefined) return null;
  const d = dicts[op.name];
  if (!d) return value;
  if (typeof value === "string") {
    let key = value;
    if (d.trimKeys) key = pyStrip(key);
    if (d.caseInsensitive) key = key.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(d.data, key)) return d.data[key];
    if (op.onUnknown === "default") return op.default;
    if (op.onUnknown === "error") throw new OpFailure(`DICT_UNKNOWN_KEY: '${value}' not in dictionary '${op.name}'`);
    return value;
  }
  // Dictionary keys are JSON object keys, always strings: a number or boolean never matches one.
  return op.onUnknown === "default" ? op.default : value;
}

function sortList(list: unknown[], op: Extract<CompiledOp, { op: "sort" }>): unknown[] {
  type Key = [number, number | string | null];
  const keyOf = (x: unknown): Key => {
    const v = op.by && isPlainObject(x) ? x[op.by] : x;
    if (op.numeric) {
      const n = v === null || v === undefined ? null : pyFloat(pyStr(v).replace(/,/g, "."));
      return n === null && op.missingLast ? [1, null] : [0, n ?? -Infinity];
    }
    return (v === null || v === undefined) && op.missingLast ? [1, null] : [0, pyStr(v)];
  };
  const keyed = list.map((x, i) => ({ x, i, k: keyOf(x) }));
  const cmp = (a: Key, b: Key): number => {
    if (a[0] !== b[0]) return a[0] - b[0];
    if (a[1] === null || b[1] === null) {
      if (a[1] === null && b[1] === null) return 0;
      // Python cannot order None against a value: the seed keeps the list unchanged.
      throw new TypeError("unorderable");
    }
    if (typeof a[1] === "number" && typeof b[1] === "number") return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
    const sa = String(a[1]);
    const sb = String(b[1]);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  };
  try {
    // Python's sorted(reverse=True) is a stable sort on the reversed order.
    keyed.sort((a, b) => (op.order === "desc" ? cmp(b.k, a.k) : cmp(a.k, b.k)) || a.i - b.i);
  } catch {
    return list;
  }
  return keyed.map((e) => e.x);
}

const INPUT: ParamSpec = { type: "input" };
const COND_BY: ParamSpec = { type: "string" };

export const OP_CATALOGUE: Record<OpName, OpSpec> = {
  trim: { name: "trim", aliases: [], reading: "scalar", params: {}, summary: "strip surrounding whitespace (Python str.strip)",
    compile: () => ({ op: "trim" }), run: (_op, v) => (typeof v === "string" ? pyStrip(v) : v) },
  lower: { name: "lower", aliases: ["lowercase"], reading: "scalar", params: {}, summary: "lower-case a string",
    compile: () => ({ op: "lower" }), run: (_op, v) => (typeof v === "string" ? v.toLowerCase() : v) },
  upper: { name: "upper", aliases: ["uppercase"], reading: "scalar", params: {}, summary: "upper-case a string",
    compile: () => ({ op: "upper" }), run: (_op, v) => (typeof v === "string" ? v.toUpperCase() : v) },
  split: {
    name: "split", aliases: [], reading: "scalar", summary: "split a string on a literal separator (empty parts kept); `take` picks one part",
    params: { sep: { type: "string", required: true }, take: { type: "take", variant: "executor parameter, not in the seed schema" } },
    compile: (r) => ({ op: "split", sep: str(r.sep, ""), take: takeOf(r.take) }),
    run: (op: Extract<CompiledOp, { op: "split" }>, v) => {
      if (typeof v !== "string") return v;
      if (op.sep === "") throw new OpFailure("empty separator");
      const parts = v.split(op.sep);
      if (op.take === "first") return parts[0];
      if (op.take === "last") return parts[parts.length - 1];
      if (typeof op.take === "number") return op.take >= 0 && op.take < parts.length ? parts[op.take] : "";
      return parts;
    },
  },
  regex_replace: {
    name: "regex_replace", aliases: ["replace"], reading: "scalar", summary: "Python re.sub (replacement uses \\1 / \\g<name>)",
    params: {
      pattern: { type: "string", required: true, maxLength: 2000 },
      repl: { type: "string", required: true, aliases: ["replacement"] },
      flags: { type: "string", pattern: "^[ims]*$", variant: "executor parameter, not in the seed schema" },
    },
    compile: (r) => ({ op: "regex_replace", pattern: str(r.pattern, ""), repl: str(r.repl ?? r.replacement, ""), flags: str(r.flags, "") }),
    run: (op: Extract<CompiledOp, { op: "regex_replace" }>, v) => {
      if (typeof v !== "string") return v;
      const re = regexOrFail(op.pattern, op.flags, true);
      let replacer: ReturnType<typeof pyReplacement>;
      try {
        replacer = pyReplacement(op.repl);
      } catch (e) {
        throw new OpFailure(`E_REGEX_ERROR: ${(e as Error).message}`);
      }
      try {
        return v.replace(re, (match: string, ...rest: unknown[]) => {
          const hasNamed = typeof rest[rest.length - 1] === "object" && rest[rest.length - 1] !== null;
          const named = hasNamed ? (rest[rest.length - 1] as Record<string, string | undefined>) : undefined;
          const groups = rest.slice(0, hasNamed ? -3 : -2) as Array<string | undefined>;
          return replacer(match, groups, named);
        });
      } catch (e) {
        throw new OpFailure(`E_REGEX_ERROR: ${(e as Error).message}`);
      }
    },
  },
  regex_extract: {
    name: "regex_extract", aliases: [], reading: "scalar", summary: "first match of a Python regex, group `group` (default 1); no match → null",
    params: { pattern: { type: "string", required: true, maxLength: 2000 }, group: { type: "integer", min: 0 }, flags: { type: "string", pattern: "^[ims]*$" } },
    compile: (r) => ({ op: "regex_extract", pattern: str(r.pattern, ""), group: typeof r.group === "number" ? r.group : 1, flags: str(r.flags, "") }),
    run: (op: Extract<CompiledOp, { op: "regex_extract" }>, v) => {
      if (typeof v !== "string") return null;
      const m = regexOrFail(op.pattern, op.flags, false).exec(v);
      if (!m) return null;
      if (op.group >= m.length) throw new OpFailure("no such group");
      return m[op.group] ?? null;
    },
  },
  date_parse: {
    name: "date_parse", aliases: [], reading: "scalar", summary: "parse a date (formats, else globals.date_formats; then ISO-8601); naive dates in assume_tz / globals.default_tz",
    params: { formats: { type: "string_array", variant: "null (the executor's 'use the globals') is accepted" }, assume_tz: { type: "string_or_null" } },
    compile: (r) => ({ op: "date_parse", formats: Array.isArray(r.formats) ? (r.formats as string[]) : null, assumeTz: typeof r.assume_tz === "string" ? r.assume_tz : null }),
    run: (op: Extract<CompiledOp, { op: "date_parse" }>, v, env) => {
      const formats = op.formats ?? env.globals.dateFormats;
      const tz = op.assumeTz || env.globals.defaultTz || "UTC";
      const d = parseDate(numberOf(v) ?? v, formats, tz);
      if (d === null && typeof v === "string" && pyStrip(v) !== "") throw DATE_PARSE_FAIL;
      return d;
    },
  },
  geo_parse: {
    name: "geo_parse", aliases: [], reading: "scalar", summary: "\"lat,lon\" (or [lat, lon]) → {lat, lon}; out of range is an error",
    params: { format: { type: "string", required: true, enum: ["latlon"] } },
    compile: (r) => ({ op: "geo_parse", format: str(r.format, "latlon") }),
    run: (op: Extract<CompiledOp, { op: "geo_parse" }>, v) => geoParse(v, op.format),
  },
  cast: {
    name: "cast", aliases: [], reading: "scalar", summary: "convert to long, double, boolean (globals tokens and locale), string, number or date",
    params: { to: { type: "string", required: true, enum: ["long", "double", "boolean", "string", "number", "date"] } },
    compile: (r) => ({ op: "cast", to: r.to as Extract<CompiledOp, { op: "cast" }>["to"] }),
    run: (op: Extract<CompiledOp, { op: "cast" }>, v, env) => {
      switch (op.to) {
        case "string":
          return v === null || v === undefined ? "" : pyStr(v);
        case "number":
          return parseNumber(v, env.globals);
        case "boolean":
          return castBoolean(v, env.globals);
        case "date":
          return parseDate(numberOf(v) ?? v, env.globals.dateFormats, env.globals.defaultTz || "UTC");
        case "long": {
          const n = parseNumber(v, env.globals);
          if (n === null) return null;
          const x = typeof n === "boolean" ? (n ? 1 : 0) : numberOf(n)!;
          if (!Number.isFinite(x) || !Number.isInteger(x)) throw new OpFailure(`cannot cast ${pyStr(v)} to long`);
          return x;
        }
        case "double": {
          const n = parseNumber(v, env.globals);
          if (n === null) return null;
          const x = typeof n === "boolean" ? (n ? 1 : 0) : numberOf(n)!;
          return Number.isInteger(x) ? new PyFloat(x) : x;
        }
      }
    },
  },
  dict: {
    name: "dict", aliases: [], reading: "scalar", summary: "look the value up in a dictionary; on_unknown keep | default | error",
    params: {
      name: { type: "string", required: true, aliases: ["key"] },
      on_unknown: { type: "string", enum: ["keep", "default", "error"], variant: "executor parameter, not in the seed schema" },
      default: { type: "any", variant: "executor parameter, not in the seed schema" },
    },
    compile: (r) => ({ op: "dict", name: str(r.name ?? r.key, ""), onUnknown: (r.on_unknown as "keep") ?? "keep", default: (r.default ?? null) as Json }),
    run: (op: Extract<CompiledOp, { op: "dict" }>, v, env) => dictLookup(v, op, env.dictionaries),
  },
  concat: {
    name: "concat", aliases: [], reading: "list", summary: "join the non-empty values with `sep` (default a space)",
    params: { sep: { type: "string", required: true } },
    compile: (r) => ({ op: "concat", sep: str(r.sep, " ") }),
    run: (op: Extract<CompiledOp, { op: "concat" }>, list: unknown[]) => {
      // The non-empty texts of the non-null values joined by sep (a hole reads as undefined: skipped, as by filter).
      let out = "";
      let any = false;
      for (let i = 0; i < list.length; i++) {
        const x = list[i];
        if (x === null || x === undefined) continue;
        const t = pyStr(x);
        if (t === "") continue;
        out = any ? out + op.sep + t : t;
        any = true;
      }
      return out;
    },
  },
  coalesce: { name: "coalesce", aliases: [], reading: "list", params: {}, summary: "first value that is not null per the globals",
    compile: () => ({ op: "coalesce" }), run: (_op, list: unknown[], env) => firstNonNull(list, env.globals) },
  phonetic: {
    name: "phonetic", aliases: [], reading: "scalar", summary: "phonetic key: soundex, or the seed's simplified metaphone key",
    params: { algorithm: { type: "string", required: true, enum: ["metaphone", "soundex"], aliases: ["method"] } },
    compile: (r) => ({ op: "phonetic", method: str(r.algorithm ?? r.method, "metaphone") }),
    run: (op: Extract<CompiledOp, { op: "phonetic" }>, v) => (v === null || v === undefined ? null : op.method === "soundex" ? soundex(pyStr(v)) : simplePhonetic(pyStr(v))),
  },
  hash: {
    name: "hash", aliases: [], reading: "scalar", summary: "hex digest of salt + value (md5, sha1, sha256)",
    params: { algorithm: { type: "string", required: true, enum: ["md5", "sha1", "sha256"], aliases: ["algo"] }, salt: { type: "string", variant: "executor parameter, not in the seed schema" } },
    compile: (r) => ({ op: "hash", algo: ((r.algorithm ?? r.algo) as "sha1") ?? "sha1", salt: str(r.salt, "") }),
    run: (op: Extract<CompiledOp, { op: "hash" }>, v) => createHash(op.algo).update(op.salt + (v === null || v === undefined ? "" : pyStr(v)), "utf8").digest("hex"),
  },
  when: {
    name: "when", aliases: [], reading: "array", summary: "run `then` when the condition holds on the value (first non-null of a list), else `else`",
    params: { cond: { type: "cond", required: true }, then: { type: "ops" }, else: { type: "ops" } },
    compile: (r, ctx) => ({ op: "when", cond: compileCondition((r.cond ?? {}) as Record<string, unknown>), then: ctx.compileOps(asList(r.then), "then"), else: ctx.compileOps(asList(r.else), "else") }),
    run: (op: Extract<CompiledOp, { op: "when" }>, v, env) => {
      const probe = firstNonNull(Array.isArray(v) ? v : [v], env.globals);
      return env.runBranch(evalCondition(op.cond, probe, env.globals) ? op.then : op.else, v);
    },
  },
  map: {
    name: "map", aliases: [], reading: "array", summary: "run `then` on every element of a list (on the value itself otherwise)",
    params: { then: { type: "ops", required: true } },
    compile: (r, ctx) => ({ op: "map", then: ctx.compileOps(asList(r.then), "then") }),
    run: (op: Extract<CompiledOp, { op: "map" }>, v, env) => (Array.isArray(v) ? v.map((x) => env.runBranch(op.then, x)) : env.runBranch(op.then, v)),
  },
  take: {
    name: "take", aliases: [], reading: "array", summary: "one element of a list: first, last or an index (out of range → null)",
    params: { which: { type: "take", required: true } },
    compile: (r) => ({ op: "take", which: takeOf(r.which) ?? "first" }),
    run: (op: Extract<CompiledOp, { op: "take" }>, v) => {
      if (!Array.isArray(v)) return v;
      if (op.which === "first") return v.length ? v[0] : null;
      if (op.which === "last") return v.length ? v[v.length - 1] : null;
      return op.which >= 0 && op.which < v.length ? v[op.which] : null;
    },
  },
  join: {
    name: "join", aliases: [], reading: "array", summary: "a list's elements as text joined by `sep` (null → empty)",
    params: { sep: { type: "string", required: true } },
    compile: (r) => ({ op: "join", sep: str(r.sep, ", ") }),
    run: (op: Extract<CompiledOp, { op: "join" }>, v) => (Array.isArray(v) ? v.map((x) => (x === null || x === undefined ? "" : pyStr(x))).join(op.sep) : v === null || v === undefined ? "" : pyStr(v)),
  },
  flatten: { name: "flatten", aliases: [], reading: "array", params: {}, summary: "splice nested lists one level",
    compile: () => ({ op: "flatten" }), run: (_op, v) => (Array.isArray(v) ? v.flatMap((x) => (Array.isArray(x) ? x : [x])) : v) },
  zip: {
    name: "zip", aliases: [], reading: "array", summary: "tuples of the value's list and each `with` input's list, padded with `fill` to the longest",
    params: { with: { type: "inputs", required: true }, fill: { type: "any" } },
    compile: (r, ctx) => ({ op: "zip", with: asList(r.with).map((x, i) => ctx.compileInput(x, `with.${i}`)).filter((x): x is CompiledInput => x !== null), fill: (r.fill ?? null) as Json }),
    run: (op: Extract<CompiledOp, { op: "zip" }>, v, env) => {
      const arrays = [asList(v)];
      for (const w of op.with) arrays.push(asList(env.resolve(w)));
      let n = 0;
      for (const a of arrays) if (a.length > n) n = a.length;
      const out: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        const tuple: unknown[] = [];
        for (let k = 0; k < arrays.length; k++) {
          const a = arrays[k];
          if (i < a.length) tuple.push(a[i]);
          else {
            env.counters.zipPadEvents++;
            tuple.push(op.fill);
          }
        }
        out.push(tuple);
      }
      return out;
    },
  },
  objectify: {
    name: "objectify", aliases: [], reading: "array", summary: "one object per index: from zip tuples (keys in order) or from each key's input list; `strict` → null when a key is short",
    params: { fields: { type: "input_map", required: true }, fill: { type: "any" }, strict: { type: "boolean" } },
    compile: (r, ctx) => ({
      op: "objectify",
      fields: Object.entries(isPlainObject(r.fields) ? r.fields : {}).map(([key, spec]) => ({ key, input: ctx.compileInput(spec, `fields.${key}`) })),
      fill: (r.fill ?? null) as Json,
      strict: r.strict === true,
    }),
    run: (op: Extract<CompiledOp, { op: "objectify" }>, v, env) => {
      if (Array.isArray(v) && v.length && Array.isArray(v[0])) {
        const keys = op.fields.length ? op.fields.map((f) => f.key) : (v[0] as unknown[]).map((_, i) => `f${i}`);
        return v.map((t) => {
          const tup = asList(t);
          const o: Record<string, unknown> = {};
          for (let i = 0; i < keys.length; i++) {
            const k = keys[i];
            // setOwn written out: this store site sees only this op's records (setOwn's own sees every shape)
            const x = i < tup.length ? tup[i] : op.fill;
            if (k === "__proto__") setOwn(o, k, x);
            else o[k] = x;
            if (i >= tup.length) env.counters.objectifyMissingFields++;
          }
          env.counters.objectifyRecords++;
          return o;
        });
      }
      const cols = op.fields.map((f) => ({ key: f.key, values: asList(f.input ? env.resolve(f.input) : null) }));
      const n = cols.length ? Math.max(...cols.map((c) => c.values.length)) : asList(v).length;
      const out: Record<string, unknown>[] = [];
      for (let i = 0; i < n; i++) {
        const o: Record<string, unknown> = {};
        for (const c of cols) {
          if (i < c.values.length) setOwn(o, c.key, c.values[i]);
          else {
            if (op.strict) return null;
            setOwn(o, c.key, op.fill);
            env.counters.objectifyMissingFields++;
          }
        }
        env.counters.objectifyRecords++;
        out.push(o);
      }
      return out;
    },
  },
  length: { name: "length", aliases: [], reading: "scalar", params: {}, summary: "length of a string, list or object (null → 0)",
    compile: () => ({ op: "length" }),
    run: (_op, v) => (v === null || v === undefined ? 0 : Array.isArray(v) ? v.length : isPlainObject(v) ? Object.keys(v).length : [...pyStr(v)].length) },
  literal: { name: "literal", aliases: [], reading: "scalar", params: { value: { type: "any", required: true } }, summary: "replace the value by a constant",
    compile: (r) => ({ op: "literal", value: (r.value ?? null) as Json }), run: (op: Extract<CompiledOp, { op: "literal" }>) => op.value },
  filter: {
    name: "filter", aliases: [], reading: "array", summary: "keep the list elements (or their `cond.by` member) for which the condition holds",
    params: { cond: { type: "cond", required: true }, by: COND_BY },
    compile: (r) => ({ op: "filter", cond: compileCondition((r.cond ?? {}) as Record<string, unknown>) }),
    run: (op: Extract<CompiledOp, { op: "filter" }>, v, env) =>
      Array.isArray(v) ? v.filter((x) => evalCondition(op.cond, op.cond.by !== null && isPlainObject(x) ? x[op.cond.by] : x, env.globals)) : v,
  },
  slice: {
    name: "slice", aliases: [], reading: "array", summary: "Python slice [start:end] of a list",
    params: { start: { type: "integer" }, end: { type: "integer_or_null" } },
    compile: (r) => ({ op: "slice", start: typeof r.start === "number" ? r.start : 0, end: typeof r.end === "number" ? r.end : null }),
    run: (op: Extract<CompiledOp, { op: "slice" }>, v) => {
      if (!Array.isArray(v)) return v;
      const norm = (i: number) => (i < 0 ? Math.max(0, v.length + i) : Math.min(i, v.length));
      return v.slice(norm(op.start), op.end === null ? v.length : norm(op.end));
    },
  },
  unique: {
    name: "unique", aliases: [], reading: "array", summary: "first occurrence of each value (or of its `by` member); 1, 1.0 and true are equal",
    params: { by: { type: "string_or_null" } },
    compile: (r) => ({ op: "unique", by: typeof r.by === "string" ? r.by : null }),
    run: (op: Extract<CompiledOp, { op: "unique" }>, v) => {
      if (!Array.isArray(v)) return v;
      const seen = new Set<string>();
      return v.filter((x) => {
        const key = op.by === null ? x : isPlainObject(x) ? x[op.by] : null;
        const h = pyHashKey(key);
        if (seen.has(h)) return false;
        seen.add(h);
        return true;
      });
    },
  },
  sort: {
    name: "sort", aliases: [], reading: "array", summary: "sort a list (by a member, numeric or text, missing values last)",
    params: { by: { type: "string_or_null" }, order: { type: "string", enum: ["asc", "desc"] }, numeric: { type: "boolean" }, missing_last: { type: "boolean" } },
    compile: (r) => ({ op: "sort", by: typeof r.by === "string" ? r.by : null, order: r.order === "desc" ? "desc" : "asc", numeric: r.numeric === true, missingLast: r.missing_last !== false }),
    run: (op: Extract<CompiledOp, { op: "sort" }>, v) => (Array.isArray(v) ? sortList(v, op) : v),
  },
  unsupported: {
    name: "unsupported", aliases: [], reading: "array", params: {}, summary: "(lenient compiles only) an op the seed reports at run time",
    compile: () => {
      throw new Error("unsupported ops come only from lenient compiles");
    },
    run: (op: Extract<CompiledOp, { op: "unsupported" }>, v) => {
      if (op.code === "E_OP_EXEC") throw new OpFailure(`${op.name}: missing or unexpected parameters`);
      return v;
    },
  },
};

/** The ops a document may use (everything but the lenient-only marker). */
export const DSL_OPS: OpSpec[] = Object.values(OP_CATALOGUE).filter((s) => s.name !== "unsupported");

/** Op name (or alias) → catalogue entry. */
export const OP_BY_NAME: ReadonlyMap<string, OpSpec> = new Map(
  DSL_OPS.flatMap((s) => [[s.name, s] as const, ...s.aliases.map((a) => [a, s] as const)]),
);

/** The seed's per-pipeline op budget: the 201st op yields E_OP_BUDGET_EXCEEDED. */
export const OP_BUDGET = 200;

export interface IssueSink {
  (code: string, msg: string): void;
}

/** Runs an op list on a value with the seed's rules (budget, list reduction, per-op failure → issue + null). */
export function runOps(ops: CompiledOp[], value: unknown, env: OpEnv, issue: IssueSink): unknown {
  let cur = value;
  let budget = 0;
  for (const op of ops) {
    if (++budget > OP_BUDGET) {
      issue("E_OP_BUDGET_EXCEEDED", `op budget per row exceeded (${budget} > ${OP_BUDGET})`);
      return null;
    }
    const spec = OP_CATALOGUE[op.op];
    if (op.op === "unsupported" && op.code === "W_OP_UNKNOWN") {
      issue("W_OP_UNKNOWN", `unknown op '${op.name}'`);
      continue;
    }
    try {
      if (spec.reading === "list") cur = spec.run(op, Array.isArray(cur) ? cur : [cur], env);
      else if (spec.reading === "scalar") cur = spec.run(op, Array.isArray(cur) ? firstNonNull(cur, env.globals) : cur, env);
      else cur = spec.run(op, cur, env);
    } catch (e) {
      if (!(e instanceof OpFailure)) throw e;
      issue("E_OP_EXEC", `${op.op} failed: ${e.reason}`);
      cur = null;
    }
  }
  return cur;
}

/** An op list compiled for one evaluator: runOps's rules with the catalogue lookups done once. */
export type OpRunner = (value: unknown) => unknown;

const identity: OpRunner = (v) => v;

/**
 * runOps compiled once per op list (same results, same issues in the same order): each op becomes a
 * closure over its catalogue entry, its reading and its failure message; the list becomes their
 * composition. `branch` compiles nested lists (map/when branches) the same way.
 */
export function compileOpList(ops: CompiledOp[], env: OpEnv, issue: IssueSink, branch: (ops: CompiledOp[]) => OpRunner): OpRunner {
  const steps: OpRunner[] = [];
  for (let i = 0; i < ops.length && i < OP_BUDGET; i++) steps.push(opStep(ops[i], env, issue, branch));
  const chain = chainOf(steps);
  if (ops.length <= OP_BUDGET) return chain;
  // The 201st op is never run: the list's value is null and the row gets the budget issue.
  const msg = `op budget per row exceeded (${OP_BUDGET + 1} > ${OP_BUDGET})`;
  return (v) => {
    chain(v);
    issue("E_OP_BUDGET_EXCEEDED", msg);
    return null;
  };
}

function chainOf(steps: OpRunner[]): OpRunner {
  switch (steps.length) {
    case 0:
      return identity;
    case 1:
      return steps[0];
    case 2: {
      const [a, b] = steps;
      return (v) => b(a(v));
    }
    case 3: {
      const [a, b, c] = steps;
      return (v) => c(b(a(v)));
    }
    default:
      return (v) => {
        let cur = v;
        for (let i = 0; i < steps.length; i++) cur = steps[i](cur);
        return cur;
      };
  }
}

function opStep(op: CompiledOp, env: OpEnv, issue: IssueSink, branch: (ops: CompiledOp[]) => OpRunner): OpRunner {
  if (op.op === "unsupported" && op.code === "W_OP_UNKNOWN") {
    const msg = `unknown op '${op.name}'`;
    return (v) => {
      issue("W_OP_UNKNOWN", msg);
      return v;
    };
  }
  const label = `${op.op} failed: `;
  const failed = (e: unknown): null => {
    if (!(e instanceof OpFailure)) throw e;
    issue("E_OP_EXEC", label + e.reason);
    return null;
  };
  if (op.op === "map") {
    // OP_CATALOGUE.map.run with its branch compiled once (runBranch would look it up per element).
    const then = branch(op.then);
    const each = (x: unknown) => then(x);
    return (v) => {
      try {
        return Array.isArray(v) ? v.map(each) : then(v);
      } catch (e) {
        return failed(e);
      }
    };
  }
  const g = env.globals;
  if (op.op === "regex_replace") return regexReplaceStep(op, g, failed);
  const spec = OP_CATALOGUE[op.op];
  const run = spec.run;
  switch (spec.reading) {
    case "list":
      return (v) => {
        try {
          return run(op, Array.isArray(v) ? v : [v], env);
        } catch (e) {
          return failed(e);
        }
      };
    case "scalar":
      return (v) => {
        try {
          return run(op, Array.isArray(v) ? firstNonNull(v, g) : v, env);
        } catch (e) {
          return failed(e);
        }
      };
    default:
      return (v) => {
        try {
          return run(op, v, env);
        } catch (e) {
          return failed(e);
        }
      };
  }
}

/**
 * OP_CATALOGUE.regex_replace.run with its pattern and template read once (the same OpFailure, thrown
 * again on every string value, when either is invalid); a template without group references is the
 * replacement string itself.
 */
function regexReplaceStep(op: Extract<CompiledOp, { op: "regex_replace" }>, g: Globals, failed: (e: unknown) => null): OpRunner {
  let re: RegExp | null = null;
  let replacer: ReturnType<typeof pyReplacement> | null = null;
  /** What the op throws on every string value when the pattern or the template is invalid. */
  let failure: unknown = null;
  try {
    re = regexOrFail(op.pattern, op.flags, true);
    try {
      replacer = pyReplacement(op.repl);
    } catch (e) {
      failure = new OpFailure(`E_REGEX_ERROR: ${(e as Error).message}`);
    }
  } catch (e) {
    failure = e;
  }
  let parts: ReturnType<typeof parsePyReplacement> | null = null;
  try {
    parts = parsePyReplacement(op.repl);
  } catch {
    // reported through `failure` above
  }
  // Literal text only, and no '$' (which String.replace would read as a pattern): replace with the text itself.
  const literal = parts && parts.every((p) => "lit" in p) && !op.repl.includes("$") ? parts.map((p) => ("lit" in p ? p.lit : "")).join("") : null;
  const byTemplate = (match: string, ...rest: unknown[]) => {
    const hasNamed = typeof rest[rest.length - 1] === "object" && rest[rest.length - 1] !== null;
    const named = hasNamed ? (rest[rest.length - 1] as Record<string, string | undefined>) : undefined;
    const groups = rest.slice(0, hasNamed ? -3 : -2) as Array<string | undefined>;
    return replacer!(match, groups, named);
  };
  return (x) => {
    const v = Array.isArray(x) ? firstNonNull(x, g) : x;
    if (typeof v !== "string") return v;
    try {
      if (failure !== null) throw failure;
      try {
        return literal !== null ? v.replace(re!, literal) : v.replace(re!, byTemplate);
      } catch (e) {
        throw new OpFailure(`E_REGEX_ERROR: ${(e as Error).message}`);
      }
    } catch (e) {
      return failed(e);
    }
  };
}
