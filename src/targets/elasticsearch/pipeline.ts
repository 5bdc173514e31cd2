// The ingest pipeline of a dataset: one Painless script processor that computes, for each document, exactly
// what the local evaluator (`mapstack simulate`) computes — the same `_source` and `_id` — from the same
// compiled ops (handed to the script as params; see painless/runtime.ts for why the script is Java-
// compatible and how that is proven). A document the script cannot map goes, whole, to the dataset's
// failure index with `error.*` attached: nothing is dropped.
import type { estypes } from "@elastic/elasticsearch";
import { createHash } from "node:crypto";
import { canonicalJson } from "../../json/canonical";
import type { CompiledDataset, Json } from "../../dsl/types";
import { esNames, FAILURE_INDEX_PREFIX, requireSink } from "./names";
import { buildScriptParams, INGEST_METADATA_KEYS, type TranslationProblem } from "./painless/params";
import { failureScript, mappingScript, painlessSource } from "./painless/script";

export type IngestPipeline = estypes.IngestPutPipelineRequest extends infer R ? Omit<R & object, "id" | "master_timeout" | "timeout" | "if_version"> : never;
type Processor = estypes.IngestProcessorContainer;

export { javaRegexProblem } from "./painless/regex";
export type { TranslationProblem };

export const MAPPING_TAG = "mapstack:map";
export const FAILURE_TAG = "mapstack:failure";
/** Where the on_failure handler parks the failure details before the failure script files them under error.*. */
export const FAILURE_TEMP = "_mapstack_failure";
/** Elasticsearch's default script.max_size_in_bytes. */
export const SCRIPT_MAX_BYTES = 65535;

/** In a data stream every document needs @timestamp: the ingest time when no field targets it (not compared by simulate --es). */
export function addsIngestTimestamp(ds: CompiledDataset): boolean {
  return ds.sinks.elasticsearch?.mode === "data_stream" && !ds.fields.some((f) => f.target === "@timestamp");
}

/**
 * The failure index: outside every dataset's index template pattern (`<index>-v<n>` and `<index>-v<n>-*`)
 * so the dataset's strict mapping, rollover alias and data-stream settings never apply to it; its own
 * permissive template is buildFailureTemplate.
 */
export function failureIndexOf(ds: CompiledDataset): string {
  return esNames(ds).failureIndex;
}

/** Name of the stack's one failure-index template. */
export const FAILURE_TEMPLATE_NAME = "mapstack-failed";

/** Template of the failure indices: nothing in `original` is indexed, so any failed document fits. */
export function buildFailureTemplate(): { index_patterns: string[]; priority: number; template: { settings: Record<string, Json>; mappings: Record<string, Json> }; _meta: Record<string, Json> } {
  return {
    index_patterns: [`${FAILURE_INDEX_PREFIX}*`],
    priority: 50,
    template: {
      settings: { "index.number_of_shards": 1, "index.auto_expand_replicas": "0-1" },
      mappings: {
        dynamic: false,
        properties: {
          error: { properties: { message: { type: "text" }, processor_type: { type: "keyword" }, processor_tag: { type: "keyword" }, pipeline: { type: "keyword" }, failed_at: { type: "date" } } },
          original: { type: "text", index: false },
          original_id: { type: "keyword" },
          dataset: { type: "keyword" },
          content_hash: { type: "keyword" },
        },
      },
    },
    _meta: { managed_by: "mapstack", description: "documents an ingest pipeline could not map, kept whole in `original`" },
  };
}

/** What Elasticsearch cannot compute exactly as the evaluator does, per field and op (for validate). */
/** UTF-8 size of a script; the runtime and body are constant, so only the prelude is measured per dataset. */
let fixedBytes: number | null = null;
function painlessSourceBytes(t: ReturnType<typeof mappingScript>): number {
  fixedBytes ??= Buffer.byteLength(t.functions, "utf8") + Buffer.byteLength(t.body, "utf8");
  return fixedBytes + Buffer.byteLength(t.painlessPrelude, "utf8");
}

export function esTranslationProblems(ds: CompiledDataset): TranslationProblem[] {
  const { problems, patterns } = buildScriptParams(ds);
  const size = painlessSourceBytes(mappingScript(patterns));
  if (size > SCRIPT_MAX_BYTES) {
    problems.push({ fieldIndex: -1, opPath: [], message: `dataset ${ds.name}: the mapping script is ${size} bytes, over Elasticsearch's default script.max_size_in_bytes (${SCRIPT_MAX_BYTES}); shorten the regexes` });
  }
  return problems;
}

function failureHandlers(ds: CompiledDataset, pipelineHash: string): Processor[] {
  const at = (k: string) => `${FAILURE_TEMP}.${k}`;
  const failure = failureScript();
  return [
    { set: { field: at("message"), value: "{{{_ingest.on_failure_message}}}" } },
    { set: { field: at("processor_type"), value: "{{{_ingest.on_failure_processor_type}}}" } },
    { set: { field: at("processor_tag"), value: "{{{_ingest.on_failure_processor_tag}}}" } },
    { set: { field: at("pipeline"), value: "{{{_ingest.on_failure_pipeline}}}" } },
    { set: { field: at("failed_at"), value: "{{{_ingest.timestamp}}}" } },
    {
      script: {
        tag: FAILURE_TAG,
        lang: "painless",
        source: painlessSource(failure),
        params: { metadata: INGEST_METADATA_KEYS, temp: FAILURE_TEMP, dataset: ds.name, contentHash: pipelineHash } as never,
      },
    },
    { set: { field: "_index", value: failureIndexOf(ds) } },
  ];
}

/**
 * The pipeline's own version: a hash of what it does (its processors and its failure handling), stamped on
 * every document it sends to the failure index (`content_hash`), so a failure names the mapping that made it.
 */
export function pipelineHash(ds: CompiledDataset, processors: Processor[]): string {
  const unstamped = { processors, on_failure: failureHandlers(ds, "") };
  return createHash("sha256").update(canonicalJson(unstamped)).digest("hex").slice(0, 16);
}

export function buildIngestPipeline(ds: CompiledDataset): IngestPipeline {
  const { params, patterns, problems } = buildScriptParams(ds);
  if (problems.length) {
    const p = problems[0];
    const where = p.fieldIndex >= 0 ? `field ${ds.fields[p.fieldIndex].target}${p.opPath.length ? ` (${p.opPath.join(".")})` : ""}` : "dataset";
    throw new Error(`dataset ${ds.name}, ${where}: ${p.message}`);
  }
  const processors: Processor[] = [
    { script: { tag: MAPPING_TAG, lang: "painless", source: painlessSource(mappingScript(patterns)), params: params as never } },
    ...(addsIngestTimestamp(ds) ? [{ set: { tag: "mapstack:timestamp", field: "@timestamp", value: "{{{_ingest.timestamp}}}" } }] : []),
  ];
  return {
    // Nothing here derives from the whole dataset: a change that leaves the pipeline as it is (a mapping
    // option, a retention) must not show the pipeline as an update.
    description: `mapstack: ${ds.name} (${ds.file})`,
    _meta: { managed_by: "mapstack", dataset: ds.name },
    processors,
    on_failure: failureHandlers(ds, pipelineHash(ds, processors)),
  };
}
