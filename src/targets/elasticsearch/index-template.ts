// Composable index template and ILM policy of a dataset. Mappings come from the document's containers and
// fields (with their Elasticsearch options, as the seed service compiles them), settings from the document and the stack (Pulumi.<stack>.yaml), retention from the DSL with per-stack overrides.
import type { estypes } from "@elastic/elasticsearch";
import type { CompiledDataset, CompiledField, Container } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";
import { esNames, requireSink } from "./names";

export type IndexTemplate = Omit<estypes.IndicesPutIndexTemplateRequest, "name" | "create" | "cause" | "master_timeout">;
export type IlmPolicy = { policy: estypes.IlmPolicy };

export const DEFAULT_IGNORE_ABOVE = 1024;
/** Rollover when a hot phase names no condition: the mapping service's own (30 GB primary shard, 30 days). */
export const DEFAULT_ROLLOVER = { max_primary_shard_size: "30gb", max_age: "30d" } as const;
/** Above the built-in logs/metrics templates (100) so our data streams never pick theirs. */
export const TEMPLATE_PRIORITY = 200;

/**
 * `_meta` of the template and the ILM policy: what they belong to, nothing derived from the whole dataset
 * (its content hash changes with every op, and would make every ES object of the dataset an update in a
 * preview where only the pipeline changed).
 */
function meta(ds: CompiledDataset) {
  return { managed_by: "mapstack", dataset: ds.name, dsl_version: ds.dslVersion };
}

/** A field's mapping as the seed compiles it: type plus format/analyzer/normalizer/options/copy_to, truthy ignore_above/null_value, multi-fields. */
function fieldMapping(f: CompiledField): Record<string, unknown> {
  const m: Record<string, unknown> = { type: f.type };
  const o = f.es;
  if (o.format) m.format = o.format;
  else if (f.type === "date") m.format = "strict_date_optional_time||epoch_millis";
  if (o.analyzer) m.analyzer = o.analyzer;
  if (o.normalizer) m.normalizer = o.normalizer;
  Object.assign(m, o.options ?? {});
  if (o.copyTo) m.copy_to = o.copyTo;
  if (f.type === "keyword") m.ignore_above = o.ignoreAbove ?? DEFAULT_IGNORE_ABOVE;
  if (o.nullValue !== undefined) m.null_value = o.nullValue;
  if (o.multiFields) m.fields = Object.fromEntries(o.multiFields.map((x) => [x.name, { type: x.type, ...(x.analyzer ? { analyzer: x.analyzer } : {}), ...(x.normalizer ? { normalizer: x.normalizer } : {}) }]));
  if ((f.type === "object" || f.type === "nested") && !m.properties) m.properties = objectifyKeyProperties(f);
  return m;
}

type Props = Record<string, Record<string, unknown>>;

/**
 * The members of the objects a field's last objectify builds: the DSL gives them no types, and keyword takes
 * every scalar as is (a strict mapping would otherwise reject each object).
 */
function objectifyKeyProperties(f: CompiledField): Props {
  const last = [...f.ops].reverse().find((o) => o.op === "objectify");
  if (!last || last.op !== "objectify") return {};
  return Object.fromEntries(last.fields.map((k) => [k.key, { type: "keyword", ignore_above: DEFAULT_IGNORE_ABOVE }]));
}

/** The node for a dotted path, creating intermediate objects (or containers where declared). */
function nodeAt(root: Props, parts: string[], containers: Map<string, Container>): Props {
  let props = root;
  parts.forEach((p, i) => {
    const path = parts.slice(0, i + 1).join(".");
    const c = containers.get(path);
    const node = (props[p] ??= c ? { type: c.type, properties: {} } : { properties: {} });
    node.properties ??= {};
    props = node.properties as Props;
  });
  return props;
}

/** mappings.properties from containers first, then each field at its dotted target. */
export function buildProperties(ds: CompiledDataset): Props {
  const containers = new Map(ds.containers.map((c) => [c.path, c]));
  const root: Props = {};
  for (const c of ds.containers) nodeAt(root, c.path.split("."), containers);
  for (const f of ds.fields) {
    const parts = f.target.split(".");
    const parent = nodeAt(root, parts.slice(0, -1), containers);
    const leaf = parts[parts.length - 1];
    const existing = parent[leaf];
    const m = fieldMapping(f);
    // A field written at a container's path keeps the container's children (zip/objectify into lines[]).
    parent[leaf] = existing?.properties ? { ...m, type: containers.get(f.target)?.type ?? m.type, properties: { ...(m.properties as Props), ...(existing.properties as Props) } } : m;
  }
  return root;
}

export function buildIndexTemplate(ds: CompiledDataset, settings: StackSettings): IndexTemplate {
  const es = requireSink(ds);
  const names = esNames(ds);
  const s = settings.elasticsearch;
  const properties = buildProperties(ds) as Record<string, estypes.MappingProperty>;
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
      settings: { ...(ds.esSettings as estypes.IndicesIndexSettings), ...(indexSettings as estypes.IndicesIndexSettings) },
      mappings: {
        dynamic: es.dynamic as estypes.MappingDynamicMapping,
        _meta: meta(ds),
        properties,
        ...(ds.dynamicTemplates.length ? { dynamic_templates: ds.dynamicTemplates as estypes.MappingTypeMapping["dynamic_templates"] } : {}),
        ...(Object.keys(ds.runtimeFields).length ? { runtime: ds.runtimeFields as unknown as estypes.MappingTypeMapping["runtime"] } : {}),
      },
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
  // Elasticsearch rejects a rollover action without any max_* condition: the seed's own conditions apply.
  if (!rollover.max_age && !rollover.max_primary_shard_size && rollover.max_docs === undefined) Object.assign(rollover, DEFAULT_ROLLOVER);
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
