// Generates `promtool test rules` unit tests from the same thresholds the rules were built from: for
// every alert, input series just above the threshold (the alert fires, with the exact labels and
// annotations) and just below it (silence). An alert without a generator here fails the suite, so a new
// rule can never go untested.
import type { CompiledDataset } from "../../src/dsl/types";
import type { StackSettings } from "../../src/settings/stack-settings";
import { DRUID, DRUID_EXPORTER, ES, MAPSTACK_APPLY_TOTAL, exampleIndexName } from "../../src/targets/prometheus/metrics";
import type { AlertRule, RuleGroup } from "../../src/targets/prometheus/rules";
import { APPLY_SUCCESS_RATIO, effectiveThresholds } from "../../src/targets/prometheus/thresholds";

export interface Series { series: string; values: string }
export interface ExpAlert { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }
export interface AlertTest { eval_time: string; alertname: string; exp_alerts: ExpAlert[] }
export interface TestGroup { name: string; interval: string; input_series: Series[]; alert_rule_test: AlertTest[] }

/** How far from the threshold "just above" and "just below" are (relative). */
export const MARGIN = 0.02;

const sel = (metric: string, labels: Record<string, string>) =>
  `${metric}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;
/** promtool expanding notation: start, start+step, … (count+1 samples). */
const ramp = (perStep: number, count: number, start = 0) => `${start}+${+perStep.toPrecision(12)}x${count}`;
const flat = (v: number, count: number) => `${v}+0x${count}`;

export function minutes(d: string | undefined): number {
  if (!d) return 0;
  const m = /^(\d+)(m|h|d)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as "m" | "h" | "d"];
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

function datasetGenerators(d: CompiledDataset, s: StackSettings): Record<string, Gen> {
  const t = effectiveThresholds(d, s);
  const gens: Record<string, Gen> = {};
  const druid = d.sinks.druid;
  const es = d.sinks.elasticsearch;
  const fires = (rule: AlertRule, at: number, labels: Record<string, string>): AlertTest => ({ eval_time: `${at}m`, alertname: rule.alert, exp_alerts: [expected(rule, labels)] });
  const silent = (rule: AlertRule, at: number): AlertTest => ({ eval_time: `${at}m`, alertname: rule.alert, exp_alerts: [] });
  const group = (name: string, input_series: Series[], alert_rule_test: AlertTest[]): TestGroup => ({ name, interval: "1m", input_series, alert_rule_test });

  if (druid) {
    const ds = { [DRUID.datasourceLabel]: druid.datasource };
    const other = { [DRUID.datasourceLabel]: `${druid.datasource}_other` };
    gens.DruidIngestionLagHigh = (rule) => {
      const rate = 10; // events/s
      const n = 60;
      const at = 5 + minutes(rule.for) + 10;
      const lag = (f: number) => rate * t.druid.maxLagSeconds * f;
      const series = (f: number): Series[] => [
        { series: sel(DRUID.processed, ds), values: ramp(rate * 60, n) },
        { series: sel(DRUID.kafkaLag, ds), values: flat(lag(f), n) },
        // Another datasource far behind must not page for this one.
        { series: sel(DRUID.processed, other), values: ramp(rate * 60, n) },
        { series: sel(DRUID.kafkaLag, other), values: flat(lag(100), n) },
      ];
      return [
        group(`${rule.alert} just above ${t.druid.maxLagSeconds}s`, series(1 + MARGIN), [fires(rule, at, ds)]),
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
          { series: sel(DRUID.processed, ds), values: ramp(perMin, n) },
          { series: sel(DRUID.unparseable, ds), values: ramp((perMin * r) / (1 - r), n) },
          { series: sel(DRUID.processed, other), values: ramp(perMin, n) },
          { series: sel(DRUID.unparseable, other), values: ramp(perMin, n) },
        ];
      };
      return [
        group(`${rule.alert} just above ${t.druid.parseErrorRatio}`, series(1 + MARGIN), [fires(rule, at, ds)]),
        group(`${rule.alert} just below ${t.druid.parseErrorRatio}`, series(1 - MARGIN), [silent(rule, at)]),
      ];
    };
    gens.DruidTaskFailuresHigh = (rule) => {
      const n = 480;
      const at = 7 * 60 + minutes(rule.for);
      const series = (f: number): Series[] => {
        const r = t.druid.taskFailureRatio * f;
        return [
          { series: sel(DRUID.taskSuccess, ds), values: ramp(1, n) },
          { series: sel(DRUID.taskFailed, ds), values: ramp(r / (1 - r), n) },
          { series: sel(DRUID.taskSuccess, other), values: ramp(1, n) },
          { series: sel(DRUID.taskFailed, other), values: ramp(1, n) },
        ];
      };
      return [
        group(`${rule.alert} just above ${t.druid.taskFailureRatio}`, series(1 + MARGIN), [fires(rule, at, ds)]),
        group(`${rule.alert} just below ${t.druid.taskFailureRatio}`, series(1 - MARGIN), [silent(rule, at)]),
      ];
    };
    const supervisorGen: Gen = (rule) => {
      const expectedState = s.druid.suspended ? "SUSPENDED" : "RUNNING";
      const wrong = s.druid.suspended ? "RUNNING" : "UNHEALTHY_TASKS";
      const name = { [DRUID_EXPORTER.nameLabel]: druid.datasource };
      const sup = (state: string) => sel(DRUID_EXPORTER.supervisors, { ...name, healthy: String(state === expectedState), [DRUID_EXPORTER.stateLabel]: state });
      const f = minutes(rule.for);
      const n = 20 + f + 20;
      return [
        // In the expected state for 20 minutes, then in a wrong one: silent before `for` elapses, firing after.
        group(`${rule.alert} wrong state longer / shorter than ${rule.for}`, [
          { series: sup(expectedState), values: `${flat(1, 20)} stale` },
          { series: sup(wrong), values: `_x20 ${flat(1, n - 21)}` },
          { series: sel(DRUID_EXPORTER.supervisors, { [DRUID_EXPORTER.nameLabel]: `${druid.datasource}_other`, healthy: "false", state: "UNHEALTHY_TASKS" }), values: flat(1, n) },
        ], [silent(rule, 20 + f - 2), fires(rule, 20 + f + 2, { ...name, state: wrong })]),
        group(`${rule.alert} supervisor missing`, [{ series: sup(expectedState).replace(druid.datasource, `${druid.datasource}_other`), values: flat(1, n) }], [
          fires(rule, f + 2, { ...name, state: "ABSENT" }),
        ]),
        group(`${rule.alert} in ${expectedState}`, [{ series: sup(expectedState), values: flat(1, n) }], [silent(rule, f + 10)]),
      ];
    };
    gens.DruidSupervisorNotRunning = supervisorGen;
    gens.DruidSupervisorNotSuspended = supervisorGen;
    gens.DruidNoIngestion = (rule) => {
      const w = t.druid.noIngestMinutes;
      const f = minutes(rule.for);
      // Events flow for 10 minutes, then stop.
      const stops: Series[] = [{ series: sel(DRUID.processed, ds), values: `${ramp(100, 10)} ${flat(1000, w + f + 20)}` }];
      return [
        group(`${rule.alert} idle just over / under ${w}m`, stops, [silent(rule, 10 + w - 2), fires(rule, 10 + w + f + 2, ds)]),
        group(`${rule.alert} never reported`, [{ series: sel(DRUID.processed, other), values: ramp(100, w + 10) }], [fires(rule, f + 2, ds)]),
      ];
    };
  }

  if (es) {
    const index = { index: exampleIndexName(es) };
    const foreign = { index: ".ds-not-this-dataset-2026.01.01-000001" };
    gens.ElasticsearchIndexingFailuresHigh = (rule) => {
      const perMin = 6000;
      const n = 60;
      const at = 10 + minutes(rule.for) + 5;
      const series = (f: number, datasetIndexing: boolean): Series[] => {
        const r = t.elasticsearch.indexingFailureRatio * f;
        return [
          { series: sel(ES.nodeIndexTotal, { name: "es-0" }), values: ramp(perMin, n) },
          { series: sel(ES.nodeIndexFailed, { name: "es-0" }), values: ramp((perMin * r) / (1 - r), n) },
          { series: sel(ES.indexTotal, index), values: datasetIndexing ? ramp(100, n) : flat(5, n) },
        ];
      };
      return [
        group(`${rule.alert} just above ${t.elasticsearch.indexingFailureRatio}`, series(1 + MARGIN, true), [fires(rule, at, {})]),
        group(`${rule.alert} just below ${t.elasticsearch.indexingFailureRatio}`, series(1 - MARGIN, true), [silent(rule, at)]),
        group(`${rule.alert} above but ${es.index} idle`, series(1 + MARGIN, false), [silent(rule, at)]),
      ];
    };
    gens.ElasticsearchIlmStepError = (rule) => {
      const f = minutes(rule.for);
      const n = 20 + f + 20;
      const labels = { ...index, phase: "warm", action: "forcemerge" };
      return [
        group(`${rule.alert} ERROR longer / shorter than ${rule.for}`, [
          { series: sel(ES.ilmIndexStatus, { ...labels, step: "forcemerge" }), values: `${flat(1, 20)} stale` },
          { series: sel(ES.ilmIndexStatus, { ...labels, step: "ERROR" }), values: `_x20 ${flat(1, n - 21)}` },
          { series: sel(ES.ilmIndexStatus, { ...foreign, phase: "warm", action: "forcemerge", step: "ERROR" }), values: flat(1, n) },
        ], [silent(rule, 20 + f - 2), fires(rule, 20 + f + 2, labels)]),
      ];
    };
    gens.ElasticsearchIlmStuck = (rule) => {
      const f = minutes(rule.for);
      const n = f + 30;
      const stuck = { ...index, phase: "warm", action: "shrink", step: "check-shrink-allocation" };
      return [
        group(`${rule.alert} same step longer / shorter than ${rule.for}`, [
          { series: sel(ES.ilmIndexStatus, stuck), values: flat(1, n) },
          // Waiting for rollover or min_age is normal, however long it lasts.
          { series: sel(ES.ilmIndexStatus, { index: index.index.replace(/1$/, "2"), phase: "hot", action: "rollover", step: "check-rollover-ready" }), values: flat(1, n) },
          { series: sel(ES.ilmIndexStatus, { index: index.index.replace(/1$/, "3"), phase: "warm", action: "complete", step: "complete" }), values: flat(1, n) },
          { series: sel(ES.ilmIndexStatus, { ...foreign, phase: "warm", action: "shrink", step: "check-shrink-allocation" }), values: flat(1, n) },
        ], [silent(rule, f - 5), fires(rule, f + 5, stuck)]),
      ];
    };
    gens.ElasticsearchNoDocsIndexed = (rule) => {
      const w = t.elasticsearch.noDocsMinutes;
      const f = minutes(rule.for);
      return [
        group(`${rule.alert} idle just over / under ${w}m`, [
          { series: sel(ES.indexTotal, index), values: `${ramp(100, 10)} ${flat(1000, w + f + 20)}` },
          { series: sel(ES.indexTotal, foreign), values: ramp(100, w + f + 31) },
        ], [silent(rule, 10 + w - 2), fires(rule, 10 + w + f + 2, {})]),
        group(`${rule.alert} never reported`, [{ series: sel(ES.indexTotal, foreign), values: ramp(100, w + 10) }], [fires(rule, f + 2, {})]),
      ];
    };
  }
  return gens;
}

function deployGenerators(s: StackSettings): Record<string, Gen> {
  return {
    MapstackApplySuccessLow: (rule) => {
      const n = 200; // hours
      const at = `${8 * 24}h`;
      const stack = { stack: s.stack };
      const series = (ratio: number): Series[] => [
        { series: sel(MAPSTACK_APPLY_TOTAL, { ...stack, result: "success" }), values: ramp(1, n) },
        { series: sel(MAPSTACK_APPLY_TOTAL, { ...stack, result: "failure" }), values: ramp((1 - ratio) / ratio, n) },
        { series: sel(MAPSTACK_APPLY_TOTAL, { stack: `${s.stack}-other`, result: "failure" }), values: ramp(5, n) },
      ];
      const test = (exp: ExpAlert[]): AlertTest[] => [{ eval_time: at, alertname: rule.alert, exp_alerts: exp }];
      const g = (name: string, input_series: Series[], t: AlertTest[]): TestGroup => ({ name, interval: "1h", input_series, alert_rule_test: t });
      return [
        g(`${rule.alert} just below ${APPLY_SUCCESS_RATIO}`, series(APPLY_SUCCESS_RATIO * (1 - MARGIN)), test([expected(rule, stack)])),
        g(`${rule.alert} just above ${APPLY_SUCCESS_RATIO}`, series(Math.min(1, APPLY_SUCCESS_RATIO * (1 + MARGIN))), test([])),
        g(`${rule.alert} every apply failed`, [{ series: sel(MAPSTACK_APPLY_TOTAL, { ...stack, result: "failure" }), values: ramp(1, n) }], test([expected(rule, stack)])),
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

export function datasetTestFile(ruleFile: string, group: RuleGroup, d: CompiledDataset, s: StackSettings) {
  return { rule_files: [ruleFile], evaluation_interval: "1m", tests: testsFor(group, datasetGenerators(d, s)) };
}

export function deployTestFile(ruleFile: string, group: RuleGroup, s: StackSettings) {
  return { rule_files: [ruleFile], evaluation_interval: "1h", tests: testsFor(group, deployGenerators(s)) };
}
