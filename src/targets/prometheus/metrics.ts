// Label matchers that tie the catalogue's metrics to one dataset. Names come from the catalogue
// (src/observability/metric-catalogue.ts) only; this file knows how each exporter spells a dataset.
import type { CompiledDataset, ElasticsearchSink } from "../../dsl/types";
import { esNames } from "../elasticsearch/names";
import { DRUID_DATASOURCE_LABEL, druidDatasourceLabelValues, METRICS } from "../../observability/metric-catalogue";

/** PromQL string literal (Go-style escapes, which JSON's match for \\ and \"). */
export const q = (s: string) => JSON.stringify(s);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Matcher of the dataSource label as the prometheus-emitter writes it (every sanitised form). */
export function druidDatasourceMatcher(datasource: string): string {
  return `${DRUID_DATASOURCE_LABEL}=~${q(druidDatasourceLabelValues(datasource).map(escapeRe).join("|"))}`;
}

/** opstree druid-exporter uses the supervisor id verbatim; Druid's default id is the datasource name. */
export function supervisorMatcher(datasource: string): string {
  return `${METRICS.druidSupervisors.labels[0]}=${q(datasource)}`;
}

/** The physical name documents of a dataset land in when the pipeline fails (src/targets/elasticsearch/names.ts). */
export function failureIndexName(dataset: CompiledDataset): string {
  return esNames(dataset).failureIndex;
}

/**
 * Regex (PromQL, fully anchored) of the physical indices the dataset writes to now: a data stream's
 * backing indices are `.ds-<stream>-<date>-<generation>`, a rollover alias's are `<alias>-<suffix>`.
 * The versioned name (`<index>-v<N>`) keeps an older sink version's indices out.
 */
export function esIndexRegex(dataset: CompiledDataset): string {
  const es = dataset.sinks.elasticsearch as ElasticsearchSink;
  const name = esNames(dataset).index;
  return es.mode === "data_stream" ? `\\.ds-${escapeRe(name)}-.+` : `${escapeRe(name)}-.+`;
}

/** Matchers of the dataset's data indices; the failure index (`<name>-failed`) matches the rollover pattern and is excluded. */
export function esIndexMatchers(dataset: CompiledDataset): string {
  return `index=~${q(esIndexRegex(dataset))}, index!=${q(failureIndexName(dataset))}`;
}

export function failureIndexMatcher(dataset: CompiledDataset): string {
  return `index=${q(failureIndexName(dataset))}`;
}

/** A physical index name that esIndexRegex matches, for tests and docs examples. */
export function exampleIndexName(dataset: CompiledDataset, generation = 1): string {
  const es = dataset.sinks.elasticsearch as ElasticsearchSink;
  const name = esNames(dataset).index;
  const gen = String(generation).padStart(6, "0");
  return es.mode === "data_stream" ? `.ds-${name}-2026.01.01-${gen}` : `${name}-${gen}`;
}
