// Every metric a mapstack alert or dashboard panel reads, with the labels its exporter attaches, the
// exporter and the first version that publishes it, and where in the exporter's source the name is
// built. Rules, panels and the promtool unit tests all take names from here: a name typed anywhere
// else is a name nobody checked against an exporter (an alert that can never fire).
//
// Sources were read at these revisions:
// - prometheus-community/elasticsearch_exporter v1.11.0 (collector/indices.go, collector/ilm.go, CHANGELOG.md)
// - apache/druid extensions-contrib/prometheus-emitter (src/main/resources/defaultMetrics.json,
//   Metrics.java, PrometheusEmitter.java)
// - opstree/druid-exporter v0.6 … v0.11 (collector/druid.go)

export type ExporterId = "elasticsearch_exporter" | "druid_prometheus_emitter" | "opstree_druid_exporter" | "mapstack_report";

export interface Exporter {
  id: ExporterId;
  name: string;
  url: string;
  /** Oldest release that publishes every metric mapstack reads from it, with the names used here. */
  minVersion: string;
  /** What has to be switched on for the metrics to exist (flags, extensions, monitors). */
  prerequisites: string[];
}

export const EXPORTERS: Record<ExporterId, Exporter> = {
  elasticsearch_exporter: {
    id: "elasticsearch_exporter",
    name: "prometheus-community/elasticsearch_exporter",
    url: "https://github.com/prometheus-community/elasticsearch_exporter",
    // 1.11.0 added the per-index indexing metrics (CHANGELOG "Add Index-Level Indexing Metrics #1125");
    // 1.10.0 renamed --es.ilm to --collector.ilm.
    minVersion: "1.11.0",
    prerequisites: ["--es.indices (per-index stats)", "--collector.ilm (ILM explain per index)"],
  },
  druid_prometheus_emitter: {
    id: "druid_prometheus_emitter",
    name: "Apache Druid prometheus-emitter extension (extensions-contrib)",
    url: "https://druid.apache.org/docs/latest/development/extensions-contrib/prometheus",
    minVersion: "Druid 0.21.0",
    prerequisites: [
      'druid.extensions.loadList includes "prometheus-emitter"; druid.emitter=prometheus (or in druid.emitter.composing.emitters)',
      "default metric map (no druid.emitter.prometheus.dimensionMapPath), or one keeping the entries below",
      "Overlord: druid.monitoring.monitors includes org.apache.druid.server.metrics.TaskCountStatsMonitor (task/success/count, task/failed/count)",
      "Peons: druid.emitter.prometheus.strategy=pushgateway (short-lived tasks), scraped through the Pushgateway with honor_labels: true",
    ],
  },
  opstree_druid_exporter: {
    id: "opstree_druid_exporter",
    name: "opstree/druid-exporter",
    url: "https://github.com/opstree/druid-exporter",
    minVersion: "v0.6",
    prerequisites: ["DRUID_URL pointing at the Router or Overlord (reads /druid/indexer/v1/supervisor?full)"],
  },
  mapstack_report: {
    id: "mapstack_report",
    name: "mapstack report (Prometheus Pushgateway)",
    url: "https://github.com/prometheus/pushgateway",
    minVersion: "Pushgateway 1.0 (basic auth: a release with --web.config.file)",
    prerequisites: ["CI runs `mapstack report --pushgateway URL …` after every pulumi up", "Prometheus scrapes the Pushgateway with honor_labels: true"],
  },
};

export interface MetricSpec {
  /** Series name exactly as scraped. */
  name: string;
  type: "counter" | "gauge";
  /** Label names the exporter attaches itself (Prometheus adds job/instance on scrape). */
  labels: readonly string[];
  exporter: ExporterId;
  /** Exporter release that first publishes this name with these labels. */
  since: string;
  /** Where the name is built in the exporter's source. */
  source: string;
  help: string;
}

const m = (spec: MetricSpec): MetricSpec => spec;

export const METRICS = {
  esIndexingIndexTotal: m({
    name: "elasticsearch_index_stats_indexing_index_total",
    type: "counter",
    labels: ["index", "cluster"],
    exporter: "elasticsearch_exporter",
    since: "1.11.0",
    source: "collector/indices.go indicesIndexingIndexTotal (subsystem index_stats, indicesLabels = index, cluster); value = _all/_stats indices.<i>.total.indexing.index_total",
    help: "Successful index operations per index, primaries and replicas (\"total\" section).",
  }),
  esIndexingIndexFailed: m({
    name: "elasticsearch_index_stats_indexing_index_failed_total",
    type: "counter",
    labels: ["index", "cluster"],
    exporter: "elasticsearch_exporter",
    since: "1.11.0",
    source: "collector/indices.go indicesIndexingIndexFailed; value = indices.<i>.total.indexing.index_failed",
    help: "Failed index operations per index (rejected by the shard: mapping conflicts, version conflicts, …).",
  }),
  esIlmIndexStatus: m({
    name: "elasticsearch_ilm_index_status",
    type: "gauge",
    labels: ["index", "phase", "action", "step"],
    exporter: "elasticsearch_exporter",
    since: "1.10.0",
    source: "collector/ilm.go ilmIndexStatus (BuildFQName(namespace, \"ilm_index\", \"status\")); value = managed ? 1 : 0",
    help: "ILM explain per index: current phase/action/step as labels.",
  }),
  druidKafkaLag: m({
    name: "druid_ingest_kafka_lag",
    type: "gauge",
    labels: ["dataSource", "stream"],
    exporter: "druid_prometheus_emitter",
    since: "Druid 0.21.0",
    source: 'defaultMetrics.json "ingest/kafka/lag" (gauge); Metrics.java name = namespace + "_" + lower-cased metric with [^a-zA-Z_:][^a-zA-Z0-9_:]* → "_"',
    help: "Total Kafka offsets behind across partitions (messages), emitted by the supervisor on the Overlord.",
  }),
  druidKafkaMaxLag: m({
    name: "druid_ingest_kafka_maxlag",
    type: "gauge",
    labels: ["dataSource", "stream"],
    exporter: "druid_prometheus_emitter",
    since: "Druid 0.21.0",
    source: 'defaultMetrics.json "ingest/kafka/maxLag" (lower-cased by Metrics.java)',
    help: "Worst partition's offsets behind (messages).",
  }),
  druidEventsProcessed: m({
    name: "druid_ingest_events_processed_total",
    type: "counter",
    labels: ["dataSource"],
    exporter: "druid_prometheus_emitter",
    since: "Druid 0.21.0",
    source: 'defaultMetrics.json "ingest/events/processed" (count → simpleclient Counter, exposed with _total)',
    help: "Events ingested by the Kafka indexing tasks (emitted by the peons).",
  }),
  druidEventsUnparseable: m({
    name: "druid_ingest_events_unparseable_total",
    type: "counter",
    labels: ["dataSource"],
    exporter: "druid_prometheus_emitter",
    since: "Druid 0.21.0",
    source: 'defaultMetrics.json "ingest/events/unparseable" (count)',
    help: "Events rejected as unparseable.",
  }),
  druidTaskSuccess: m({
    name: "druid_task_success_count_total",
    type: "counter",
    labels: ["dataSource"],
    exporter: "druid_prometheus_emitter",
    since: "Druid 0.21.0",
    source: 'defaultMetrics.json "task/success/count" (count); emitted only with TaskCountStatsMonitor on the Overlord',
    help: "Tasks that succeeded per emission period.",
  }),
  druidTaskFailed: m({
    name: "druid_task_failed_count_total",
    type: "counter",
    labels: ["dataSource"],
    exporter: "druid_prometheus_emitter",
    since: "Druid 0.21.0",
    source: 'defaultMetrics.json "task/failed/count" (count); TaskCountStatsMonitor',
    help: "Tasks that failed per emission period.",
  }),
  druidSupervisors: m({
    name: "druid_supervisors",
    type: "gauge",
    labels: ["supervisor_name", "healthy", "state"],
    exporter: "opstree_druid_exporter",
    since: "v0.6",
    source: 'collector/druid.go DruidSupervisors = NewDesc("druid_supervisors", …, supervisor_name, healthy, state); value 1, state = detailedState, supervisor_name = id (not sanitised)',
    help: "One series per supervisor, value 1, its detailedState as label.",
  }),
  mapstackApplyTotal: m({
    name: "mapstack_apply_total",
    type: "counter",
    labels: ["job", "stack", "result"],
    exporter: "mapstack_report",
    since: "mapstack 0.1.0",
    source: "src/lifecycle/pushgateway.ts applyMetricsText (grouping key job=mapstack, stack)",
    help: "pulumi up runs of the stack by result, carried across pushes.",
  }),
  mapstackCompileDuration: m({
    name: "mapstack_compile_last_duration_seconds",
    type: "gauge",
    labels: ["job", "stack", "dataset"],
    exporter: "mapstack_report",
    since: "mapstack 0.1.0",
    source: "src/lifecycle/pushgateway.ts compileMetricsLines",
    help: "Time the last report's compile of the dataset's DSL file took.",
  }),
  mapstackJsonpathCacheHits: m({
    name: "mapstack_compile_jsonpath_cache_hits",
    type: "gauge",
    labels: ["job", "stack", "dataset"],
    exporter: "mapstack_report",
    since: "mapstack 0.1.0",
    source: "src/lifecycle/pushgateway.ts compileMetricsLines",
    help: "JSONPath selector cache hits while compiling the dataset (last report).",
  }),
  mapstackJsonpathCacheMisses: m({
    name: "mapstack_compile_jsonpath_cache_misses",
    type: "gauge",
    labels: ["job", "stack", "dataset"],
    exporter: "mapstack_report",
    since: "mapstack 0.1.0",
    source: "src/lifecycle/pushgateway.ts compileMetricsLines",
    help: "JSONPath selector cache misses (selectors parsed) while compiling the dataset (last report).",
  }),
} as const;

export type MetricKey = keyof typeof METRICS;

/** Label of the Druid datasource on every emitter metric above (the Druid dimension name). */
export const DRUID_DATASOURCE_LABEL = "dataSource";

/**
 * A dimension value as the prometheus-emitter writes it: PrometheusEmitter.emitMetric replaces every
 * run of characters outside [a-zA-Z0-9_] by one "_" (Pattern "[^a-zA-Z0-9_][^a-zA-Z0-9_]*"), so
 * "orders-v2.eu" becomes "orders_v2_eu".
 */
export function druidEmitterLabelValue(value: string): string {
  return value.replace(/[^a-zA-Z0-9_]+/g, "_");
}

/**
 * An earlier emitter (PrometheusEmitter.emitMetric with replaceAll("[^a-zA-Z_][^a-zA-Z0-9_]*", "_"))
 * also turned every digit into "_" ("orders_v2" → "orders_v_"); still found on older clusters.
 */
export function druidEmitterLabelValueLegacy(value: string): string {
  return value.replace(/[^a-zA-Z_][^a-zA-Z0-9_]*/g, "_");
}

/**
 * Every value the emitter may publish for a datasource: both sanitisers, and each of them wrapped in
 * "_…_", which is what a dataSource dimension emitted as a list ("[name]") becomes — reported for the
 * ingest/* task metrics of recent Druid releases (apache/druid#17648).
 */
export function druidDatasourceLabelValues(datasource: string): string[] {
  const sanitisers = [druidEmitterLabelValue, druidEmitterLabelValueLegacy];
  return [...new Set(sanitisers.flatMap((f) => [f(datasource), f(`[${datasource}]`)]))];
}
