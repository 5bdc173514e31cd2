// Validates and compiles mapping documents into CompiledDatasets. All problems of a file are reported at
// once, each with file:line:col; a run that has any problem compiles nothing (nothing half-applied).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson } from "../json/canonical";
import { Diagnostic, MapstackError } from "./diagnostics";
import { compileInput, compileOps, type Problem } from "./pipeline-check";
import { listMessages, loadProtoFile, lookupMessage, resolveAgainstMessage } from "./proto";
import { isKnownTimeZone } from "./pydate";
import { schemaDiagnostics } from "./schema";
import { SelectorCache } from "./selectors";
import { readSource, type PathKey, type SourceDocument } from "./source";
import {
  DEFAULT_MONITORING, type CompiledDataset, type CompiledField, type CompiledInput, type CompiledOp, type Container, type Dictionary,
  type DruidFieldType, type DruidSink, type ElasticsearchSink, type EsFieldType, type Globals, type IdPolicy, type Json,
  type MonitoringThresholds, type SourceSpec,
} from "./types";

export { SelectorCache };

export interface CompileReport {
  datasets: number;
  fields: number;
  jsonpathCacheHits: number;
  jsonpathCacheMisses: number;
  compileMillis: number;
}

export interface CompileResult {
  datasets: CompiledDataset[];
  diagnostics: Diagnostic[];
  /** Valid, but worth a look (the seed's W_ codes). */
  warnings: Diagnostic[];
  report: CompileReport;
}

export interface CompileOptions {
  /** Directory the DSL files live in; proto files resolve relative to it. */
  dslDir: string;
  cache?: SelectorCache;
  /**
   * Compile what can be compiled even when the document has problems (the seed's dry-run runs mappings
   * without validating them). Used to compare with the seed; never by validate, synth or the program.
   */
  lenient?: boolean;
  /** What each target cannot express exactly (the Elasticsearch pipeline, Druid expressions): validate errors. */
  targetChecks?: TargetCheck[];
}

/** A problem a target reports for a compiled dataset: a field (index into `fields`) and a path inside it, or a document path when fieldIndex is -1. */
export interface TargetProblem {
  fieldIndex: number;
  opPath: PathKey[];
  message: string;
}
export type TargetCheck = (ds: CompiledDataset) => TargetProblem[];

const DSL_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Mapping documents of a directory (top level only: proto/ and samples/ are not datasets), sorted. */
export function listDslFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new MapstackError(`DSL directory '${dir}' does not exist`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && DSL_EXTENSIONS.has(path.extname(e.name)))
    .map((e) => path.join(dir, e.name))
    .sort();
}

export function contentHash(v: unknown): string {
  return createHash("sha256").update(canonicalJson(v)).digest("hex").slice(0, 16);
}

/** The seed's pipelines longer than this get W_PIPELINE_TOO_LONG. */
export const PIPELINE_WARN_LENGTH = 50;

/** The executor's defaults for globals it does not find. */
export const DEFAULT_GLOBALS: Globals = {
  nulls: [], boolTrue: [], boolFalse: [], decimalSep: ",", thousandsSep: " ", dateFormats: [], defaultTz: "UTC", emptyAsNull: true,
};

/** Seed ILM (hot rollover 30gb / 30d, warm at 30d with forcemerge, delete at 180d), used unless the sink overrides it. */
const SEED_ILM: Raw = { hot: { max_age: "30d", max_primary_shard_size: "30gb" }, warm: { min_age: "30d", force_merge_segments: 1 }, delete: { min_age: "180d" } };

const DRUID_TYPES: Record<EsFieldType, DruidFieldType> = {
  text: "string", keyword: "string", ip: "string", date: "string", integer: "long", long: "long", double: "double", boolean: "long",
  geo_point: "json", geo_shape: "json", object: "json", nested: "json",
};

const TEXT_LIKE = new Set(["text", "keyword"]);
const BUILTIN_ANALYZERS = new Set(["standard", "simple", "whitespace", "stop", "keyword", "pattern", "fingerprint", "english", "french", "german", "spanish", "italian"]);

type Raw = Record<string, any>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

function toDiagnostic(src: SourceDocument, p: Problem): Diagnostic {
  const pos = src.locate(p.path, { key: p.key });
  let col = pos.col;
  if (p.offset !== undefined) {
    const quoted = /^["']/.test(src.text.split("\n")[pos.line - 1]?.slice(pos.col - 1) ?? "");
    col += p.offset + (quoted ? 1 : 0);
  }
  return { file: src.file, line: pos.line, col, message: p.message };
}

function readGlobals(g: unknown, problems: Problem[]): Globals {
  if (!isObj(g)) return DEFAULT_GLOBALS;
  const tz = typeof g.default_tz === "string" ? g.default_tz : DEFAULT_GLOBALS.defaultTz;
  if (typeof g.default_tz === "string" && !isKnownTimeZone(g.default_tz)) {
    problems.push({ path: ["globals", "default_tz"], message: `unknown time zone '${g.default_tz}' (an IANA name such as Europe/Paris or UTC)` });
  }
  return {
    nulls: strings(g.nulls),
    boolTrue: strings(g.bool_true),
    boolFalse: strings(g.bool_false),
    decimalSep: typeof g.decimal_sep === "string" ? g.decimal_sep : DEFAULT_GLOBALS.decimalSep,
    thousandsSep: typeof g.thousands_sep === "string" ? g.thousands_sep : DEFAULT_GLOBALS.thousandsSep,
    dateFormats: strings(g.date_formats),
    defaultTz: tz,
    emptyAsNull: typeof g.empty_as_null === "boolean" ? g.empty_as_null : true,
  };
}

function readIdPolicy(p: unknown): IdPolicy | null {
  if (!isObj(p)) return null;
  return {
    from: strings(p.from),
    sep: typeof p.sep === "string" ? p.sep : ":",
    // md5 is outside the schema but the executor honours it (lenient compiles only reach it).
    hash: p.hash === "sha1" || p.hash === "sha256" || p.hash === "md5" ? p.hash : null,
    salt: typeof p.salt === "string" ? p.salt : "",
    onConflict: p.on_conflict === "overwrite" || p.on_conflict === "skip" ? p.on_conflict : "error",
  };
}

function readContainers(c: unknown): Container[] {
  if (!Array.isArray(c)) return [];
  return c.filter(isObj).filter((x) => typeof x.path === "string").map((x) => ({
    path: x.path.replace(/\[\]/g, ""),
    type: x.type === "nested" ? "nested" : "object",
    array: x.path.endsWith("[]") || x.type === "nested",
  }));
}

function readDictionaries(d: unknown, problems: Problem[]): Record<string, Dictionary> {
  const out: Record<string, Dictionary> = {};
  if (!isObj(d)) return out;
  for (const [name, raw] of Object.entries(d)) {
    if (!isObj(raw)) {
      problems.push({ path: ["dictionaries", name], message: `dictionary '${name}' must be an object (key → value, or {meta, data})` });
      continue;
    }
    const wrapped = "data" in raw && isObj(raw.data);
    const meta = wrapped && isObj(raw.meta) ? raw.meta : {};
    const data: Raw = wrapped ? raw.data : raw;
    const ci = meta.case_insensitive !== false;
    const trim = meta.trim_keys !== false;
    const norm: Record<string, Json> = {};
    for (const [k, v] of Object.entries(data)) {
      let kk = k;
      if (trim) kk = kk.trim();
      if (ci) kk = kk.toLowerCase();
      norm[kk] = v as Json;
    }
    out[name] = { caseInsensitive: ci, trimKeys: trim, data: norm };
  }
  return out;
}

function allOps(ops: CompiledOp[]): CompiledOp[] {
  return ops.flatMap((o) => [o, ...(o.op === "map" ? allOps(o.then) : o.op === "when" ? [...allOps(o.then), ...allOps(o.else)] : [])]);
}

function compileFields(doc: Raw, containers: Container[], dicts: Record<string, Dictionary>, cache: SelectorCache, problems: Problem[], warnings: Problem[], lenient = false): CompiledField[] {
  const out: CompiledField[] = [];
  const targets = new Map<string, number>();
  const analyzers = new Set(Object.keys(doc.settings?.analysis?.analyzer ?? {}));
  const normalizers = new Set(Object.keys(doc.settings?.analysis?.normalizer ?? {}));
  const fields = Array.isArray(doc.fields) ? doc.fields : [];
  fields.forEach((f: unknown, i: number) => {
    if (!isObj(f)) return;
    const at = (...k: PathKey[]) => ["fields", i, ...k];
    const before = problems.length;
    const target = typeof f.target === "string" ? f.target : null;
    if (target !== null) {
      if (targets.has(target)) problems.push({ path: at("target"), message: `E_TARGET_DUPLICATE: target '${target}' is already written by fields[${targets.get(target)}]` });
      else targets.set(target, i);
    }
    const type = f.type as EsFieldType;
    if (typeof f.analyzer === "string" && !analyzers.has(f.analyzer) && !BUILTIN_ANALYZERS.has(f.analyzer)) {
      problems.push({ path: at("analyzer"), message: `E_ANALYZER_NOT_FOUND: analyzer '${f.analyzer}' is neither built in nor declared in settings.analysis.analyzer` });
    }
    if (typeof f.normalizer === "string" && !normalizers.has(f.normalizer) && f.normalizer !== "lowercase") {
      problems.push({ path: at("normalizer"), message: `E_NORMALIZER_NOT_FOUND: normalizer '${f.normalizer}' is not declared in settings.analysis.normalizer` });
    }
    if (f.ignore_above !== undefined && type !== "keyword") problems.push({ path: at("ignore_above"), message: `E_IGNORE_ABOVE_INVALID_TYPE: ignore_above applies to keyword fields, not ${type}` });
    if (f.null_value !== undefined && f.null_value !== null && type === "text") problems.push({ path: at("null_value"), message: "E_NULL_VALUE_INVALID_TYPE: text fields cannot have a null_value" });
    const copyTo = strings(f.copy_to);
    if (target !== null && copyTo.includes(target)) problems.push({ path: at("copy_to"), message: `E_COPY_TO_SELF: field '${target}' copies to itself` });
    const multi = Array.isArray(f.multi_fields) ? f.multi_fields.filter(isObj) : [];
    const multiNames = new Set<string>();
    multi.forEach((m, j) => {
      if (multiNames.has(m.name)) problems.push({ path: at("multi_fields", j, "name"), message: `E_MULTI_FIELD_COLLISION: multi-field '${m.name}' is declared twice` });
      multiNames.add(m.name);
    });
    const inputs = (Array.isArray(f.input) ? f.input : []).map((x: unknown, j: number) => compileInput(x, at("input", j), cache, problems, lenient)).filter((x: CompiledInput | null): x is CompiledInput => x !== null);
    const ops = compileOps(f.pipeline ?? [], at("pipeline"), cache, problems, 0, lenient);
    if (Array.isArray(f.pipeline) && f.pipeline.length > PIPELINE_WARN_LENGTH) {
      warnings.push({ path: at("pipeline"), message: `W_PIPELINE_TOO_LONG: ${f.pipeline.length} ops (more than ${PIPELINE_WARN_LENGTH}); only the first 200 run` });
    }
    for (const op of allOps(ops)) {
      if (op.op === "dict" && !dicts[op.name]) problems.push({ path: at("pipeline"), message: `op 'dict' names dictionary '${op.name}', which is not declared in dictionaries (declared: ${Object.keys(dicts).join(", ") || "none"})` });
      if (op.op === "date_parse" && op.assumeTz && !isKnownTimeZone(op.assumeTz)) problems.push({ path: at("pipeline"), message: `op 'date_parse' assume_tz '${op.assumeTz}' is not a known time zone` });
    }
    if ((problems.length > before && !lenient) || target === null) return;
    out.push({
      target,
      type,
      druidType: DRUID_TYPES[type] ?? "string",
      inputs,
      ops,
      es: {
        ...(typeof f.format === "string" ? { format: f.format } : {}),
        ...(typeof f.analyzer === "string" ? { analyzer: f.analyzer } : {}),
        ...(typeof f.normalizer === "string" ? { normalizer: f.normalizer } : {}),
        ...(typeof f.ignore_above === "number" ? { ignoreAbove: f.ignore_above } : {}),
        ...(f.null_value !== undefined && f.null_value !== null ? { nullValue: f.null_value } : {}),
        ...(copyTo.length ? { copyTo } : {}),
        ...(multi.length ? { multiFields: multi.map((m) => ({ name: m.name, type: m.type, ...(m.analyzer ? { analyzer: m.analyzer } : {}), ...(m.normalizer ? { normalizer: m.normalizer } : {}) })) } : {}),
        ...(isObj(f.options) ? { options: f.options } : {}),
      },
    });
  });
  checkTargets(fields, containers, problems);
  return out;
}

/** Targets must not collide as prefixes (`a` and `a.b`): the seed fails the whole request on them. */
function checkTargets(fields: unknown[], containers: Container[], problems: Problem[]): void {
  const byTarget = new Map<string, number>();
  fields.forEach((f, i) => {
    if (isObj(f) && typeof f.target === "string") byTarget.set(f.target, i);
  });
  for (const [t, i] of byTarget) {
    const parts = t.split(".");
    for (let k = 1; k < parts.length; k++) {
      const prefix = parts.slice(0, k).join(".");
      if (byTarget.has(prefix)) problems.push({ path: ["fields", i, "target"], message: `target '${t}' is inside '${prefix}', which fields[${byTarget.get(prefix)}] writes as a value` });
    }
  }
  containers.forEach((c, j) => {
    if (byTarget.has(c.path)) {
      const i = byTarget.get(c.path)!;
      const f = fields[i] as Raw;
      if (f.type !== "object" && f.type !== "nested") problems.push({ path: ["fields", i, "target"], message: `target '${c.path}' is container ${j} (${c.type}); a field written there must be type object or nested` });
    }
  });
}

function compileSource(doc: Raw, opts: CompileOptions, fields: CompiledField[], problems: Problem[]): SourceSpec | null {
  const s = doc.source as Raw | undefined;
  if (s === undefined) return { format: "json", kafkaTopic: null };
  if (!isObj(s)) return null;
  const kafkaTopic = typeof s.kafka?.topic === "string" ? s.kafka.topic : null;
  if (s.format === "json" || s.format === undefined) {
    if (s.proto) problems.push({ path: ["source", "proto"], message: "proto is only used with format: protobuf", key: true });
    return { format: "json", kafkaTopic };
  }
  if (s.format === "csv") return { format: "csv", kafkaTopic, delimiter: typeof s.csv?.delimiter === "string" ? s.csv.delimiter : "," };
  if (s.format !== "protobuf") return null;
  if (!isObj(s.proto) || typeof s.proto.file !== "string" || typeof s.proto.message !== "string") {
    problems.push({ path: ["source"], message: "format: protobuf needs proto: {file, message}" });
    return null;
  }
  const file = s.proto.file.replace(/^proto\//, "");
  const loaded = loadProtoFile(path.join(opts.dslDir, "proto"), file);
  if (!loaded.ok) {
    problems.push({ path: ["source", "proto", "file"], message: loaded.message });
    return null;
  }
  const type = lookupMessage(loaded.root, s.proto.message);
  if (!type) {
    problems.push({ path: ["source", "proto", "message"], message: `unknown proto message '${s.proto.message}' in ${s.proto.file} (messages: ${listMessages(loaded.root).join(", ")})` });
    return null;
  }
  const rawFields = Array.isArray(doc.fields) ? doc.fields : [];
  rawFields.forEach((f: unknown, i: number) => {
    if (!isObj(f) || !Array.isArray(f.input)) return;
    if (!fields.some((c) => c.target === f.target)) return;
    f.input.forEach((inp: unknown, j: number) => {
      if (!isObj(inp)) return;
      if (inp.kind === "column") problems.push({ path: ["fields", i, "input", j, "kind"], message: "column inputs read CSV rows; a protobuf source is read with jsonpath inputs" });
    });
    const compiled = fields.find((c) => c.target === f.target)!;
    compiled.inputs.forEach((inp, j) => {
      if (inp.kind !== "jsonpath") return;
      const why = resolveAgainstMessage(type, inp.selector.segments);
      if (why) problems.push({ path: ["fields", i, "input", j, "expr"], message: `selector ${inp.expr} does not resolve against ${s.proto.message}: ${why}` });
    });
  });
  return { format: "protobuf", kafkaTopic, protoFile: `proto/${file}`, message: s.proto.message };
}

function compileElasticsearch(doc: Raw): ElasticsearchSink | null {
  const sinks = doc.sinks as Raw | undefined;
  if (sinks !== undefined && !isObj(sinks?.elasticsearch)) return null;
  const e: Raw = sinks?.elasticsearch ?? {};
  const ilm: Raw = isObj(e.ilm) ? Object.fromEntries(Object.entries(e.ilm).filter(([, v]) => isObj(v))) : SEED_ILM;
  return {
    index: typeof e.index === "string" ? e.index : String(doc.index ?? "").replace(/_/g, "-"),
    mode: e.mode ?? "rollover_alias",
    dynamic: e.dynamic ?? "strict",
    version: e.version ?? 1,
    ilm: {
      hot: {
        maxAge: ilm.hot?.max_age ?? (ilm.hot ? null : "1d"),
        maxPrimaryShardSize: ilm.hot?.max_primary_shard_size ?? (ilm.hot ? null : "50gb"),
        maxDocs: ilm.hot?.max_docs ?? null,
        priority: ilm.hot?.priority ?? 100,
      },
      warm: ilm.warm ? { minAge: ilm.warm.min_age, shrinkShards: ilm.warm.shrink_shards ?? null, forceMergeSegments: ilm.warm.force_merge_segments ?? null, priority: ilm.warm.priority ?? 50 } : null,
      cold: ilm.cold ? { minAge: ilm.cold.min_age, priority: ilm.cold.priority ?? 0 } : null,
      delete: ilm.delete ? { minAge: ilm.delete.min_age } : null,
    },
  };
}

function compileDruid(d: Raw, fields: CompiledField[], problems: Problem[]): DruidSink {
  const byTarget = new Map(fields.map((f) => [f.target, f]));
  const known = (name: unknown) => typeof name === "string" && byTarget.has(name);
  const base = ["sinks", "druid"];
  const show = (v: unknown) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? "nothing");
  if (isObj(d.timestamp) && !known(d.timestamp.field)) problems.push({ path: [...base, "timestamp", "field"], message: `timestamp field ${show(d.timestamp.field)} is not a field target` });
  (Array.isArray(d.dimensions) ? d.dimensions : []).forEach((dim: unknown, i: number) => {
    if (!known(dim)) problems.push({ path: [...base, "dimensions", i], message: `dimension ${show(dim)} is not a field target` });
  });
  (Array.isArray(d.metrics) ? d.metrics : []).forEach((m: Raw, i: number) => {
    if (!isObj(m) || m.type === "count") return;
    if (!known(m?.field)) {
      problems.push({ path: [...base, "metrics", i, m?.field === undefined ? "type" : "field"], message: `metric ${show(m?.name)} (${show(m?.type)}) needs 'field' naming a field target` });
      return;
    }
    const f = byTarget.get(m.field)!;
    if (/Sum|Min|Max/.test(m.type) && !["long", "double"].includes(f.druidType)) {
      problems.push({ path: [...base, "metrics", i, "field"], message: `metric ${show(m.name)} (${show(m.type)}) needs a numeric field; '${f.target}' is ${f.druidType}` });
    }
  });
  return {
    datasource: d.datasource,
    timestamp: { field: isObj(d.timestamp) ? d.timestamp.field : undefined, format: (isObj(d.timestamp) && d.timestamp.format) || "auto" },
    granularity: isObj(d.granularity)
      ? { segment: d.granularity.segment ?? "HOUR", query: d.granularity.query ?? "NONE", rollup: d.granularity.rollup ?? false }
      : { segment: "HOUR", query: "NONE", rollup: false },
    dimensions: strings(d.dimensions),
    metrics: (Array.isArray(d.metrics) ? d.metrics : []).filter(isObj).map((m: Raw) => ({ name: m.name, type: m.type, field: m.field ?? null })),
    replaces: isObj(d.replaces) ? { datasource: d.replaces.datasource, oldSupervisor: d.replaces.old_supervisor ?? "suspend" } : null,
    ...(d.index_spec !== undefined ? { indexSpec: d.index_spec } : {}),
    ...(d.partition_dimensions !== undefined ? { partitionDimensions: d.partition_dimensions } : {}),
    ...(d.dimension_exclusions !== undefined ? { dimensionExclusions: d.dimension_exclusions } : {}),
    ...(d.include_all_dimensions !== undefined ? { includeAllDimensions: d.include_all_dimensions } : {}),
    ...(d.use_schema_discovery !== undefined ? { useSchemaDiscovery: d.use_schema_discovery } : {}),
    ...(d.filter !== undefined ? { filter: d.filter } : {}),
  };
}

function compileMonitoring(raw: unknown): MonitoringThresholds {
  const d = DEFAULT_MONITORING;
  const m: Raw | undefined = isObj(raw) ? { druid: isObj(raw.druid) ? raw.druid : undefined, elasticsearch: isObj(raw.elasticsearch) ? raw.elasticsearch : undefined, critical: raw.critical } : undefined;
  return {
    ...(m?.critical === true ? { critical: true } : {}),
    druid: {
      maxLagSeconds: m?.druid?.max_lag_seconds ?? d.druid.maxLagSeconds,
      parseErrorRatio: m?.druid?.parse_error_ratio ?? d.druid.parseErrorRatio,
      taskFailureRatio: m?.druid?.task_failure_ratio ?? d.druid.taskFailureRatio,
      noIngestMinutes: m?.druid?.no_ingest_minutes ?? d.druid.noIngestMinutes,
    },
    elasticsearch: {
      indexingFailureRatio: m?.elasticsearch?.indexing_failure_ratio ?? d.elasticsearch.indexingFailureRatio,
      noDocsMinutes: m?.elasticsearch?.no_docs_minutes ?? d.elasticsearch.noDocsMinutes,
      ilmStuckHours: m?.elasticsearch?.ilm_stuck_hours ?? d.elasticsearch.ilmStuckHours,
    },
  };
}

/** Paths whose problems the op catalogue explains better than the schema's alternatives. */
const isCatalogueChecked = (p: PathKey[]) => p[0] === "fields" && typeof p[1] === "number" && (p[2] === "pipeline" || p[2] === "input") && p.length >= 4;

/** Compiles one parsed document. Returns null and pushes diagnostics when anything is wrong. */
function compileDocument(src: SourceDocument, relFile: string, opts: CompileOptions, cache: SelectorCache, out: Diagnostic[], warnOut: Diagnostic[]): CompiledDataset | null {
  const doc = src.value as Raw;
  if (!isObj(doc)) {
    out.push({ file: src.file, line: 1, col: 1, message: "a mapping document is an object with dsl_version, index, globals, id_policy and fields" });
    return null;
  }
  const diags = schemaDiagnostics(src, isCatalogueChecked);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (typeof doc.dsl_version === "number") problems.push({ path: ["dsl_version"], message: `dsl_version must be a string: write "${doc.dsl_version}" in quotes` });
  const globals = readGlobals(doc.globals, problems);
  const containers = readContainers(doc.containers);
  const dictionaries = readDictionaries(doc.dictionaries, problems);
  const fields = compileFields(doc, containers, dictionaries, cache, problems, warnings, opts.lenient);
  const source = compileSource(doc, opts, fields, problems);
  const es = compileElasticsearch(doc);
  const druid = isObj(doc.sinks?.druid) ? compileDruid(doc.sinks.druid, fields, problems) : null;

  out.push(...diags, ...problems.map((p) => toDiagnostic(src, p)));
  warnOut.push(...warnings.map((p) => toDiagnostic(src, p)));
  if (!opts.lenient && (diags.length || problems.length || !source)) return null;
  const ds: CompiledDataset = {
    dslVersion: doc.dsl_version,
    name: String(doc.index ?? ""),
    description: typeof doc.description === "string" ? doc.description : "",
    file: relFile,
    contentHash: contentHash(doc),
    source: source ?? { format: "json", kafkaTopic: null },
    globals,
    idPolicy: readIdPolicy(doc.id_policy),
    containers,
    dictionaries,
    fields,
    esSettings: isObj(doc.settings) ? doc.settings : {},
    dynamicTemplates: Array.isArray(doc.dynamic_templates) ? doc.dynamic_templates : [],
    runtimeFields: isObj(doc.runtime_fields) ? doc.runtime_fields : {},
    sinks: { elasticsearch: es, druid },
    monitoring: compileMonitoring(doc.monitoring),
  };
  if (!opts.lenient && opts.targetChecks?.length) {
    // Field indexes of the compiled dataset are those of the document: every field compiled.
    const targetProblems = opts.targetChecks.flatMap((check) => check(ds));
    for (const t of targetProblems) out.push(toDiagnostic(src, { path: t.fieldIndex >= 0 ? ["fields", t.fieldIndex, ...t.opPath] : t.opPath, message: t.message }));
    if (targetProblems.length) return null;
  }
  return ds;
}

/**
 * In a YAML flow list ([…] or {…}), an unquoted JSONPath such as `$.a[*]` opens a nested list and `*`
 * starts an alias; the parser's own words do not say so. The first such error of a file gets the hint.
 */
function withYamlHints(ds: Diagnostic[]): Diagnostic[] {
  const hint = ds.findIndex((d) => /Alias cannot be an empty string|Unexpected alias|Unexpected flow-seq-start|Unexpected flow-seq-end/.test(d.message));
  if (hint < 0) return ds;
  return ds.map((d, i) => (i === hint ? { ...d, message: `${d.message} — a JSONPath with [ ] or * inside a YAML flow list must be quoted: expr: "$.items[*].sku"` } : d));
}

function report(datasets: CompiledDataset[], cache: SelectorCache, t0: bigint): CompileReport {
  return {
    datasets: datasets.length,
    fields: datasets.reduce((n, d) => n + d.fields.length, 0),
    jsonpathCacheHits: cache.hits,
    jsonpathCacheMisses: cache.misses,
    compileMillis: Number(process.hrtime.bigint() - t0) / 1e6,
  };
}

/** Compiles source text (already read) of one file. */
export function compileText(file: string, text: string | Uint8Array, opts: CompileOptions): CompileResult {
  const cache = opts.cache ?? new SelectorCache();
  const t0 = process.hrtime.bigint();
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const datasets: CompiledDataset[] = [];
  const read = readSource(file, text);
  if (!read.ok) diagnostics.push(...withYamlHints(read.diagnostics));
  else {
    const ds = compileDocument(read.source, path.relative(opts.dslDir, file) || path.basename(file), opts, cache, diagnostics, warnings);
    if (ds) datasets.push(ds);
  }
  return { datasets, diagnostics, warnings, report: report(datasets, cache, t0) };
}

/** Compiles every given file (default: all DSL files of dslDir); dataset (index) names must be unique across files. */
export function compileFiles(files: string[], opts: CompileOptions): CompileResult {
  const cache = opts.cache ?? new SelectorCache();
  const t0 = process.hrtime.bigint();
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const datasets: CompiledDataset[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      const st = fs.statSync(file);
      if (st.size > 1024 * 1024) {
        diagnostics.push({ file, line: 1, col: 1, message: `file is ${st.size} bytes; the limit is 1048576 bytes (1 MiB)` });
        continue;
      }
      bytes = fs.readFileSync(file);
    } catch (e) {
      diagnostics.push({ file, line: 1, col: 1, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    const r = compileText(file, bytes, { ...opts, cache });
    diagnostics.push(...r.diagnostics);
    warnings.push(...r.warnings);
    datasets.push(...r.datasets);
  }
  const byName = new Map<string, CompiledDataset>();
  for (const d of datasets) {
    const prev = byName.get(d.name);
    if (prev) diagnostics.push({ file: path.join(opts.dslDir, d.file), line: 1, col: 1, message: `index '${d.name}' is also declared in ${prev.file}` });
    else byName.set(d.name, d);
  }
  return { datasets: diagnostics.length ? [] : datasets, diagnostics, warnings, report: report(datasets, cache, t0) };
}

/** Compiles a whole DSL directory or throws a MapstackError listing every problem. */
export function compileDirectory(dslDir: string, targetChecks: TargetCheck[] = []): { datasets: CompiledDataset[]; report: CompileReport } {
  const r = compileFiles(listDslFiles(dslDir), { dslDir, targetChecks });
  if (r.diagnostics.length) throw new MapstackError(r.diagnostics);
  return { datasets: r.datasets, report: r.report };
}
