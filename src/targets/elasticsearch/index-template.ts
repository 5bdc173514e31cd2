// Composable index template and ILM policy of a dataset. Mappings come from the DSL field types, settings
// from the stack (Pulumi.<stack>.yaml), retention from the DSL with per-stack overrides.
import type { estypes } from "@elastic/elasticsearch";
import type { CompiledDataset, CompiledField } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";
import { esNames, requireSink } from "./names";

export type IndexTemplate = Omit<estypes.IndicesPutIndexTemplateRequest, "name" | "create" | "cause" | "master_timeout">;
export type IlmPolicy = { policy: estypes.IlmPolicy };

export const DEFAULT_IGNORE_ABOVE = 1024;
/** Above the built-in logs/metrics templates (100) so our data streams never pick theirs. */
export const TEMPLATE_PRIORITY = 200;

function meta(ds: CompiledDataset) {
  return { managed_by: "mapstack", dataset: ds.name, dsl_version: ds.dslVersion, content_hash: ds.contentHash };
}

function fieldMapping(f: CompiledField): estypes.MappingProperty {
  switch (f.type) {
    case "keyword":
      return { type: "keyword", ignore_above: f.ignoreAbove ?? DEFAULT_IGNORE_ABOVE };
    case "date":
      return { type: "date", format: f.dateFormat === "epoch_millis" ? "epoch_millis" : "strict_date_optional_time||epoch_millis" };
    case "object":
    case "nested": {
      // DSL 2.1 gives objectify keys no types: keyword accepts every scalar and _source keeps the exact value.
      const properties = Object.fromEntries((f.objectKeys ?? []).map((k) => [k, { type: "keyword", ignore_above: DEFAULT_IGNORE_ABOVE } as estypes.MappingProperty]));
      return f.type === "nested" ? { type: "nested", properties } : { type: "object", properties };
    }
    default:
      return { type: f.type } as estypes.MappingProperty;
  }
}

export function buildIndexTemplate(ds: CompiledDataset, settings: StackSettings): IndexTemplate {
  const es = requireSink(ds);
  const names = esNames(ds);
  const s = settings.elasticsearch;
  const properties: Record<string, estypes.MappingProperty> = Object.fromEntries(ds.fields.map((f) => [f.name, fieldMapping(f)]));
  if (es.mode === "data_stream") properties["@timestamp"] = { type: "date" };
  const indexSettings: Record<string, string | number> = {
    "index.number_of_shards": s.shards,
    "index.number_of_replicas": s.replicas,
    "index.refresh_interval": s.refreshInterval,
    "index.default_pipeline": names.pipeline,
    "index.lifecycle.name": names.policy,
  };
  if (es.mode === "rollover_alias") indexSettings["index.lifecycle.rollover_alias"] = names.index;
  return {
    index_patterns: [es.mode === "data_stream" ? names.index : `${names.index}-*`],
    ...(es.mode === "data_stream" ? { data_stream: {} } : {}),
    composed_of: [],
    priority: TEMPLATE_PRIORITY,
    version: es.version,
    _meta: meta(ds),
    template: {
      settings: indexSettings as estypes.IndicesIndexSettings,
      mappings: { dynamic: es.dynamic as estypes.MappingDynamicMapping, _meta: meta(ds), properties },
    },
  };
}

const DAYS: Record<string, number> = { ms: 1 / 86_400_000, s: 1 / 86_400, m: 1 / 1440, h: 1 / 24, d: 1 };
function days(d: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  return m ? Number(m[1]) * DAYS[m[2]] : 0;
}

export function buildIlmPolicy(ds: CompiledDataset, settings: StackSettings): IlmPolicy {
  const ilm = requireSink(ds).ilm;
  const s = settings.elasticsearch;
  const rollover: estypes.IlmRolloverAction = {};
  const maxAge = s.ilmHotMaxAge ?? ilm.hot.maxAge;
  if (maxAge) rollover.max_age = maxAge;
  if (ilm.hot.maxPrimaryShardSize) rollover.max_primary_shard_size = ilm.hot.maxPrimaryShardSize;
  if (ilm.hot.maxDocs !== null) rollover.max_docs = ilm.hot.maxDocs;
  const phases: estypes.IlmPhases = {
    hot: { min_age: "0ms", actions: { rollover, set_priority: { priority: ilm.hot.priority } } },
  };
  const deleteAfter = s.ilmDeleteAfter ?? ilm.delete?.minAge ?? null;
  // A stack that keeps data for less time than a warm/cold phase starts would never run that phase;
  // ES accepts such a policy, so it is dropped here to keep the policy readable.
  const before = (minAge: string) => deleteAfter === null || days(minAge) < days(deleteAfter);
  if (ilm.warm && before(ilm.warm.minAge)) {
    const actions: estypes.IlmActions = { set_priority: { priority: ilm.warm.priority } };
    if (ilm.warm.shrinkShards !== null) actions.shrink = { number_of_shards: ilm.warm.shrinkShards };
    if (ilm.warm.forceMergeSegments !== null) actions.forcemerge = { max_num_segments: ilm.warm.forceMergeSegments };
    phases.warm = { min_age: ilm.warm.minAge, actions };
  }
  if (ilm.cold && before(ilm.cold.minAge)) phases.cold = { min_age: ilm.cold.minAge, actions: { set_priority: { priority: ilm.cold.priority } } };
  if (deleteAfter) phases.delete = { min_age: deleteAfter, actions: { delete: {} } };
  return { policy: { _meta: meta(ds), phases } };
}
