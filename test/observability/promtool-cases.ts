// Generates `promtool test rules` unit tests. Input series are built from the metric catalogue and
// shaped like the exporters' own output: the exact metric name, every label the exporter attaches
// (and no other, besides the scrape's job/instance), label values spelled as the exporter spells them
// (Druid's emitter sanitises dataSource; elasticsearch_exporter's index_total counts every shard copy).
// Nothing is read from the rule text. For every alert: input just above the threshold (fires, with the
// exact labels and annotations) and just below (silent). An alert without a generator fails the suite.
import type { CompiledDataset } from "../../src/dsl/types";
import { druidEmitterLabelValue, METRICS, type MetricSpec } from "../../src/observability/metric-catalogue";
import type { StackSettings } from "../../src/settings/stack-settings";
import { esNames } from "../../src/targets/elasticsearch/names";
import type { AlertRule, RuleGroup } from "../../src/targets/prometheus/rules";
import { APPLY_SUCCESS_RATIO, effectiveThresholds } from "../../src/targets/prometheus/thresholds";

export interface Series { series: string; values: string }
export interface ExpAlert { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }
export interface AlertTest { eval_time: string; alertname: string; exp_alerts: ExpAlert[] }
export interface TestGroup { name: string; interval: string; input_series: Series[]; alert_rule_test: AlertTest[] }

/**
 * Alerts whose windows span hours are tested on a 5-minute grid (promtool evaluates every rule at every
 * step, so a 1-minute grid over a day costs minutes); the rest on Druid's 1-minute emission grid.
 */
export const LONG_STEP = 5;

/** How far from the threshold "just above" and "just below" are (relative). */
export const MARGIN = 0.02;

/** Labels Prometheus adds on scrape, and the grouping label the emitter's pushgateway strategy uses. */
const SCRAPE_LABELS = new Set(["job", "instance", "druid"]);

/** A series of `metric` with exactly the exporter's label set (throws on a missing or foreign label). */
export function sel(metric: MetricSpec, labels: Record<string, string>): string {
  for (const l of metric.labels) if (!(l in labels)) throw new Error(`${metric.name}: the exporter always sets label ${l}`);
  for (const l of Object.keys(labels)) if (!metric.labels.includes(l) && !SCRAPE_LABELS.has(l)) throw new Error(`${metric.name}: the exporter never sets label ${l}`);
  return `${metric.name}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;
}
/** promtool expanding notation: start, start+step, … (count+1 samples). */
const ramp = (perStep: number, count: number, start = 0) => `${start}+${+perStep.toPrecision(12)}x${count}`;
const flat = (v: number, count: number) => `${v}+0x${count}`;

export function minutes(d: string | undefined): number {
  if (!d) return 0;
  const m = /^(\d+)(s|m|h|d)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  return (Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"]) / 60;
}

function expected(rule: AlertRule, exprLabels: Record<string, string>): ExpAlert {
  const labels = { ...exprLabels, ...rule.labels } as Record<string, string>;
  const render = (s: string) => s.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k: string) => labels[k] ?? "");
  return {
    exp_labels: labels,
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, render(v)])),
  };
}

type Gen = (rule: AlertRule) => TestGroup[];

/**
 * How the emitter spells the datasource: supervisor metrics (lag) carry the plain sanitised name; task
 * metrics on recent Druid releases carry it as a one-element list, "[name]" → "_name_" (apache/druid#17648).
 */
export type DruidSpelling = "plain" | "list";
const emitted = (datasource: string, spelling: DruidSpelling) => druidEmitterLabelValue(spelling === "list" ? `[${datasource}]` : datasource);

function datasetGenerators(d: CompiledDataset, s: StackSettings, spelling: DruidSpelling): Record<string, Gen> {
  const t = effectiveThresholds(d, s);
  const gens: Record<string, Gen> = {};
  const druid = d.sinks.druid;
  const es = d.sinks.elasticsearch;
  const fires = (rule: AlertRule, at: number, labels: Record<string, string>): AlertTest => ({ eval_time: `${at}m`, alertname: rule.alert, exp_alerts: [expected(rule, labels)] });
  const silent = (rule: AlertRule, at: number): AlertTest => ({ eval_time: `${at}m`, alertname: rule.alert, exp_alerts: [] });
  const group = (name: string, input_series: Series[], alert_rule_test: AlertTest[], step = 1): TestGroup => ({ name: `${name} (dataSource spelled ${spelling})`, interval: `${step}m`, input_series, alert_rule_test });
  const M = METRICS;

  if (druid) {
    const overlord = { job: "druid-overlord", instance: "overlord-0:9000" };
    const peon = { job: "druid-pushgateway", instance: "pushgateway:9091", druid: `index_kafka_${druid.datasource}_0001` };
    // Supervisor metrics: plain spelling, with the Kafka topic as `stream`. Task metrics: per spelling.
    const supDs = (name: string) => ({ ...overlord, dataSource: druidEmitterLabelValue(name), stream: d.source.kafka?.topic ?? "topic" });
    const taskDs = (name: string) => ({ ...peon, dataSource: emitted(name, spelling) });
    const overlordDs = (name: string) => ({ ...overlord, dataSource: emitted(name, spelling) });
    const other = `${druid.datasource}_other`;
    gens.DruidIngestionLagHigh = (rule) => {
      const rate = 10; // events/s
      const n = 60;
      const at = 5 + minutes(rule.for) + 10;
      const lag = (f: number) => rate * t.druid.maxLagSeconds * f;
      const series = (f: number): Series[] => [
        { series: sel(M.druidEventsProcessed, taskDs(druid.datasource)), values: ramp(rate * 60, n) },
        { series: sel(M.druidKafkaLag, supDs(druid.datasource)), values: flat(lag(f), n) },
        // Another datasource far behind must not page for this one.
        { series: sel(M.druidEventsProcessed, taskDs(other)), values: ramp(rate * 60, n) },
        { series: sel(M.druidKafkaLag, supDs(other)), values: flat(lag(100), n) },
      ];
      return [
        group(`${rule.alert} just above ${t.druid.maxLagSeconds}s`, series(1 + MARGIN), [fires(rule, at, {})]),
        group(`${rule.alert} just below ${t.druid.maxLagSeconds}s`, series(1 - MARGIN), [silent(rule, at)]),
      ];
    };
    gens.DruidParseErrorsHigh = (rule) => {
      const perMin = 6000;
      const n = 60;
      const at = 10 + minutes(rule.for) + 5;
      const series = (f: number): Series[] => {
        const r = t.druid.parseErrorRatio * f;
        return [
          { series: sel(M.druidEventsProcessed, taskDs(druid.datasource)), values: ramp(perMin, n) },
          { series: sel(M.druidEventsUnparseable, taskDs(druid.datasource)), values: ramp((perMin * r) / (1 - r), n) },
          { series: sel(M.druidEventsProcessed, taskDs(other)), values: ramp(perMin, n) },
          { series: sel(M.druidEventsUnparseable, taskDs(other)), values: ramp(perMin, n) },
        ];
      };
      return [
        group(`${rule.alert} just above ${t.druid.parseErrorRatio}`, series(1 + MARGIN), [fires(rule, at, {})]),
        group(`${rule.alert} just below ${t.druid.parseErrorRatio}`, series(1 - MARGIN), [silent(rule, at)]),
      ];
    };
    gens.DruidTaskFailuresHigh = (rule) => {
      const n = 480 / LONG_STEP;
      const at = 7 * 60 + minutes(rule.for);
      const series = (f: number): Series[] => {
        const r = t.druid.taskFailureRatio * f;
        return [
          { series: sel(M.druidTaskSuccess, overlordDs(druid.datasource)), values: ramp(1, n) },
          { series: sel(M.druidTaskFailed, overlordDs(druid.datasource)), values: ramp(r / (1 - r), n) },
          { series: sel(M.druidTaskSuccess, overlordDs(other)), values: ramp(1, n) },
          { series: sel(M.druidTaskFailed, overlordDs(other)), values: ramp(1, n) },
        ];
      };
      return [
        group(`${rule.alert} just above ${t.druid.taskFailureRatio}`, series(1 + MARGIN), [fires(rule, at, {})], LONG_STEP),
        group(`${rule.alert} just below ${t.druid.taskFailureRatio}`, series(1 - MARGIN), [silent(rule, at)], LONG_STEP),
      ];
    };
    const supervisorGen: Gen = (rule) => {
      const expectedState = s.druid.suspended ? "SUSPENDED" : "RUNNING";
      const wrong = s.druid.suspended ? "RUNNING" : "UNHEALTHY_TASKS";
      const exporter = { job: "druid-exporter", instance: "druid-exporter:8080" };
      // opstree druid-exporter: supervisor_name is the supervisor id verbatim (no sanitising).
      const sup = (id: string, state: string) => sel(M.druidSupervisors, { ...exporter, supervisor_name: id, healthy: String(state === expectedState), state });
      const f = minutes(rule.for);
      const n = 20 + f + 20;
      return [
        // In the expected state for 20 minutes, then in a wrong one: silent before `for` elapses, firing after.
        group(`${rule.alert} wrong state longer / shorter than ${rule.for}`, [
          { series: sup(druid.datasource, expectedState), values: `${flat(1, 20)} stale` },
          { series: sup(druid.datasource, wrong), values: `_x20 ${flat(1, n - 21)}` },
          { series: sup(other, "UNHEALTHY_TASKS"), values: flat(1, n) },
        ], [silent(rule, 20 + f - 2), fires(rule, 20 + f + 2, { supervisor_name: druid.datasource, state: wrong })]),
        group(`${rule.alert} supervisor missing`, [{ series: sup(other, expectedState), values: flat(1, n) }], [
          fires(rule, f + 2, { supervisor_name: druid.datasource, state: "ABSENT" }),
        ]),
        group(`${rule.alert} in ${expectedState}`, [{ series: sup(druid.datasource, expectedState), values: flat(1, n) }], [silent(rule, f + 10)]),
      ];
    };
    gens.DruidSupervisorNotRunning = supervisorGen;
    gens.DruidSupervisorNotSuspended = supervisorGen;
    gens.DruidNoIngestion = (rule) => {
      const w = t.druid.noIngestMinutes;
      const f = minutes(rule.for);
      const stop = 10;
      // Events flow for 10 minutes, then stop: silent while the last increase is inside the window.
      const stops: Series[] = [{ series: sel(M.druidEventsProcessed, taskDs(druid.datasource)), values: `${ramp(100, stop)} ${flat(1000, Math.ceil(w) + f + 20)}` }];
      return [
        group(`${rule.alert} idle just over / under ${t.druid.noIngestMinutes}m`, stops, [silent(rule, stop + Math.floor(w) - 1), fires(rule, stop + Math.ceil(w) + f + 2, {})]),
        group(`${rule.alert} never reported`, [{ series: sel(M.druidEventsProcessed, taskDs(other)), values: ramp(100, Math.ceil(w) + 10) }], [fires(rule, f + 2, {})]),
      ];
    };
  }

  if (es) {
    const names = esNames(d);
    const exporter = { job: "elasticsearch-exporter", instance: "es-exporter:9114", cluster: "data-cluster" };
    const backing = (generation: number) => (es.mode === "data_stream" ? `.ds-${names.index}-2026.01.01-${String(generation).padStart(6, "0")}` : `${names.index}-${String(generation).padStart(6, "0")}`);
    const index = { ...exporter, index: backing(1) };
    const failureIndex = { ...exporter, index: names.failureIndex };
    const foreign = { ...exporter, index: ".ds-not-this-dataset-2026.01.01-000001" };
    // index_total (the "total" section) counts the operation on every shard copy; index_failed only on the primary.
    const copies = 1 + s.elasticsearch.replicas;
    gens.ElasticsearchIndexingFailuresHigh = (rule) => {
      const docsPerMin = 6000;
      const n = 60;
      const at = 10 + minutes(rule.for) + 5;
      const series = (f: number): Series[] => {
        const r = t.elasticsearch.indexingFailureRatio * f;
        return [
          { series: sel(M.esIndexingIndexTotal, index), values: ramp(docsPerMin * copies, n) },
          { series: sel(M.esIndexingIndexFailed, index), values: ramp((docsPerMin * r) / (1 - r), n) },
          // Other indices, and this dataset's failure index, failing a lot must not count.
          { series: sel(M.esIndexingIndexTotal, foreign), values: ramp(docsPerMin, n) },
          { series: sel(M.esIndexingIndexFailed, foreign), values: ramp(docsPerMin, n) },
          { series: sel(M.esIndexingIndexFailed, failureIndex), values: ramp(docsPerMin, n) },
        ];
      };
      return [
        group(`${rule.alert} just above ${t.elasticsearch.indexingFailureRatio}`, series(1 + MARGIN), [fires(rule, at, {})]),
        group(`${rule.alert} just below ${t.elasticsearch.indexingFailureRatio}`, series(1 - MARGIN), [silent(rule, at)]),
      ];
    };
    gens.ElasticsearchFailedDocumentsHigh = (rule) => {
      const docsPerMin = 6000;
      const n = 60;
      const at = 10 + minutes(rule.for) + 5;
      const series = (f: number): Series[] => {
        const r = t.elasticsearch.indexingFailureRatio * f;
        return [
          { series: sel(M.esIndexingIndexTotal, index), values: ramp(docsPerMin * copies, n) },
          { series: sel(M.esIndexingIndexTotal, failureIndex), values: ramp(((docsPerMin * r) / (1 - r)) * copies, n) },
          { series: sel(M.esIndexingIndexTotal, foreign), values: ramp(1, n) },
        ];
      };
      return [
        group(`${rule.alert} just above ${t.elasticsearch.indexingFailureRatio}`, series(1 + MARGIN), [fires(rule, at, {})]),
        group(`${rule.alert} just below ${t.elasticsearch.indexingFailureRatio}`, series(1 - MARGIN), [silent(rule, at)]),
        group(`${rule.alert} no failure index at all`, series(0).slice(0, 1), [silent(rule, at)]),
      ];
    };
    gens.ElasticsearchFailedDocumentsCritical = (rule) => [
      // The first failed document creates the failure index (1 document × copies index operations).
      group(`${rule.alert} first failed document`, [
        { series: sel(M.esIndexingIndexTotal, index), values: ramp(6000 * copies, 90) },
        { series: sel(M.esIndexingIndexTotal, failureIndex), values: `_x30 ${flat(copies, 59)}` },
      ], [silent(rule, 25), fires(rule, 32, {}), silent(rule, 50)]),
      group(`${rule.alert} another failed document later`, [
        { series: sel(M.esIndexingIndexTotal, failureIndex), values: `${flat(copies, 40)} ${flat(2 * copies, 49)}` },
      ], [silent(rule, 30), fires(rule, 43, {}), silent(rule, 60)]),
    ];
    gens.ElasticsearchIlmStepError = (rule) => {
      const f = minutes(rule.for);
      const n = 20 + f + 20;
      const labels = { ...index, phase: "warm", action: "forcemerge" };
      const { job, instance, cluster, ...expr } = labels;
      void job, void instance, void cluster;
      return [
        group(`${rule.alert} ERROR longer / shorter than ${rule.for}`, [
          { series: sel(M.esIlmIndexStatus, { job, instance, index: labels.index, phase: "warm", action: "forcemerge", step: "forcemerge" }), values: `${flat(1, 20)} stale` },
          // One failed scrape (stale marker) while in ERROR must not restart the `for` clock.
          { series: sel(M.esIlmIndexStatus, { job, instance, index: labels.index, phase: "warm", action: "forcemerge", step: "ERROR" }), values: `_x20 ${flat(1, 5)} stale ${flat(1, n - 28)}` },
          { series: sel(M.esIlmIndexStatus, { job, instance, index: foreign.index, phase: "warm", action: "forcemerge", step: "ERROR" }), values: flat(1, n) },
        ], [silent(rule, 20 + f - 2), fires(rule, 20 + f + 2, expr)]),
      ];
    };
    gens.ElasticsearchIlmStuck = (rule) => {
      const f = minutes(rule.for);
      const n = Math.ceil(f / LONG_STEP) + 6;
      const ilm = (idx: string, phase: string, action: string, step: string) => ({ job: "elasticsearch-exporter", instance: "es-exporter:9114", index: idx, phase, action, step });
      const stuck = ilm(backing(1), "warm", "shrink", "check-shrink-allocation");
      const half = Math.floor(f / LONG_STEP / 2);
      const { job, instance, ...exprLabels } = stuck;
      void job, void instance;
      return [
        group(`${rule.alert} same step longer / shorter than ${rule.for}, one failed scrape midway`, [
          { series: sel(M.esIlmIndexStatus, stuck), values: `${flat(1, half)} stale ${flat(1, n - half - 2)}` },
          // Waiting for rollover or min_age is normal, however long it lasts.
          { series: sel(M.esIlmIndexStatus, ilm(backing(2), "hot", "rollover", "check-rollover-ready")), values: flat(1, n) },
          { series: sel(M.esIlmIndexStatus, ilm(backing(3), "warm", "complete", "complete")), values: flat(1, n) },
          { series: sel(M.esIlmIndexStatus, ilm(foreign.index, "warm", "shrink", "check-shrink-allocation")), values: flat(1, n) },
        ], [silent(rule, f - 2 * LONG_STEP), fires(rule, f + 2 * LONG_STEP, exprLabels)], LONG_STEP),
      ];
    };
    gens.ElasticsearchNoDocsIndexed = (rule) => {
      const w = t.elasticsearch.noDocsMinutes;
      const f = minutes(rule.for);
      const stop = 10;
      return [
        group(`${rule.alert} idle just over / under ${t.elasticsearch.noDocsMinutes}m`, [
          { series: sel(M.esIndexingIndexTotal, index), values: `${ramp(100, stop)} ${flat(1000, Math.ceil(w) + f + 20)}` },
          // Failed documents keep flowing into the failure index: that is not "documents indexed".
          { series: sel(M.esIndexingIndexTotal, failureIndex), values: ramp(100, Math.ceil(w) + f + 31) },
          { series: sel(M.esIndexingIndexTotal, foreign), values: ramp(100, Math.ceil(w) + f + 31) },
        ], [silent(rule, stop + Math.floor(w) - 1), fires(rule, stop + Math.ceil(w) + f + 2, {})]),
        group(`${rule.alert} never reported`, [{ series: sel(M.esIndexingIndexTotal, foreign), values: ramp(100, Math.ceil(w) + 10) }], [fires(rule, f + 2, {})]),
      ];
    };
  }
  return gens;
}

function deployGenerators(s: StackSettings): Record<string, Gen> {
  const M = METRICS;
  return {
    MapstackApplySuccessLow: (rule) => {
      const n = 200; // hours
      const at = `${8 * 24}h`;
      const group = { job: "mapstack", instance: "" };
      const stack = { stack: s.stack };
      const series = (ratio: number): Series[] => [
        { series: sel(M.mapstackApplyTotal, { ...group, ...stack, result: "success" }), values: ramp(1, n) },
        { series: sel(M.mapstackApplyTotal, { ...group, ...stack, result: "failure" }), values: ramp((1 - ratio) / ratio, n) },
        { series: sel(M.mapstackApplyTotal, { ...group, stack: `${s.stack}-other`, result: "failure" }), values: ramp(5, n) },
      ];
      const test = (exp: ExpAlert[]): AlertTest[] => [{ eval_time: at, alertname: rule.alert, exp_alerts: exp }];
      const g = (name: string, input_series: Series[], t: AlertTest[]): TestGroup => ({ name, interval: "1h", input_series, alert_rule_test: t });
      return [
        g(`${rule.alert} just below ${APPLY_SUCCESS_RATIO}`, series(APPLY_SUCCESS_RATIO * (1 - MARGIN)), test([expected(rule, stack)])),
        g(`${rule.alert} just above ${APPLY_SUCCESS_RATIO}`, series(Math.min(1, APPLY_SUCCESS_RATIO * (1 + MARGIN))), test([])),
        g(`${rule.alert} every apply failed`, [{ series: sel(M.mapstackApplyTotal, { ...group, ...stack, result: "failure" }), values: ramp(1, n) }], test([expected(rule, stack)])),
      ];
    },
  };
}

function testsFor(group: RuleGroup, gens: Record<string, Gen>): TestGroup[] {
  return group.rules.flatMap((rule) => {
    const gen = gens[rule.alert];
    if (!gen) throw new Error(`no promtool unit test generator for alert ${rule.alert} of group ${group.name}: add one in test/observability/promtool-cases.ts`);
    return gen(rule);
  });
}

/** Unit-test files for a dataset's rules: one per evaluation grid (1 minute, and LONG_STEP for the long windows). */
export function datasetTestFiles(ruleFile: string, group: RuleGroup, d: CompiledDataset, s: StackSettings, spelling: DruidSpelling = "plain") {
  const tests = testsFor(group, datasetGenerators(d, s, spelling));
  const file = (step: number) => ({ rule_files: [ruleFile], evaluation_interval: `${step}m`, tests: tests.filter((t) => t.interval === `${step}m`) });
  return [file(1), file(LONG_STEP)].filter((f) => f.tests.length > 0);
}

export function deployTestFile(ruleFile: string, group: RuleGroup, s: StackSettings) {
  return { rule_files: [ruleFile], evaluation_interval: "1h", tests: testsFor(group, deployGenerators(s)) };
}
