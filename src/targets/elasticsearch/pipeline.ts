// The ingest pipeline of a dataset, compiled from the same compiled form the local evaluator runs.
// Each output field is computed into ctx._mapstack.<field> (so inputs and outputs never collide), with
// native processors for every op they express and the fixed Painless scripts of painless.ts for the rest.
// At the end the source is replaced by the computed fields: the document keeps only declared outputs, nulls
// omitted, exactly like `mapstack simulate`. Any failure sends the untouched source to <name>-failed with
// error.* set: a bad document is never dropped.
import type { estypes } from "@elastic/elasticsearch";
import type { CompiledDataset, CompiledField, CompiledOp, CompiledSelector } from "../../dsl/types";
import { esNames } from "./names";
import { SCRIPTS, type ScriptFn } from "./painless";

export type IngestPipeline = estypes.IngestPutPipelineRequest extends infer R ? Omit<R & object, "id" | "master_timeout" | "timeout" | "if_version"> : never;
type Processor = estypes.IngestProcessorContainer;

export const TEMP = "_mapstack";
export const ISO_OUTPUT_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
const DATE_FORMATS: Record<string, string> = { iso8601: "ISO8601", epoch_millis: "UNIX_MS", epoch_seconds: "UNIX" };

/** Painless condition "ctx.a.b.c is present and not null", safe on missing parents. */
function presentCondition(path: string[]): string {
  const access = (n: number) => "ctx" + path.slice(0, n).map((p) => `['${p.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`).join("");
  const checks = path.slice(0, -1).map((_, i) => `${access(i + 1)} instanceof Map`);
  return [...checks, `${access(path.length)} != null`].join(" && ");
}

const work = (f: CompiledField) => `${TEMP}.${f.name}`;
const workPresent = (f: CompiledField) => presentCondition([TEMP, f.name]);

function plainMemberPath(sel: CompiledSelector): string[] | null {
  if (!sel.definite || !sel.segments.every((s) => s.kind === "name")) return null;
  const names = sel.segments.map((s) => (s as { name: string }).name);
  return names.every((n) => n !== "" && !n.includes(".") && !n.startsWith("_")) ? names : null;
}

function script(f: CompiledField, fn: ScriptFn, tag: string, params: Record<string, unknown>): Processor {
  return { script: { tag, lang: "painless", source: SCRIPTS[fn], params: { fn, field: f.name, ...params } } };
}

function selectProcessors(f: CompiledField): Processor[] {
  const tag = `${f.name}:select`;
  for (const sel of f.inputs) {
    if (sel.segments.some((s) => s.kind === "descendant")) {
      throw new Error(`field ${f.name}: the Elasticsearch target does not support '..' (descendant) selectors (${sel.expr}); select the path explicitly`);
    }
  }
  const plain = f.inputs.length === 1 ? plainMemberPath(f.inputs[0]) : null;
  if (plain) return [{ set: { tag, field: work(f), copy_from: plain.join("."), if: presentCondition(plain) } }];
  return [script(f, "select", tag, { selectors: f.inputs.map((s) => ({ definite: s.definite, segments: s.segments })) })];
}

function dateProcessor(field: string, op: Extract<CompiledOp, { op: "date" }>, tag: string, cond?: string): Processor {
  return {
    date: {
      tag,
      field,
      target_field: field,
      formats: op.formats.map((x) => DATE_FORMATS[x] ?? x),
      timezone: op.timezone,
      output_format: op.to === "epoch_millis" ? "epoch_millis" : ISO_OUTPUT_FORMAT,
      ...(cond ? { if: cond } : {}),
    },
  };
}

const ELEMENTWISE = new Set(["cast", "trim", "lowercase", "uppercase", "replace", "date"]);

/** The native processor of an element-wise op, on `field`. */
function elementProcessor(op: CompiledOp, field: string, tag: string): Processor {
  switch (op.op) {
    case "cast":
      return { convert: { tag, field, type: op.to, ignore_missing: true } };
    case "replace":
      return { gsub: { tag, field, pattern: op.pattern, replacement: op.replacement, ignore_missing: true } };
    case "date":
      // The date processor has no ignore_missing: null elements are skipped by condition instead.
      return dateProcessor(field, op, tag, "ctx['_ingest']['_value'] != null");
    default:
      return { [op.op]: { tag, field, ignore_missing: true } } as Processor;
  }
}

function opProcessors(f: CompiledField, op: CompiledOp, i: number, arrayShaped: boolean): Processor[] {
  const field = work(f);
  const tag = `${f.name}:${i + 1}:${op.op}`;
  if (ELEMENTWISE.has(op.op)) {
    const millis: Processor[] = op.op === "date" && op.to === "epoch_millis" ? [{ convert: { tag: `${tag}:millis`, field, type: "long", ignore_missing: true } }] : [];
    if (!arrayShaped) {
      const p = op.op === "date" ? dateProcessor(field, op, tag, workPresent(f)) : elementProcessor(op, field, tag);
      return [p, ...millis];
    }
    // Per element through foreach: string processors on a list fail on a null element, while the DSL
    // passes nulls through; inside foreach ignore_missing skips exactly those.
    return [{ foreach: { tag, field, ignore_missing: true, processor: elementProcessor(op, "_ingest._value", `${tag}:element`) } }, ...millis];
  }
  switch (op.op) {
    case "default":
      return [{ set: { tag, field, value: op.value, override: false } }];
    case "join":
      // Not the join processor: it fails on a null element, which the DSL skips.
      return [script(f, "join", tag, { separator: op.separator })];
    case "split":
      // The DSL's split is Java's (trailing empty parts dropped), which is the processor's default.
      return [{ split: { tag, field, separator: op.separator.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), ignore_missing: true } }];
    case "coalesce":
      return [script(f, "coalesce", tag, {})];
    case "concat":
      return [script(f, "concat", tag, { separator: op.separator })];
    case "map":
      return [script(f, "map", tag, { table: op.table, default: op.default })];
    case "zip":
      return [script(f, "zip", tag, { mode: op.mode, pad: op.pad })];
    case "objectify":
      return [script(f, "objectify", tag, { keys: op.keys })];
    default:
      throw new Error(`internal: no ingest processor for op ${op.op}`);
  }
}

/** Whether the value is a list when `op` runs (element-wise ops then need foreach where ES has no list support). */
function listShapedBefore(f: CompiledField, index: number): boolean {
  let list = f.inputs.length === 1 ? !f.inputs[0].definite : true;
  for (const op of f.ops.slice(0, index)) {
    if (op.op === "split" || op.op === "zip" || op.op === "objectify") list = true;
    if (op.op === "join" || op.op === "concat" || op.op === "coalesce") list = false;
  }
  return list;
}

export function buildIngestPipeline(ds: CompiledDataset): IngestPipeline {
  const names = esNames(ds);
  const es = ds.sinks.elasticsearch!;
  const processors: Processor[] = [{ set: { tag: "init", field: TEMP, value: {}, override: true } }];
  for (const f of ds.fields) {
    processors.push(...selectProcessors(f));
    f.ops.forEach((op, i) => processors.push(...opProcessors(f, op, i, listShapedBefore(f, i))));
  }
  // `keep` removes every source field but the temp object; metadata (_index, _id, …) is not affected.
  processors.push({ remove: { tag: "keep-outputs", keep: [TEMP] } as unknown as estypes.IngestRemoveProcessor });
  for (const f of ds.fields) processors.push({ rename: { tag: `${f.name}:output`, field: work(f), target_field: f.name, ignore_missing: true } });
  processors.push({ remove: { tag: "cleanup", field: TEMP, ignore_missing: true } });
  if (es.mode === "data_stream") processors.push({ set: { tag: "timestamp", field: "@timestamp", value: "{{{_ingest.timestamp}}}" } });
  return {
    description: `mapstack ${ds.name}: ${ds.description}`.trim().slice(0, 500),
    version: es.version,
    _meta: { managed_by: "mapstack", dataset: ds.name, dsl_version: ds.dslVersion, content_hash: ds.contentHash },
    processors,
    on_failure: [
      { set: { field: "error.message", value: "{{{_ingest.on_failure_message}}}" } },
      { set: { field: "error.processor_type", value: "{{{_ingest.on_failure_processor_type}}}" } },
      { set: { field: "error.processor_tag", value: "{{{_ingest.on_failure_processor_tag}}}" } },
      { set: { field: "error.pipeline", value: names.pipeline } },
      { remove: { field: TEMP, ignore_missing: true } },
      { set: { field: "_index", value: names.failureIndex } },
    ],
  };
}
