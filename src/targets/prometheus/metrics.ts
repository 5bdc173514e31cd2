// Metric names and label keys as the exporters publish them. Kept in one place because a typo here
// makes an alert that can never fire; docs/observability.md lists where each name comes from.
import type { CompiledDataset, ElasticsearchSink } from "../../dsl/types";

/**
 * Druid prometheus-emitter (extensions-contrib/prometheus-emitter, default metric map): name is
 * "druid_" + lower-cased Druid metric with "/" → "_"; "count" metrics are Prometheus counters and get
 * "_total"; the Druid dimension dataSource becomes the label `dataSource`.
 */
export const DRUID = {
  /** ingest/kafka/lag: total offsets behind across partitions (messages), gauge. */
  kafkaLag: "druid_ingest_kafka_lag",
  /** ingest/kafka/maxLag: worst partition's offsets behind (messages), gauge; shown on the dashboard. */
  kafkaMaxLag: "druid_ingest_kafka_maxlag",
  processed: "druid_ingest_events_processed_total",
  unparseable: "druid_ingest_events_unparseable_total",
  taskFailed: "druid_task_failed_count_total",
  taskSuccess: "druid_task_success_count_total",
  datasourceLabel: "dataSource",
} as const;

/**
 * opstree/druid-exporter: polls the Overlord's supervisor list and exports
 * druid_supervisors{supervisor_name, healthy, state} = 1, state being the supervisor's detailedState.
 */
export const DRUID_EXPORTER = {
  supervisors: "druid_supervisors",
  nameLabel: "supervisor_name",
  stateLabel: "state",
} as const;

/** prometheus-community/elasticsearch_exporter with --es.indices (index_stats) and --collector.ilm. */
export const ES = {
  /** Per index (label `index`), counter. */
  indexTotal: "elasticsearch_index_stats_indexing_index_total",
  /** Per node only (no `index` label): the exporter does not publish index_failed per index. */
  nodeIndexTotal: "elasticsearch_indices_indexing_index_total",
  nodeIndexFailed: "elasticsearch_indices_indexing_index_failed_total",
  /** ILM explain per index: labels index, phase, action, step; value 1 when the index is managed. */
  ilmIndexStatus: "elasticsearch_ilm_index_status",
} as const;

/** Pushed by `mapstack report` (lifecycle): counter of applies per stack, result=success|failure. */
export const MAPSTACK_APPLY_TOTAL = "mapstack_apply_total";

/** The Kafka supervisor id Druid uses by default: the datasource name. */
export function supervisorId(dataset: CompiledDataset): string | null {
  return dataset.sinks.druid?.datasource ?? null;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Regex (PromQL, fully anchored) of the physical indices behind an ES sink: a data stream's backing
 * indices are `.ds-<stream>-<date>-<generation>`, a rollover alias's are `<alias>-<suffix>`.
 */
export function esIndexRegex(sink: ElasticsearchSink): string {
  return sink.mode === "data_stream" ? `\\.ds-${escapeRe(sink.index)}-.+` : `${escapeRe(sink.index)}-.+`;
}

/** A physical index name that esIndexRegex matches, for tests and docs examples. */
export function exampleIndexName(sink: ElasticsearchSink): string {
  return sink.mode === "data_stream" ? `.ds-${sink.index}-2026.01.01-000001` : `${sink.index}-000001`;
}
