// Validates and compiles DSL files into CompiledDatasets. All problems of a file are reported at once,
// each with file:line:col; a run that has any problem compiles nothing (nothing half-applied).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson } from "../json/canonical";
import { Diagnostic, MapstackError } from "./diagnostics";
import { compileField, SelectorCache, type Problem } from "./fields";
import { listMessages, loadProtoFile, lookupMessage, resolveAgainstMessage } from "./proto";
import { schemaDiagnostics } from "./schema";
import { readSource, type PathKey, type SourceDocument } from "./source";
import {
  DEFAULT_MONITORING, SUPPORTED_DSL_VERSIONS, type CompiledDataset, type CompiledField, type DruidSink,
  type ElasticsearchSink, type MonitoringThresholds, type SourceSpec,
} from "./types";

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
  report: CompileReport;
}

export interface CompileOptions {
  /** Directory the DSL files live in; proto files resolve relative to it. */
  dslDir: string;
  cache?: SelectorCache;
}

const DSL_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** DSL files of a directory (top level only: proto/ and samples/ are not datasets), sorted for determinism. */
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

const isOpPath = (p: PathKey[]) => p[0] === "fields" && typeof p[1] === "number" && (p[2] === "ops" || p[2] === "from") && p.length >= 3;

function toDiagnostic(src: SourceDocument, p: Problem): Diagnostic {
  const pos = src.locate(p.path, { key: p.key });
  let col = pos.col;
  if (p.offset !== undefined) {
    const quoted = /^["']/.test(src.text.split("\n")[pos.line - 1]?.slice(pos.col - 1) ?? "");
    col += p.offset + (quoted ? 1 : 0);
  }
  return { file: src.file, line: pos.line, col, message: p.message };
}

type Raw = Record<string, any>;

/** Compiles one parsed document. Returns null and pushes diagnostics when anything is wrong. */
function compileDocument(src: SourceDocument, relFile: string, opts: CompileOptions, cache: SelectorCache, out: Diagnostic[]): CompiledDataset | null {
  const doc = src.value as Raw;
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    out.push({ file: src.file, line: 1, col: 1, message: "a DSL file is a mapping with dsl_version, dataset, source, fields and sinks" });
    return null;
  }
  if (doc.dsl_version === undefined || !SUPPORTED_DSL_VERSIONS.includes(String(doc.dsl_version) as "2.1") || typeof doc.dsl_version !== "string") {
    const pos = src.locate(doc.dsl_version === undefined ? [] : ["dsl_version"]);
    const got = doc.dsl_version === undefined ? "missing" : `${JSON.stringify(doc.dsl_version)}${typeof doc.dsl_version === "number" ? " (a number: quote it)" : ""}`;
    out.push({ file: src.file, ...pos, message: `unsupported dsl_version ${got}; supported versions: ${SUPPORTED_DSL_VERSIONS.map((v) => `"${v}"`).join(", ")}` });
    return null;
  }
  const diags = schemaDiagnostics(src, isOpPath);
  const problems: Problem[] = [];

  // Fields: compiled even if the schema found problems elsewhere, so every error is reported in one run.
  const fields: CompiledField[] = [];
  const seen = new Map<string, number>();
  (Array.isArray(doc.fields) ? doc.fields : []).forEach((raw: unknown, i: number) => {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return;
    const f = raw as Raw;
    if (typeof f.name === "string") {
      if (seen.has(f.name)) problems.push({ path: ["fields", i, "name"], message: `duplicate output field '${f.name}' (first declared as fields[${seen.get(f.name)}])` });
      else seen.set(f.name, i);
    }
    const compiled = compileField({ raw: f, path: ["fields", i] }, cache, problems);
    if (compiled) fields.push(compiled);
  });

  const source = checkSource(doc, opts, fields, problems);
  const es = doc.sinks?.elasticsearch ? elasticsearchSink(doc.sinks.elasticsearch) : null;
  const druid = doc.sinks?.druid ? druidSink(doc.sinks.druid, fields, seen, problems) : null;

  out.push(...diags, ...problems.map((p) => toDiagnostic(src, p)));
  if (diags.length || problems.length || !source) return null;
  return {
    dslVersion: "2.1",
    name: doc.dataset,
    description: typeof doc.description === "string" ? doc.description : "",
    file: relFile,
    contentHash: contentHash(doc),
    source,
    fields,
    sinks: { elasticsearch: es, druid },
    monitoring: monitoring(doc.monitoring),
  };
}

function checkSource(doc: Raw, opts: CompileOptions, fields: CompiledField[], problems: Problem[]): SourceSpec | null {
  const s = doc.source as Raw | undefined;
  if (!s || typeof s !== "object") return null;
  const kafkaTopic = typeof s.kafka?.topic === "string" ? s.kafka.topic : null;
  if (s.format === "json") {
    if (s.proto) problems.push({ path: ["source", "proto"], message: "proto is only used with format: protobuf", key: true });
    return { format: "json", kafkaTopic };
  }
  if (s.format !== "protobuf") return null;
  if (!s.proto || typeof s.proto.file !== "string" || typeof s.proto.message !== "string") {
    problems.push({ path: ["source"], message: "format: protobuf needs proto: {file, message}" });
    return null;
  }
  const loaded = loadProtoFile(path.join(opts.dslDir, "proto"), s.proto.file.replace(/^proto\//, ""));
  if (!loaded.ok) {
    problems.push({ path: ["source", "proto", "file"], message: loaded.message });
    return null;
  }
  const type = lookupMessage(loaded.root, s.proto.message);
  if (!type) {
    problems.push({ path: ["source", "proto", "message"], message: `unknown proto message '${s.proto.message}' in ${s.proto.file} (messages: ${listMessages(loaded.root).join(", ")})` });
    return null;
  }
  (doc.fields as Raw[]).forEach((f, i) => {
    const compiled = fields.find((c) => c.name === f?.name);
    compiled?.inputs.forEach((sel, j) => {
      const why = resolveAgainstMessage(type, sel.segments);
      if (why) problems.push({ path: Array.isArray(f.from) ? ["fields", i, "from", j] : ["fields", i, "from"], message: `selector ${sel.expr} does not resolve against ${s.proto.message}: ${why}` });
    });
  });
  return { format: "protobuf", kafkaTopic, protoFile: `proto/${s.proto.file.replace(/^proto\//, "")}`, message: s.proto.message };
}

function elasticsearchSink(e: Raw): ElasticsearchSink {
  const ilm = e.ilm ?? {};
  return {
    index: e.index,
    mode: e.mode ?? "data_stream",
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

function druidSink(d: Raw, fields: CompiledField[], names: Map<string, number>, problems: Problem[]): DruidSink {
  const known = (name: unknown) => typeof name === "string" && names.has(name);
  const base = ["sinks", "druid"];
  if (d.timestamp && !known(d.timestamp.field)) problems.push({ path: [...base, "timestamp", "field"], message: `timestamp field '${d.timestamp.field}' is not an output field` });
  (Array.isArray(d.dimensions) ? d.dimensions : []).forEach((dim: unknown, i: number) => {
    if (!known(dim)) problems.push({ path: [...base, "dimensions", i], message: `dimension '${String(dim)}' is not an output field` });
  });
  (Array.isArray(d.metrics) ? d.metrics : []).forEach((m: Raw, i: number) => {
    if (m?.type === "count") return;
    if (!known(m?.field)) {
      problems.push({ path: [...base, "metrics", i, m?.field === undefined ? "type" : "field"], message: `metric '${m?.name}' (${m?.type}) needs 'field' naming an output field` });
      return;
    }
    const f = fields.find((x) => x.name === m.field);
    if (f && /Sum|Min|Max/.test(m.type) && !["long", "double"].includes(f.druidType)) {
      problems.push({ path: [...base, "metrics", i, "field"], message: `metric '${m.name}' (${m.type}) needs a numeric field; '${f.name}' is ${f.druidType}` });
    }
  });
  return {
    datasource: d.datasource,
    timestamp: { field: d.timestamp?.field, format: d.timestamp?.format ?? "auto" },
    granularity: { segment: d.granularity?.segment ?? "HOUR", query: d.granularity?.query ?? "NONE", rollup: d.granularity?.rollup ?? false },
    dimensions: d.dimensions ?? [],
    metrics: (d.metrics ?? []).map((m: Raw) => ({ name: m.name, type: m.type, field: m.field ?? null })),
    replaces: d.replaces ? { datasource: d.replaces.datasource, oldSupervisor: d.replaces.old_supervisor ?? "suspend" } : null,
  };
}

function monitoring(m: Raw | undefined): MonitoringThresholds {
  const d = DEFAULT_MONITORING;
  return {
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

/** Compiles source text (already read) of one file. */
export function compileText(file: string, text: string | Uint8Array, opts: CompileOptions): CompileResult {
  const cache = opts.cache ?? new SelectorCache();
  const t0 = process.hrtime.bigint();
  const diagnostics: Diagnostic[] = [];
  const datasets: CompiledDataset[] = [];
  const read = readSource(file, text);
  if (!read.ok) diagnostics.push(...read.diagnostics);
  else {
    const ds = compileDocument(read.source, path.relative(opts.dslDir, file) || path.basename(file), opts, cache, diagnostics);
    if (ds) datasets.push(ds);
  }
  return { datasets, diagnostics, report: report(datasets, cache, t0) };
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

/** Compiles every given file (default: all DSL files of dslDir); dataset names must be unique across files. */
export function compileFiles(files: string[], opts: CompileOptions): CompileResult {
  const cache = opts.cache ?? new SelectorCache();
  const t0 = process.hrtime.bigint();
  const diagnostics: Diagnostic[] = [];
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
    datasets.push(...r.datasets);
  }
  const byName = new Map<string, CompiledDataset>();
  for (const d of datasets) {
    const prev = byName.get(d.name);
    if (prev) diagnostics.push({ file: path.join(opts.dslDir, d.file), line: 1, col: 1, message: `dataset '${d.name}' is also declared in ${prev.file}` });
    else byName.set(d.name, d);
  }
  return { datasets: diagnostics.length ? [] : datasets, diagnostics, report: report(datasets, cache, t0) };
}

/** Compiles a whole DSL directory or throws a MapstackError listing every problem. */
export function compileDirectory(dslDir: string): { datasets: CompiledDataset[]; report: CompileReport } {
  const r = compileFiles(listDslFiles(dslDir), { dslDir });
  if (r.diagnostics.length) throw new MapstackError(r.diagnostics);
  return { datasets: r.datasets, report: r.report };
}
