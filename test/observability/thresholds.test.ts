// Thresholds become Prometheus durations and ratios: what cannot be one is reported with its path in
// the DSL's monitoring block, fractional durations are converted exactly, and no rule is generated
// from a bad number (a rule file Prometheus cannot load drops every alert in it).
import { describe, expect, it } from "vitest";
import { MapstackError } from "../../src/dsl/diagnostics";
import { DEFAULT_MONITORING, type MonitoringThresholds } from "../../src/dsl/types";
import { datasetRules } from "../../src/targets/prometheus/rules";
import { datasetDashboard } from "../../src/targets/grafana/dashboard";
import { checkMonitoringThresholds, durationOrProblem } from "../../src/targets/prometheus/thresholds";
import { bundled } from "./support";

const withValues = (change: (m: MonitoringThresholds) => void): MonitoringThresholds => {
  const m = structuredClone(DEFAULT_MONITORING);
  change(m);
  return m;
};

describe("checkMonitoringThresholds", () => {
  it("accepts the runbook defaults", () => expect(checkMonitoringThresholds(DEFAULT_MONITORING)).toEqual([]));

  it("rejects zero and negative durations and lags, with the DSL path", () => {
    const problems = checkMonitoringThresholds(withValues((m) => {
      m.druid.noIngestMinutes = 0;
      m.elasticsearch.ilmStuckHours = -2;
      m.druid.maxLagSeconds = 0;
    }));
    expect(problems.map((p) => p.path)).toEqual([["druid", "max_lag_seconds"], ["druid", "no_ingest_minutes"], ["elasticsearch", "ilm_stuck_hours"]]);
    expect(problems[1].message).toMatch(/greater than 0, got 0/);
  });

  it("rejects ratios that can never be crossed (≥ 1) or are not ratios", () => {
    const problems = checkMonitoringThresholds(withValues((m) => {
      m.druid.parseErrorRatio = 1;
      m.druid.taskFailureRatio = 5;
      m.elasticsearch.indexingFailureRatio = 0;
    }));
    expect(problems.map((p) => p.path.join("."))).toEqual(["druid.parse_error_ratio", "druid.task_failure_ratio", "elasticsearch.indexing_failure_ratio"]);
    for (const p of problems) expect(p.message).toMatch(/strictly between 0 and 1/);
  });

  it("accepts fractional durations that are whole seconds, rejects finer ones and sub-minute windows", () => {
    expect(checkMonitoringThresholds(withValues((m) => {
      m.druid.noIngestMinutes = 2.5;
      m.elasticsearch.ilmStuckHours = 1.5;
    }))).toEqual([]);
    const problems = checkMonitoringThresholds(withValues((m) => {
      m.druid.noIngestMinutes = 0.5;
      m.elasticsearch.ilmStuckHours = 0.00001;
      m.elasticsearch.noDocsMinutes = 1.001;
    }));
    expect(problems.map((p) => p.path.join("."))).toEqual(["druid.no_ingest_minutes", "elasticsearch.no_docs_minutes", "elasticsearch.ilm_stuck_hours"]);
    expect(problems[0].message).toMatch(/at least 1 minute/);
    expect(problems[1].message).toMatch(/whole number of seconds/);
  });
});

describe("durations", () => {
  it.each([
    [2.5, "m", "150s"],
    [1.5, "h", "90m"],
    [24, "h", "1d"],
    [15, "m", "15m"],
    [0.1, "h", "6m"],
    [90, "s", "90s"],
  ] as const)("%s %s is %s", (v, unit, out) => expect(durationOrProblem(v, unit)).toEqual({ duration: out }));
});

describe("the rule generator refuses bad thresholds", () => {
  const { settings, datasets } = bundled("staging");
  const d = datasets.find((x) => x.sinks.druid)!;

  it("names the dataset, its file and the threshold; nothing is generated", () => {
    const bad = structuredClone(d);
    bad.monitoring.elasticsearch.ilmStuckHours = 0;
    expect(() => datasetRules(bad, settings)).toThrow(MapstackError);
    expect(() => datasetRules(bad, settings)).toThrow(new RegExp(`${bad.file}.*'${bad.name}': monitoring.elasticsearch.ilm_stuck_hours must be greater than 0`));
    expect(() => datasetDashboard(bad, settings)).toThrow(MapstackError);
  });

  it("says when the bad value comes from a stack override", () => {
    const s = structuredClone(settings);
    s.prometheus.overrides.noIngestMinutes = 0;
    expect(() => datasetRules(d, s)).toThrow(/monitoring.druid.no_ingest_minutes \(from mapstack:alertNoIngestMinutes of stack staging\) must be greater than 0/);
  });
});
