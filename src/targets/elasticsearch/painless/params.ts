// A compiled dataset as the `params` of the pipeline's mapping script (plain JSON: Elasticsearch hands it
// to Painless as Maps, Lists, Strings, Integers/Longs/Doubles, Booleans), plus the regexes the script
// declares, plus every place where Elasticsearch could not compute what the evaluator computes.
import { isKnownTimeZone } from "../../../dsl/pydate";
import { parsePyReplacement, type ReplacementPart } from "../../../dsl/pyregex";
import { OP_CATALOGUE } from "../../../dsl/ops";
import type { CompiledDataset, CompiledInput, CompiledOp, Condition, Json } from "../../../dsl/types";
import { dslRegex, type JavaRegex } from "./regex";

export interface TranslationProblem {
  /** Index into ds.fields; -1 for a dataset-level problem. */
  fieldIndex: number;
  /** Path inside the field: ["pipeline", 2, "then", 0] or ["input", 1]; [] for the field itself. */
  opPath: (string | number)[];
  message: string;
}

export interface ScriptParams {
  params: Record<string, Json>;
  /** java.util.regex sources, indexed by the `rx` numbers in params. */
  patterns: string[];
  problems: TranslationProblem[];
}

/** Keys of an ingest document's ctx that are metadata, not source. */
export const INGEST_METADATA_KEYS = ["_index", "_id", "_routing", "_version", "_version_type", "_if_seq_no", "_if_primary_term", "_dynamic_templates", "_ingest", "_now"];

/** The zone name Java must resolve: Intl's canonical spelling, or UTC where the evaluator falls back to UTC. */
const zones = new Map<string, string>();
export function resolveZone(tz: string): string {
  let z = zones.get(tz);
  if (z === undefined) {
    if (!tz || !isKnownTimeZone(tz)) z = "UTC";
    else {
      const id = new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
      z = id === "Etc/UTC" || id === "Etc/GMT" || id === "GMT" ? "UTC" : id;
    }
    zones.set(tz, z);
  }
  return z;
}

/** Python re.sub's replacement template, as the evaluator reads it (parsePyReplacement), resolved against the pattern's groups. */
function replacementParts(repl: string, regex: JavaRegex, hasNamed: boolean): { parts: Json[] } | { error: string } {
  let parsed: ReplacementPart[];
  try {
    parsed = parsePyReplacement(repl);
  } catch (e) {
    return { error: `E_REGEX_ERROR: ${(e as Error).message}` };
  }
  const bad = (g: number | string) => ({ fail: typeof g === "number" ? `E_REGEX_ERROR: invalid group reference ${g}` : `E_REGEX_ERROR: unknown group name '${g}'` });
  const parts: Json[] = parsed.map((p): Json => {
    if ("lit" in p) return { lit: p.lit };
    if (p.group === 0) return { group: 0 };
    if (typeof p.group === "number") return p.group > regex.groups ? bad(p.group) : { group: p.group };
    return !hasNamed || !(p.group in regex.names) ? bad(p.group) : { group: regex.names[p.group] };
  });
  return { parts };
}

class Builder {
  patterns: string[] = [];
  problems: TranslationProblem[] = [];
  private index = new Map<string, number>();
  constructor(private readonly ds: CompiledDataset, private fieldIndex = -1) {}

  at(fieldIndex: number): this {
    this.fieldIndex = fieldIndex;
    return this;
  }

  problem(opPath: (string | number)[], message: string): void {
    this.problems.push({ fieldIndex: this.fieldIndex, opPath, message });
  }

  rx(java: string): number {
    let n = this.index.get(java);
    if (n === undefined) {
      n = this.patterns.length;
      this.patterns.push(java);
      this.index.set(java, n);
    }
    return n;
  }

  input(inp: CompiledInput, path: (string | number)[]): Json {
    if (inp.kind === "literal") return { kind: "literal", value: inp.value };
    if (inp.kind === "column") return { kind: "column", name: inp.name };
    const segments: Json[] = [];
    for (const s of inp.selector.segments) {
      if (s.kind === "filter") {
        this.problem(path, `JSONPath filter ${s.source} in '${inp.expr}' is not supported by the Elasticsearch target`);
        continue;
      }
      segments.push(s as unknown as Json);
    }
    return { kind: "jsonpath", definite: inp.selector.definite, segments };
  }

  cond(c: Condition, path: (string | number)[]): Json {
    const base = { kind: c.kind, by: c.by };
    switch (c.kind) {
      case "gt":
      case "gte":
      case "lt":
      case "lte":
      case "contains":
        return { ...base, value: c.value };
      case "in_set":
        return { ...base, values: c.values };
      case "matches": {
        const r = dslRegex(c.regex, c.flags, false);
        if (r.kind === "untranslatable") this.problem(path, `condition regex ${JSON.stringify(c.regex)} cannot run identically in Elasticsearch: ${r.problem}`);
        return { ...base, rx: r.kind === "ok" ? this.rx(r.regex.java) : null };
      }
      default:
        return base;
    }
  }

  ops(ops: CompiledOp[], path: (string | number)[]): Json[] {
    return ops.map((op, i) => this.op(op, [...path, i]));
  }

  op(op: CompiledOp, path: (string | number)[]): Json {
    const reading = OP_CATALOGUE[op.op].reading;
    const base = { op: op.op, reading };
    switch (op.op) {
      case "regex_replace":
      case "regex_extract": {
        const r = dslRegex(op.pattern, op.flags, true, op.op === "regex_replace");
        if (r.kind === "error") return { ...base, error: r.message, group: op.op === "regex_extract" ? op.group : 0 };
        if (r.kind === "untranslatable") {
          this.problem(path, `op '${op.op}': pattern ${JSON.stringify(op.pattern)} cannot run identically in Elasticsearch: ${r.problem}`);
          return { ...base, error: "untranslatable pattern" };
        }
        const rx = this.rx(r.regex.java);
        if (op.op === "regex_extract") return { ...base, rx, group: op.group, error: null };
        const hasNamed = Object.keys(r.regex.names).length > 0;
        const repl = replacementParts(op.repl, r.regex, hasNamed);
        return "error" in repl ? { ...base, rx, error: repl.error } : { ...base, rx, parts: repl.parts, error: null };
      }
      case "date_parse":
        return { ...base, formats: op.formats, tz: resolveZone(op.assumeTz || this.ds.globals.defaultTz || "UTC") };
      case "when":
        return { ...base, cond: this.cond(op.cond, [...path, "cond"]), then: this.ops(op.then, [...path, "then"]), else: this.ops(op.else, [...path, "else"]) };
      case "map":
        return { ...base, then: this.ops(op.then, [...path, "then"]) };
      case "filter":
        return { ...base, cond: this.cond(op.cond, [...path, "cond"]) };
      case "zip":
        return { ...base, with: op.with.map((w, i) => this.input(w, [...path, "with", i])), fill: op.fill };
      case "objectify":
        return { ...base, fields: op.fields.map((f) => ({ key: f.key, input: f.input ? this.input(f.input, [...path, "fields", f.key]) : null })), fill: op.fill, strict: op.strict };
      case "dict":
        return { ...base, name: op.name, onUnknown: op.onUnknown, default: op.default };
      default: {
        const { op: _name, ...rest } = op as Record<string, unknown>;
        return { ...base, ...(rest as Record<string, Json>) };
      }
    }
  }
}

const RESERVED_TARGETS = new Set(INGEST_METADATA_KEYS.filter((k) => k !== "_id").concat(["_source", "_seq_no", "_primary_term", "_ignored", "_tier", "_field_names", "_doc_count"]));

export function buildScriptParams(ds: CompiledDataset): ScriptParams {
  const b = new Builder(ds);
  const g = ds.globals;
  const fields = ds.fields.map((f, i) => {
    b.at(i);
    const first = f.target.split(".")[0];
    if (RESERVED_TARGETS.has(first)) b.problem([], `target '${f.target}' is an Elasticsearch metadata field`);
    return {
      target: f.target,
      parts: f.target.split("."),
      inputs: f.inputs.map((inp, j) => b.input(inp, ["input", j])),
      ops: b.ops(f.ops, ["pipeline"]),
    };
  });
  b.at(-1);
  const params: Record<string, Json> = {
    metadata: INGEST_METADATA_KEYS,
    globals: {
      nulls: g.nulls,
      boolTrue: g.boolTrue.map((t) => t.toLowerCase()),
      boolFalse: g.boolFalse.map((t) => t.toLowerCase()),
      decimalSep: g.decimalSep,
      thousandsSep: g.thousandsSep,
      dateFormats: g.dateFormats,
      defaultTz: resolveZone(g.defaultTz || "UTC"),
      emptyAsNull: g.emptyAsNull,
    },
    dictionaries: Object.fromEntries(Object.entries(ds.dictionaries).map(([k, d]) => [k, { trimKeys: d.trimKeys, caseInsensitive: d.caseInsensitive, data: d.data }])),
    arrays: ds.containers.filter((c) => c.array).map((c) => c.path),
    checks: ds.fields.filter((f) => f.target !== "_id").map((f) => ({ target: f.target, parts: f.target.split("."), type: f.type })),
    idPolicy: ds.idPolicy ? { from: ds.idPolicy.from, sep: ds.idPolicy.sep, hash: ds.idPolicy.hash, salt: ds.idPolicy.salt } : null,
    fields,
  };
  return { params, patterns: b.patterns, problems: b.problems };
}
