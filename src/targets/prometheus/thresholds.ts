// The numbers every alert and every dashboard threshold line use: the DSL's monitoring block (already
// filled with the runbook defaults by the compiler) with the stack's overrides on top. Alerts and
// dashboards both read this one function so they cannot disagree.
//
// Thresholds are checked as Prometheus needs them: ratios strictly between 0 and 1 (a ratio of 1 or
// more can never be exceeded, so the alert would be silently off), durations positive and a whole
// number of seconds. A fractional duration that is a whole number of seconds is converted to the
// largest unit that holds it exactly (no_ingest_minutes: 2.5 → "150s", ilm_stuck_hours: 1.5 → "90m");
// anything finer is rejected.
import { MapstackError } from "../../dsl/diagnostics";
import type { CompiledDataset, MonitoringThresholds } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";

export type EffectiveThresholds = MonitoringThresholds;

export function effectiveThresholds(dataset: CompiledDataset, settings: StackSettings): EffectiveThresholds {
  const o = settings.prometheus.overrides;
  const m = dataset.monitoring;
  return {
    druid: {
      maxLagSeconds: o.maxLagSeconds ?? m.druid.maxLagSeconds,
      parseErrorRatio: o.parseErrorRatio ?? m.druid.parseErrorRatio,
      taskFailureRatio: o.taskFailureRatio ?? m.druid.taskFailureRatio,
      noIngestMinutes: o.noIngestMinutes ?? m.druid.noIngestMinutes,
    },
    elasticsearch: {
      indexingFailureRatio: o.indexingFailureRatio ?? m.elasticsearch.indexingFailureRatio,
      // alertNoIngestMinutes is documented as overriding every "no ingestion for N minutes" threshold.
      noDocsMinutes: o.noIngestMinutes ?? m.elasticsearch.noDocsMinutes,
      ilmStuckHours: m.elasticsearch.ilmStuckHours,
    },
  };
}

/** The runbook's deploy success objective for `mapstack apply` (stack-level, not per dataset). */
export const APPLY_SUCCESS_RATIO = 0.95;

export type DurationUnit = "s" | "m" | "h";
const SECONDS: Record<DurationUnit | "d", number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Shortest windows that still hold samples: Druid emits once a minute and Prometheus scrapes about
 * as often, so an increase() over less than a minute is empty and the "no ingestion" alert would fire
 * on data that is flowing.
 */
export const MIN_WINDOW_MINUTES = 1;

/** `value` `unit`s as a Prometheus duration promtool loads, or a reason it cannot be one. */
export function durationOrProblem(value: number, unit: DurationUnit): { duration: string } | { problem: string } {
  if (typeof value !== "number" || !Number.isFinite(value)) return { problem: `must be a number, got ${JSON.stringify(value)}` };
  if (value <= 0) return { problem: `must be greater than 0, got ${value}` };
  const seconds = value * SECONDS[unit];
  const whole = Math.round(seconds);
  // Float noise (0.1 h = 360.00000000000006 s) is not a fraction of a second.
  if (Math.abs(seconds - whole) > 1e-6 || whole < 1) return { problem: `must be a whole number of seconds once converted (${value} ${unitName(unit)} = ${+seconds.toFixed(6)} s)` };
  for (const u of ["d", "h", "m", "s"] as const) if (whole % SECONDS[u] === 0) return { duration: `${whole / SECONDS[u]}${u}` };
  return { duration: `${whole}s` };
}

function unitName(unit: DurationUnit): string {
  return { s: "seconds", m: "minutes", h: "hours" }[unit];
}

/** Ratio thresholds an alert can cross: 0 < r < 1. */
function ratioProblem(r: number): string | null {
  if (typeof r !== "number" || !Number.isFinite(r)) return `must be a number, got ${JSON.stringify(r)}`;
  if (r <= 0 || r >= 1) return `must be a ratio strictly between 0 and 1 (e.g. 0.01 for 1 %), got ${r}`;
  return null;
}

export interface ThresholdProblem {
  /** Path inside the dataset's `monitoring` block, in the DSL's snake_case keys. */
  path: (string | number)[];
  message: string;
}

/**
 * Every threshold that cannot become a loadable, meaningful Prometheus rule. Pure; the DSL validator
 * turns the paths into file:line:col, the rule generator refuses to emit rules while any is left.
 */
export function checkMonitoringThresholds(m: MonitoringThresholds): ThresholdProblem[] {
  const problems: ThresholdProblem[] = [];
  const ratio = (path: string[], r: number) => {
    const p = ratioProblem(r);
    if (p) problems.push({ path, message: p });
  };
  const window = (path: string[], minutes: number) => {
    const d = durationOrProblem(minutes, "m");
    if ("problem" in d) problems.push({ path, message: d.problem });
    else if (minutes < MIN_WINDOW_MINUTES) problems.push({ path, message: `must be at least ${MIN_WINDOW_MINUTES} minute: metrics arrive once a minute, a shorter window holds no sample (got ${minutes})` });
  };
  const lag = m.druid.maxLagSeconds;
  if (typeof lag !== "number" || !Number.isFinite(lag) || lag <= 0) problems.push({ path: ["druid", "max_lag_seconds"], message: `must be a number of seconds greater than 0, got ${JSON.stringify(lag)}` });
  ratio(["druid", "parse_error_ratio"], m.druid.parseErrorRatio);
  ratio(["druid", "task_failure_ratio"], m.druid.taskFailureRatio);
  window(["druid", "no_ingest_minutes"], m.druid.noIngestMinutes);
  ratio(["elasticsearch", "indexing_failure_ratio"], m.elasticsearch.indexingFailureRatio);
  window(["elasticsearch", "no_docs_minutes"], m.elasticsearch.noDocsMinutes);
  const stuck = durationOrProblem(m.elasticsearch.ilmStuckHours, "h");
  if ("problem" in stuck) problems.push({ path: ["elasticsearch", "ilm_stuck_hours"], message: stuck.problem });
  return problems;
}

/** Stack settings naming each threshold override, for messages about overridden values. */
const OVERRIDE_KEYS: Record<string, string> = {
  "druid.max_lag_seconds": "mapstack:alertMaxLagSeconds",
  "druid.parse_error_ratio": "mapstack:alertParseErrorRatio",
  "druid.task_failure_ratio": "mapstack:alertTaskFailureRatio",
  "druid.no_ingest_minutes": "mapstack:alertNoIngestMinutes",
  "elasticsearch.indexing_failure_ratio": "mapstack:alertIndexingFailureRatio",
  "elasticsearch.no_docs_minutes": "mapstack:alertNoIngestMinutes",
};

/**
 * The thresholds a dataset's rules are built from, checked after the stack's overrides: a rule file
 * Prometheus cannot load drops every alert in it, so nothing is generated from a bad number.
 */
export function checkedThresholds(dataset: CompiledDataset, settings: StackSettings): EffectiveThresholds {
  const t = effectiveThresholds(dataset, settings);
  const problems = checkMonitoringThresholds(t);
  if (problems.length) {
    const o = settings.prometheus.overrides as Record<string, number | undefined>;
    const overridden = (key: string) => {
      const setting = OVERRIDE_KEYS[key];
      const field = setting?.replace("mapstack:alert", "");
      return setting && o[field[0].toLowerCase() + field.slice(1)] !== undefined ? ` (from ${setting} of stack ${settings.stack})` : "";
    };
    throw new MapstackError(
      problems.map((p) => {
        const key = p.path.join(".");
        return { file: dataset.file, line: 1, col: 1, message: `dataset '${dataset.name}': monitoring.${key}${overridden(key)} ${p.message}` };
      }),
    );
  }
  return t;
}

/** Prometheus duration of a threshold already accepted by checkMonitoringThresholds. */
export function promDuration(value: number, unit: DurationUnit): string {
  const d = durationOrProblem(value, unit);
  if ("problem" in d) throw new MapstackError(`${value} ${unitName(unit)} ${d.problem}`);
  return d.duration;
}
