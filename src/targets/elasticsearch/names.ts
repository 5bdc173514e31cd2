// Physical Elasticsearch names of a dataset. The sink version is part of every name so a breaking
// mapping change (version bump) creates new resources next to the old ones instead of mutating them.
import type { CompiledDataset, ElasticsearchSink } from "../../dsl/types";

export interface EsNames {
  /** Data stream name (data_stream mode) or write alias (rollover_alias mode). */
  index: string;
  template: string;
  pipeline: string;
  policy: string;
  /**
   * Where documents that fail the pipeline go, with the error attached: outside every dataset template's
   * pattern (no strict mapping, no rollover alias), under the permissive mapstack-failed-* template.
   */
  failureIndex: string;
}

/** Prefix of every failure index; the failure template matches `${FAILURE_INDEX_PREFIX}*`. */
export const FAILURE_INDEX_PREFIX = "mapstack-failed-";

export function esNames(ds: CompiledDataset): EsNames {
  const es = requireSink(ds);
  const base = `${es.index}-v${es.version}`;
  return { index: base, template: base, pipeline: `${base}-pipeline`, policy: `${base}-policy`, failureIndex: `${FAILURE_INDEX_PREFIX}${base}` };
}

export function requireSink(ds: CompiledDataset): ElasticsearchSink {
  if (!ds.sinks.elasticsearch) throw new Error(`internal: dataset ${ds.name} has no elasticsearch sink`);
  return ds.sinks.elasticsearch;
}
