// Checks and compiles a field's inputs and pipeline against the op catalogue: unknown ops, unknown,
// missing or mistyped parameters, bad JSONPath, bad Python regexes — each problem at its own place.
import { pyRegex, pyReplacement } from "./pyregex";
import { OP_BY_NAME, type ParamSpec } from "./ops";
import type { SelectorCache } from "./selectors";
import type { PathKey } from "./source";
import type { CompiledInput, CompiledOp } from "./types";

export interface Problem {
  path: PathKey[];
  message: string;
  /** Extra columns into the node (for JSONPath errors inside a string). */
  offset?: number;
  key?: boolean;
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : typeof v);

const INPUT_KEYS: Record<string, string> = { jsonpath: "expr", column: "name", literal: "value" };

/** Parameters without which the seed's executor raises (a TypeError reported as E_OP_EXEC). */
const EXECUTOR_REQUIRED: Record<string, string[]> = {
  regex_replace: ["pattern", "repl"], regex_extract: ["pattern"], dict: ["name"], date_parse: ["formats", "assume_tz"], split: ["sep"],
  geo_parse: ["format"], cast: ["to"], literal: ["value"], objectify: ["fields"], zip: ["with"],
};

export function compileInput(raw: unknown, path: PathKey[], cache: SelectorCache, problems: Problem[], lenient = false): CompiledInput | null {
  if (lenient) {
    const strictProblems: Problem[] = [];
    // The seed reads an input it cannot use as null.
    return compileInput(raw, path, cache, strictProblems) ?? { kind: "literal", value: null };
  }
  if (!isObj(raw)) {
    problems.push({ path, message: `an input is an object {kind: jsonpath|column|literal, …}, got ${kindOf(raw)}` });
    return null;
  }
  const kind = raw.kind;
  if (typeof kind !== "string" || !(kind in INPUT_KEYS)) {
    problems.push({ path: raw.kind === undefined ? path : [...path, "kind"], message: raw.kind === undefined ? "input is missing 'kind' (jsonpath, column or literal)" : `unknown input kind ${JSON.stringify(kind)} (kinds: jsonpath, column, literal)` });
    return null;
  }
  const need = INPUT_KEYS[kind];
  let ok = true;
  for (const k of Object.keys(raw)) {
    if (k !== "kind" && k !== need) {
      problems.push({ path: [...path, k], key: true, message: `unknown key '${k}' in a ${kind} input (it takes '${need}')` });
      ok = false;
    }
  }
  if (!(need in raw)) {
    problems.push({ path, message: `a ${kind} input needs '${need}'` });
    return null;
  }
  if (!ok) return null;
  if (kind === "literal") return { kind, value: raw.value as never };
  if (typeof raw[need] !== "string") {
    problems.push({ path: [...path, need], message: `'${need}' must be a string, got ${kindOf(raw[need])}` });
    return null;
  }
  if (kind === "column") return { kind, name: raw.name as string };
  const expr = raw.expr as string;
  if (expr.length > 1000) {
    problems.push({ path: [...path, "expr"], message: `JSONPath is ${expr.length} characters; the limit is 1000` });
    return null;
  }
  const sel = cache.get(expr);
  if (sel instanceof Error) {
    problems.push({ path: [...path, "expr"], message: `bad JSONPath ${JSON.stringify(expr)}: ${sel.message}`, offset: (sel as { offset?: number }).offset });
    return null;
  }
  return { kind: "jsonpath", expr, selector: sel };
}

function checkParam(name: string, p: ParamSpec, v: unknown, path: PathKey[], problems: Problem[]): void {
  const bad = (what: string) => problems.push({ path, message: `'${name}' must be ${what}, got ${kindOf(v)}${typeof v === "string" || typeof v === "number" ? ` ${JSON.stringify(v)}` : ""}` });
  switch (p.type) {
    case "string":
      if (typeof v !== "string") return void bad("a string");
      if (p.enum && !p.enum.includes(v)) problems.push({ path, message: `'${name}' must be one of: ${p.enum.join(", ")} (got ${JSON.stringify(v)})` });
      if (p.pattern && !new RegExp(p.pattern).test(v)) problems.push({ path, message: `'${name}' must match ${p.pattern} (got ${JSON.stringify(v)})` });
      if (p.maxLength && v.length > p.maxLength) problems.push({ path, message: `'${name}' is ${v.length} characters; the limit is ${p.maxLength}` });
      return;
    case "integer":
      if (typeof v !== "number" || !Number.isInteger(v)) return void bad("an integer");
      if (p.min !== undefined && v < p.min) problems.push({ path, message: `'${name}' must be ≥ ${p.min}` });
      return;
    case "boolean":
      if (typeof v !== "boolean") bad("true or false");
      return;
    case "string_array":
      if (v === null && p.variant) return;
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) bad("a list of strings");
      return;
    case "string_or_null":
      if (v !== null && typeof v !== "string") bad("a string or null");
      return;
    case "integer_or_null":
      if (v !== null && !(typeof v === "number" && Number.isInteger(v))) bad("an integer or null");
      return;
    case "take":
      if (!(v === "first" || v === "last" || (typeof v === "number" && Number.isInteger(v) && v >= 0))) bad("first, last or an index ≥ 0");
      return;
    case "inputs":
      if (!Array.isArray(v)) bad("a list of inputs");
      return;
    case "input_map":
      if (!isObj(v)) bad("an object of key → input");
      return;
    case "ops":
      if (!Array.isArray(v)) bad("a list of ops");
      return;
    case "cond":
      if (!isObj(v) || Object.keys(v).length === 0) bad("a condition object such as {gt: 5} or {type: matches, regex: '…'}");
      return;
    case "input":
    case "any":
      return;
  }
}

/** Python patterns that the evaluator cannot run the way Python does are errors, not silent differences. */
function checkRegex(raw: Raw, path: PathKey[], problems: Problem[]): void {
  if (typeof raw.pattern !== "string") return;
  const r = pyRegex(raw.pattern, typeof raw.flags === "string" ? raw.flags : "", false);
  if (!r.ok) problems.push({ path: [...path, "pattern"], message: `bad regular expression: ${r.message}` });
  const repl = raw.repl ?? raw.replacement;
  if (typeof repl === "string") {
    try {
      pyReplacement(repl);
    } catch (e) {
      problems.push({ path: [...path, raw.repl !== undefined ? "repl" : "replacement"], message: `bad replacement: ${(e as Error).message} (Python re.sub syntax: \\1, \\g<name>)` });
    }
  }
}

export function compileOps(raw: unknown, path: PathKey[], cache: SelectorCache, problems: Problem[], depth = 0, lenient = false): CompiledOp[] {
  if (!Array.isArray(raw)) {
    problems.push({ path, message: `a pipeline is a list of ops, got ${kindOf(raw)}` });
    return [];
  }
  if (depth > 16) {
    problems.push({ path, message: "ops nested more than 16 levels deep (map/when inside map/when …)" });
    return [];
  }
  const out: CompiledOp[] = [];
  raw.forEach((item, i) => {
    const p = [...path, i];
    if (typeof item === "string") {
      problems.push({ path: p, message: `an op is an object {op: ${JSON.stringify(item)}, …}, not a bare string` });
      return;
    }
    if (lenient) {
      const op = lenientOp(item, p, cache, depth);
      if (op) out.push(op);
      return;
    }
    if (!isObj(item) || typeof item.op !== "string") {
      problems.push({ path: p, message: isObj(item) ? "op object is missing 'op'" : `an op is an object {op: …}, got ${kindOf(item)}` });
      return;
    }
    const spec = OP_BY_NAME.get(item.op);
    if (!spec) {
      const known = [...OP_BY_NAME.keys()].sort().join(", ");
      problems.push({ path: [...p, "op"], message: `unknown op '${item.op}' (known ops: ${known})` });
      return;
    }
    const before = problems.length;
    const accepted = new Map<string, [string, ParamSpec]>();
    for (const [name, ps] of Object.entries(spec.params)) {
      accepted.set(name, [name, ps]);
      for (const a of ps.aliases ?? []) accepted.set(a, [name, ps]);
    }
    for (const [k, v] of Object.entries(item)) {
      if (k === "op") continue;
      const a = accepted.get(k);
      if (!a) {
        const names = [...accepted.keys()];
        problems.push({ path: [...p, k], key: true, message: `op '${item.op}' has no parameter '${k}'${names.length ? ` (parameters: ${names.join(", ")})` : " (it takes none)"}` });
        continue;
      }
      checkParam(k, a[1], v, [...p, k], problems);
    }
    for (const [name, ps] of Object.entries(spec.params)) {
      if (ps.required && item[name] === undefined && !(ps.aliases ?? []).some((a) => item[a] !== undefined)) {
        problems.push({ path: [...p, "op"], message: `op '${item.op}' needs '${name}'` });
      }
    }
    if (spec.name === "regex_replace" || spec.name === "regex_extract") checkRegex(item, p, problems);
    if (problems.length > before) return;
    out.push(
      spec.compile(item, {
        compileOps: (r, key) => compileOps(r, [...p, key], cache, problems, depth + 1),
        compileInput: (r, key) => compileInput(r, [...p, ...key.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k))], cache, problems),
      }),
    );
  });
  return out;
}

/** What the seed's executor makes of an op it is given without validation. */
function lenientOp(item: unknown, path: PathKey[], cache: SelectorCache, depth: number): CompiledOp | null {
  if (!isObj(item)) return null;
  const name = String(item.op);
  const spec = OP_BY_NAME.get(name);
  if (!spec) return { op: "unsupported", name, code: "W_OP_UNKNOWN" };
  const keys = Object.keys(item);
  if ((EXECUTOR_REQUIRED[spec.name] ?? []).some((k) => !keys.includes(k))) return { op: "unsupported", name, code: "E_OP_EXEC" };
  // A key that repeats the executor's positional argument is a TypeError there.
  const positional = spec.reading === "list" ? "values" : spec.reading === "scalar" && spec.name !== "literal" ? "value" : null;
  if (positional && keys.includes(positional)) return { op: "unsupported", name, code: "E_OP_EXEC" };
  const sink: Problem[] = [];
  return spec.compile(item, {
    compileOps: (r, key) => compileOps(r, [...path, key], cache, sink, depth + 1, true),
    compileInput: (r, key) => compileInput(r, [...path, key], cache, sink, true),
  });
}
