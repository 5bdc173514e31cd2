// A field's inputs and ops (the DSL's CompiledOp list) → one Druid native expression over the flattened
// input columns, with the local evaluator's semantics (src/dsl/ops.ts `run` + `runOps`): the seed's null
// rules from `globals`, Python's strip, locale-aware numbers, strptime formats through Joda-Time, Python
// regexes through java.util.regex. Where Druid is more lenient than the evaluator (cast accepting "NaN" or
// hex floats, trim removing only spaces, the default ISO parser accepting "2024"), the expression guards.
// What has no faithful expression is a problem naming the op, never an approximation.
import type { CompiledDataset, CompiledField, CompiledInput, CompiledOp, Globals, Json } from "../../dsl/types";
import { pyRegex } from "../../dsl/pyregex";
import { groupCount, javaRegex, javaReplacement, jodaPattern, PY_STRIP_CLASS } from "./java-patterns";

export interface TranslationProblem {
  /** Index in ds.fields; -1 for a problem of the dataset (source, sink). */
  fieldIndex: number;
  /** Path inside the field (["pipeline", 2], ["pipeline", 1, "then", 0], ["input", 0]) or, for fieldIndex -1, in the document. */
  opPath: Array<string | number>;
  message: string;
}

class Untranslatable extends Error {
  constructor(readonly opPath: Array<string | number>, message: string) {
    super(message);
  }
}

export function ident(column: string): string {
  return `"${column.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A Druid string literal: Druid unescapes literals as Java source (\\, \', \n, \uXXXX). */
export function str(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error("non-finite literal");
  return Number.isInteger(n) ? String(n) : String(n);
}

/** A JSON constant as an expression value (booleans print as Python's str would, since Druid has no boolean). */
export function literal(v: Json, at: Array<string | number>): string {
  if (v === null) return "null";
  if (typeof v === "number") return num(v);
  if (typeof v === "string") return str(v);
  if (typeof v === "boolean") throw new Untranslatable(at, "a boolean constant has no Druid expression value (Druid has no boolean type)");
  throw new Untranslatable(at, "an object or list constant has no Druid expression value");
}

const STRIP_RE = `^[${PY_STRIP_CLASS}]+|[${PY_STRIP_CLASS}]+$`;
const BLANK_RE = `^[${PY_STRIP_CLASS}]*$`;
const strip = (x: string) => `regexp_replace(${x}, ${str(STRIP_RE)}, '')`;

/** The seed's null test under the document's globals: null, a blank string (empty_as_null) or a `nulls` token. */
export function dslIsNull(x: string, g: Globals): string {
  const parts = [`isnull(${x})`];
  if (g.emptyAsNull) parts.push(`regexp_like(${x}, ${str(BLANK_RE)})`);
  for (const t of g.nulls) parts.push(`(${x} == ${str(t)})`);
  return parts.length === 1 ? parts[0] : `(${parts.join(" || ")})`;
}

/** The evaluator's parseNumber: strip, drop thousands separators, decimal separator → '.', int or Python float. */
function parseNumber(x: string, g: Globals): { text: string; isInt: string; isFloat: string } {
  let t = strip(x);
  if (g.thousandsSep) t = `replace(${t}, ${str(g.thousandsSep)}, '')`;
  if (g.decimalSep) t = `replace(${t}, ${str(g.decimalSep)}, '.')`;
  const digits = "[0-9](?:_?[0-9])*";
  return {
    text: t,
    isInt: `regexp_like(${t}, '^[-+]?[0-9]+$')`,
    // Python float literals without inf/nan (those become null in the output JSON anyway).
    isFloat: `regexp_like(${t}, ${str(`^[-+]?(?:(?:${digits})?\\.${digits}|${digits}\\.?)(?:[eE][-+]?${digits})?$`)})`,
  };
}

/** cast(…, 'DOUBLE') of a checked numeric text: Java's Double.parseDouble after dropping digit underscores. */
const toDouble = (t: string) => `cast(replace(${t}, '_', ''), 'DOUBLE')`;

function castNumber(x: string, to: "number" | "long" | "double", g: Globals): string {
  const n = parseNumber(x, g);
  const intPart = to === "double" ? `cast(cast(${n.text}, 'LONG'), 'DOUBLE')` : `cast(${n.text}, 'LONG')`;
  let floatPart = toDouble(n.text);
  // cast to long: an integral float is that integer, any other float fails the op (null).
  if (to === "long") floatPart = `if(${floatPart} == floor(${floatPart}), cast(${floatPart}, 'LONG'), null)`;
  return `if(${n.isInt}, ${intPart}, if(${n.isFloat}, ${floatPart}, null))`;
}

function castBoolean(x: string, g: Globals): string {
  const key = `lower(${strip(x)})`;
  const arms: string[] = [];
  for (const t of g.boolTrue) arms.push(`${key} == ${str(t.toLowerCase())}`, "1");
  for (const t of g.boolFalse) arms.push(`${key} == ${str(t.toLowerCase())}`, "0");
  // Then a number's truthiness, read as the evaluator's pyFloat does (underscores dropped, inf/nan true).
  const n = `replace(${key}, '_', '')`;
  arms.push(`regexp_like(${n}, '^[-+]?(inf|infinity|nan)$')`, "1");
  arms.push(`regexp_like(${n}, '^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[-+]?[0-9]+)?$')`, `if(cast(${n}, 'DOUBLE') != 0, 1, 0)`);
  return `if(isnull(${x}), null, case_searched(${arms.join(", ")}, null))`;
}

const EPOCH: Record<string, number> = { epoch_millis: 1, epoch_second: 1000, epoch_seconds: 1000 };

/**
 * The evaluator's date reading (stripped string; each format; then datetime.fromisoformat) as epoch millis.
 * fromisoformat is matched by a guard regex for the forms Joda's ISO parser reads identically, after the
 * separator Python allows anywhere is turned into 'T' and compact dates are given their dashes.
 */
function dateMillis(x: string, formats: string[], tz: string, at: Array<string | number>): string {
  const s = strip(x);
  const tzl = str(tz || "UTC");
  const tries: string[] = [];
  for (const f of formats) {
    if (EPOCH[f] !== undefined) {
      const numeric = `regexp_like(${s}, '^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$')`;
      tries.push(`if(${numeric}, cast(floor(cast(${s}, 'DOUBLE') * ${EPOCH[f]}), 'LONG'), null)`);
      continue;
    }
    const j = jodaPattern(f);
    if (!j.ok) throw new Untranslatable(at, `date format ${JSON.stringify(f)}: ${j.reason}`);
    tries.push(`timestamp_parse(${s}, ${str(j.value)}, ${tzl})`);
  }
  const date = "(\\d{4})-?(\\d{2})-?(\\d{2})";
  const time = "(\\d{2}(?::\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?)?)";
  const offset = "(Z|[+-]\\d{2}(?::?\\d{2})?)?";
  const iso = `^${date}(?:[^\\d]${time}${offset})?$`;
  const normalised = `regexp_replace(${s}, ${str(iso)}, '$1-$2-$3T$4$5')`;
  // Python needs either all dashes or none in the date, and a time after the separator.
  const consistent = `regexp_like(${s}, ${str(`^(\\d{4}-\\d{2}-\\d{2}|\\d{8})([^\\d]${time}${offset})?$`)})`;
  tries.push(`if(${consistent}, timestamp_parse(regexp_replace(${normalised}, 'T$', ''), null, ${tzl}), null)`);
  return tries.reduceRight((acc, t) => (acc ? `nvl(${t}, ${acc})` : t), "");
}

/** A value between ops: one scalar expression, or the list of several inputs (each an expression). */
type Value = { kind: "scalar"; e: string; date?: boolean } | { kind: "tuple"; items: string[] };

export interface FieldColumns {
  /** The flattened column of each input (null for a literal input). */
  columns: Array<string | null>;
}

function inputExpr(input: CompiledInput, column: string | null, at: Array<string | number>): string {
  if (input.kind === "literal") return literal(input.value, at);
  return ident(column!);
}

/** Python str() of a value for concat/join: text as is, longs as digits (doubles differ: refused upstream). */
const asText = (x: string) => `cast(${x}, 'STRING')`;

function scalarOp(x: string, op: CompiledOp, at: Array<string | number>, ds: CompiledDataset): string {
  const g = ds.globals;
  const fail: (m: string) => never = (m) => {
    throw new Untranslatable(at, `op '${op.op}': ${m}`);
  };
  switch (op.op) {
    case "trim":
      return strip(x);
    case "lower":
      return `lower(${x})`;
    case "upper":
      return `upper(${x})`;
    case "regex_replace": {
      const js = pyRegex(op.pattern, op.flags, true);
      if (op.pattern.length > 2000 || op.pattern.includes("(?<") || !js.ok) fail("the seed rejects this pattern, so every string becomes null; fix the pattern");
      const p = javaRegex(op.pattern, op.flags);
      if (!p.ok) fail(p.reason);
      const r = javaReplacement(op.repl);
      if (!r.ok) fail(r.reason);
      return `regexp_replace(${x}, ${str(p.value)}, ${str(r.value)})`;
    }
    case "regex_extract": {
      const js = pyRegex(op.pattern, op.flags, false);
      if (op.pattern.length > 2000 || op.pattern.includes("(?<") || !js.ok) fail("the seed rejects this pattern, so every string becomes null; fix the pattern");
      if (js.ok && op.group > groupCount(js.re)) fail(`group ${op.group} does not exist in the pattern (every match fails)`);
      const p = javaRegex(op.pattern, op.flags);
      if (!p.ok) fail(p.reason);
      return `regexp_extract(${x}, ${str(p.value)}, ${op.group})`;
    }
    case "split": {
      if (op.sep === "") fail("an empty separator fails on every string");
      if (op.take === null) fail("without `take`, split makes a list, which Druid cannot carry through the remaining ops; add take: first | last | <n>");
      const q = op.sep.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
      if (op.take === "first") return `regexp_extract(${x}, ${str(`^([\\s\\S]*?)(?:${q}|\\z)`)}, 1)`;
      if (op.take === "last") return `regexp_extract(${x}, ${str(`(?:^|${q})((?:(?!${q})[\\s\\S])*)\\z`)}, 1)`;
      if (op.take < 0) return "if(isnull(" + x + "), null, '')";
      return `nvl(regexp_extract(${x}, ${str(`^(?:(?:(?!${q})[\\s\\S])*${q}){${op.take}}((?:(?!${q})[\\s\\S])*)`)}, 1), if(isnull(${x}), null, ''))`;
    }
    case "cast":
      switch (op.to) {
        case "string":
          return `nvl(${asText(x)}, '')`;
        case "number":
        case "long":
        case "double":
          return castNumber(x, op.to, g);
        case "boolean":
          return castBoolean(x, g);
        case "date":
          return dateMillis(x, g.dateFormats, g.defaultTz, at);
      }
      return fail("unknown cast");
    case "date_parse":
      return dateMillis(x, op.formats ?? g.dateFormats, op.assumeTz || g.defaultTz || "UTC", at);
    case "dict": {
      const d = ds.dictionaries[op.name];
      if (!d) return x;
      if (op.onUnknown === "error") fail("on_unknown: error fails the row's field for unknown keys; use default or keep for Druid");
      let key = x;
      if (d.trimKeys) key = strip(key);
      if (d.caseInsensitive) key = `lower(${key})`;
      const arms = Object.entries(d.data).flatMap(([k, v]) => [`${key} == ${str(k)}`, literal(v, at)]);
      const miss = op.onUnknown === "default" ? literal(op.default, at) : x;
      return arms.length ? `if(isnull(${x}), null, case_searched(${arms.join(", ")}, ${miss}))` : `if(isnull(${x}), null, ${miss})`;
    }
    case "coalesce":
      return `if(${dslIsNull(x, g)}, null, ${x})`;
    case "concat":
      return `if(isnull(${x}), '', ${asText(x)})`;
    case "length":
      // Python counts code points, Java's length UTF-16 units: astral characters count once.
      return `nvl(strlen(regexp_replace(${asText(x)}, ${str("[\\x{10000}-\\x{10FFFF}]")}, '_')), 0)`;
    case "literal":
      return literal(op.value, at);
    case "hash":
    case "phonetic":
    case "geo_parse":
      return fail("Druid expressions have no equivalent function");
    default:
      return fail("is not a scalar op (internal)");
  }
}

function runOps(v: Value, ops: CompiledOp[], base: Array<string | number>, ds: CompiledDataset, depth: number): Value {
  const g = ds.globals;
  ops.forEach((op, i) => {
    const at = [...base, i];
    if (v.kind === "scalar" && v.date && !["coalesce", "take", "filter", "sort", "unique", "flatten", "slice"].includes(op.op)) {
      throw new Untranslatable(at, `op '${op.op}' after a date: Druid holds dates as epoch milliseconds, the evaluator as date-times; keep date ops last`);
    }
    if (i >= 200) throw new Untranslatable(at, "more than 200 ops: the seed's op budget makes the field null");
    const fail = (m: string): never => {
      throw new Untranslatable(at, `op '${op.op}': ${m}`);
    };
    switch (op.op) {
      case "when":
      case "map":
      case "filter":
      case "sort":
      case "unique":
      case "flatten":
      case "slice":
      case "zip":
      case "objectify":
        if (op.op === "map" && v.kind === "scalar") {
          v = runOps(v, op.then, [...at, "then"], ds, depth + 1);
          return;
        }
        if (op.op === "when") {
          const probe = v.kind === "scalar" ? firstNonNull([v.e], g) : firstNonNull(v.items, g);
          const c = condition(op.cond, probe, at, ds);
          const a = runOps(v, op.then, [...at, "then"], ds, depth + 1);
          const b = runOps(v, op.else, [...at, "else"], ds, depth + 1);
          if (a.kind !== "scalar" || b.kind !== "scalar") return fail("branches that leave several values have no Druid expression");
          if (!!a.date !== !!b.date) return fail("one branch makes a date and the other does not");
          v = { kind: "scalar", e: `if(${c}, ${a.e}, ${b.e})`, date: a.date };
          return;
        }
        if (v.kind === "scalar" && ["filter", "sort", "unique", "flatten", "slice"].includes(op.op)) return; // no-ops on a scalar
        return fail("works on lists of values, which a Druid column expression does not carry; keep this field out of the druid sink");
      case "take":
        if (v.kind === "scalar") return;
        if (op.which === "first") v = { kind: "scalar", e: v.items[0] };
        else if (op.which === "last") v = { kind: "scalar", e: v.items[v.items.length - 1] };
        else v = { kind: "scalar", e: op.which >= 0 && op.which < v.items.length ? v.items[op.which] : "null" };
        return;
      case "join":
        if (v.kind === "scalar") v = { kind: "scalar", e: `if(isnull(${v.e}), '', ${asText(v.e)})` };
        else v = { kind: "scalar", e: `concat(${v.items.map((x) => `nvl(${asText(x)}, '')`).join(`, ${str(op.sep)}, `)})` };
        return;
      case "coalesce":
        if (v.kind === "tuple") v = { kind: "scalar", e: firstNonNull(v.items, g) };
        else v = { kind: "scalar", e: scalarOp(v.e, op, at, ds), date: v.date };
        return;
      case "concat": {
        const items = v.kind === "tuple" ? v.items : [v.e];
        const parts = items.map((x) => `if(isnull(${x}) || ${asText(x)} == '', '', concat(${str(op.sep)}, ${asText(x)}))`);
        const joined = parts.length === 1 ? parts[0] : `concat(${parts.join(", ")})`;
        v = { kind: "scalar", e: op.sep === "" ? joined : `regexp_replace(${joined}, ${str(`^${op.sep.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")}`)}, '')` };
        return;
      }
      default: {
        const x = v.kind === "scalar" ? v.e : firstNonNull(v.items, g);
        const date = op.op === "date_parse" || (op.op === "cast" && op.to === "date");
        v = { kind: "scalar", e: scalarOp(x, op, at, ds), date };
      }
    }
  });
  return v;
}

function firstNonNull(items: string[], g: Globals): string {
  return items.reduceRight((acc, x) => (acc === "" ? `if(${dslIsNull(x, g)}, null, ${x})` : `if(${dslIsNull(x, g)}, ${acc}, ${x})`), "");
}

function condition(c: Extract<CompiledOp, { op: "when" }>["cond"], probe: string, at: Array<string | number>, ds: CompiledDataset): string {
  const g = ds.globals;
  const fail = (m: string): never => {
    throw new Untranslatable([...at, "cond"], m);
  };
  if (c.by !== null) fail("a condition with `by` reads a member of an object, which Druid columns do not carry");
  switch (c.kind) {
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const b = typeof c.value === "number" ? c.value : typeof c.value === "string" && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(c.value.trim()) ? Number(c.value) : null;
      if (b === null) return "0";
      const t = `replace(${strip(`replace(${probe}, ',', '.')`)}, '_', '')`;
      const ok = `regexp_like(${t}, '^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$')`;
      const sym = { gt: ">", gte: ">=", lt: "<", lte: "<=" }[c.kind];
      return `(notnull(${probe}) && ${ok} && cast(${t}, 'DOUBLE') ${sym} ${num(b)})`;
    }
    case "contains":
      if (typeof c.value !== "string") return "0";
      return `nvl(strpos(${probe}, ${str(c.value)}) >= 0, 0)`;
    case "is_empty":
      return dslIsNull(probe, { ...g, emptyAsNull: true });
    case "is_numeric": {
      const n = parseNumber(probe, g);
      return `(notnull(${probe}) && (${n.isInt} || ${n.isFloat} || regexp_like(${n.text}, '(?i)^[-+]?(inf|infinity|nan)$')))`;
    }
    case "matches": {
      const p = javaRegex(c.regex, c.flags);
      if (!p.ok) fail(p.reason);
      return `nvl(regexp_like(nvl(${asText(probe)}, ''), ${str((p as { value: string }).value)}), 0)`;
    }
    case "in_set": {
      if (!c.values.length) return "0";
      const t = `nvl(${asText(probe)}, '')`;
      return `(${c.values.filter((x) => typeof x === "string").map((x) => `${t} == ${str(x as string)}`).join(" || ") || "0"})`;
    }
    case "is_date":
      return `notnull(${dateMillis(probe, g.dateFormats, g.defaultTz, [...at, "cond"])})`;
    case "never":
      return "0";
  }
}

export interface FieldExpression {
  /** The expression computing the field from its input columns. */
  expression: string;
  /** True when the value is a date (epoch millis in Druid). */
  isDate: boolean;
  /** True when the field is its single input column, untouched (no transform needed). */
  passthrough: boolean;
}

/** The expression of a field, or throws Untranslatable (caught by druidFieldExpression). */
function translate(ds: CompiledDataset, field: CompiledField, columns: Array<string | null>): FieldExpression {
  field.inputs.forEach((input, i) => {
    if (input.kind === "jsonpath" && !input.selector.definite && field.ops.length) {
      throw new Untranslatable(["input", i], `JSONPath ${input.expr} selects several values; Druid's ops see one value — select one element (e.g. [0]) or drop the ops`);
    }
    if (input.kind === "literal" && typeof input.value === "boolean") throw new Untranslatable(["input", i], "a boolean literal has no Druid expression value");
  });
  const exprs = field.inputs.map((input, i) => inputExpr(input, columns[i], ["input", i]));
  if (field.type === "geo_point" || field.type === "geo_shape" || field.type === "object" || field.type === "nested") {
    throw new Untranslatable(["type"], `type ${field.type} is an object in Elasticsearch; Druid columns hold strings and numbers`);
  }
  const start: Value = exprs.length === 1 ? { kind: "scalar", e: exprs[0] } : { kind: "tuple", items: exprs };
  const passthrough = !field.ops.length && exprs.length === 1 && field.inputs[0].kind !== "literal";
  const out = runOps(start, field.ops, ["pipeline"], ds, 0);
  if (out.kind !== "scalar") throw new Untranslatable(["input"], "several inputs must be combined (coalesce, concat, join, take) before Druid can store the field");
  let expression = out.e;
  // A boolean cast is 1/0 in Druid; a string column shows it as the evaluator prints it.
  const last = field.ops[field.ops.length - 1];
  if (last?.op === "cast" && last.to === "boolean" && field.druidType === "string") expression = `if(isnull(${expression}), null, if(${expression} == 1, 'true', 'false'))`;
  return { expression, isDate: !!out.date, passthrough };
}

export type FieldTranslation = ({ ok: true } & FieldExpression) | { ok: false; problem: TranslationProblem };

export function druidFieldExpression(ds: CompiledDataset, fieldIndex: number, columns: Array<string | null>): FieldTranslation {
  try {
    return { ok: true, ...translate(ds, ds.fields[fieldIndex], columns) };
  } catch (e) {
    if (e instanceof Untranslatable) return { ok: false, problem: { fieldIndex, opPath: e.opPath, message: `field ${ds.fields[fieldIndex].target}: ${e.message}` } };
    throw e;
  }
}
