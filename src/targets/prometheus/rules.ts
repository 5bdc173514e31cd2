// Prometheus alerting rules of one dataset, and the stack-level deploy rules. Pure: compiled dataset +
// stack settings in, plain rule-group objects out (serialised by ./files.ts).
import type { CompiledDataset } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";
import { DRUID, DRUID_EXPORTER, ES, MAPSTACK_APPLY_TOTAL, esIndexRegex } from "./metrics";
import { APPLY_SUCCESS_RATIO, effectiveThresholds } from "./thresholds";

export type Severity = "critical" | "warning" | "info";

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: Severity; stack: string; dataset?: string } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

export interface RuleFile {
  groups: RuleGroup[];
}

/** Stable anchors of the runbook sections in README (docs/observability.md, merged into README). */
export const RUNBOOK_BASE = "https://github.com/acme/mapstack#";

/** Window of the rate()s behind the ratio alerts: long enough to smooth Druid's 1-minute emission. */
const RATIO_WINDOW = "10m";
/** Druid Kafka tasks finish once per taskDuration, so a short window holds too few tasks to be a ratio. */
const TASK_WINDOW = "6h";
const APPLY_WINDOW = "7d";

/** PromQL string literal (Go-style escapes, which JSON's match for \\ and \"). */
const q = (s: string) => JSON.stringify(s);
/** Numbers printed exactly as configured (no exponent, no float noise). */
const num = (n: number) => String(n);
const pct = (r: number) => `${+(r * 100).toFixed(4)} %`;

export function ruleGroupName(dataset: string, stack: string): string {
  return `mapstack.${stack}.${dataset}`;
}

export function datasetRules(dataset: CompiledDataset, settings: StackSettings): RuleGroup {
  const t = effectiveThresholds(dataset, settings);
  const stack = settings.stack;
  const rules: AlertRule[] = [];
  const labels = (severity: Severity) => ({ severity, dataset: dataset.name, stack });
  const annotations = (summary: string, description: string, anchor: string) => ({ summary, description, runbook_url: RUNBOOK_BASE + anchor });

  const druid = dataset.sinks.druid;
  if (druid) {
    const ds = `${DRUID.datasourceLabel}=${q(druid.datasource)}`;
    const by = `sum by (${DRUID.datasourceLabel})`;
    const suspended = settings.druid.suspended;
    if (!suspended) {
      rules.push({
        alert: "DruidIngestionLagHigh",
        expr:
          `(${by} (${DRUID.kafkaLag}{${ds}}) / clamp_min(${by} (rate(${DRUID.processed}{${ds}}[5m])), 1))` +
          ` > ${num(t.druid.maxLagSeconds)}`,
        for: "5m",
        labels: labels("critical"),
        annotations: annotations(
          `Druid datasource ${druid.datasource} is more than ${t.druid.maxLagSeconds}s behind Kafka`,
          `Kafka lag of {{ $labels.dataSource }} divided by its ingestion rate exceeds ${t.druid.maxLagSeconds} seconds (stack ${stack}). ` +
            `Raise mapstack:druidTaskCount (now ${settings.druid.taskCount}) if the lag keeps growing.`,
          "runbook-druid-lag",
        ),
      });
    }
    const unparseable = `${by} (rate(${DRUID.unparseable}{${ds}}[${RATIO_WINDOW}]))`;
    const processed = `${by} (rate(${DRUID.processed}{${ds}}[${RATIO_WINDOW}]))`;
    rules.push({
      alert: "DruidParseErrorsHigh",
      expr: `(${unparseable} / (${unparseable} + ${processed})) > ${num(t.druid.parseErrorRatio)}`,
      for: "10m",
      labels: labels("warning"),
      annotations: annotations(
        `More than ${pct(t.druid.parseErrorRatio)} of ${druid.datasource} events are unparseable`,
        `Unparseable events of {{ $labels.dataSource }} exceed ${pct(t.druid.parseErrorRatio)} of all events read over ${RATIO_WINDOW} (stack ${stack}). Check the producer's schema against the pinned descriptor set.`,
        "runbook-druid-parse-errors",
      ),
    });
    const failed = `${by} (increase(${DRUID.taskFailed}{${ds}}[${TASK_WINDOW}]))`;
    const succeeded = `${by} (increase(${DRUID.taskSuccess}{${ds}}[${TASK_WINDOW}]))`;
    rules.push({
      alert: "DruidTaskFailuresHigh",
      expr: `(${failed} / (${failed} + ${succeeded})) > ${num(t.druid.taskFailureRatio)}`,
      labels: labels("warning"),
      annotations: annotations(
        `More than ${pct(t.druid.taskFailureRatio)} of ${druid.datasource} indexing tasks failed`,
        `Failed tasks of {{ $labels.dataSource }} exceed ${pct(t.druid.taskFailureRatio)} of finished tasks over ${TASK_WINDOW} (stack ${stack}).`,
        "runbook-druid-task-failures",
      ),
    });
    const expected = suspended ? "SUSPENDED" : "RUNNING";
    const sup = `${DRUID_EXPORTER.nameLabel}=${q(druid.datasource)}`;
    rules.push({
      alert: suspended ? "DruidSupervisorNotSuspended" : "DruidSupervisorNotRunning",
      expr:
        `max by (${DRUID_EXPORTER.nameLabel}, ${DRUID_EXPORTER.stateLabel}) (${DRUID_EXPORTER.supervisors}{${sup}, ${DRUID_EXPORTER.stateLabel}!=${q(expected)}}) == 1` +
        ` or label_replace(absent(${DRUID_EXPORTER.supervisors}{${sup}}), ${q(DRUID_EXPORTER.stateLabel)}, "ABSENT", "", "")`,
      for: "10m",
      labels: labels("critical"),
      annotations: annotations(
        `Druid supervisor ${druid.datasource} is not ${expected}`,
        `Supervisor {{ $labels.supervisor_name }} has been in state {{ $labels.state }} for 10 minutes; expected ${expected} (stack ${stack}, mapstack:druidSuspended=${suspended}).`,
        "runbook-druid-supervisor",
      ),
    });
    if (!suspended) {
      const w = `${num(t.druid.noIngestMinutes)}m`;
      rules.push({
        alert: "DruidNoIngestion",
        expr: `${by} (increase(${DRUID.processed}{${ds}}[${w}])) == 0 or absent_over_time(${DRUID.processed}{${ds}}[${w}])`,
        labels: labels("critical"),
        annotations: annotations(
          `Druid datasource ${druid.datasource} ingested nothing for ${t.druid.noIngestMinutes} minutes`,
          `No event of {{ $labels.dataSource }} was processed in the last ${t.druid.noIngestMinutes} minutes (stack ${stack}).`,
          "runbook-druid-no-ingestion",
        ),
      });
    }
  }

  const es = dataset.sinks.elasticsearch;
  if (es) {
    const idx = `index=~${q(esIndexRegex(es))}`;
    const nodeFailed = `sum(rate(${ES.nodeIndexFailed}[${RATIO_WINDOW}]))`;
    const nodeTotal = `sum(rate(${ES.nodeIndexTotal}[${RATIO_WINDOW}]))`;
    rules.push({
      alert: "ElasticsearchIndexingFailuresHigh",
      // Failures are only exported per node, so the ratio is cluster-wide; it is tied to this dataset by
      // requiring that the dataset is indexing right now (docs/observability.md, "Known limits").
      expr:
        `(${nodeFailed} / (${nodeFailed} + ${nodeTotal})) > ${num(t.elasticsearch.indexingFailureRatio)}` +
        ` and on () sum(rate(${ES.indexTotal}{${idx}}[${RATIO_WINDOW}])) > 0`,
      for: "10m",
      labels: labels("warning"),
      annotations: annotations(
        `Elasticsearch indexing failures above ${pct(t.elasticsearch.indexingFailureRatio)} while ${es.index} is indexing`,
        `Cluster-wide failed index operations exceed ${pct(t.elasticsearch.indexingFailureRatio)} over ${RATIO_WINDOW} while ${es.index} receives documents (stack ${stack}).`,
        "runbook-elasticsearch-indexing-failures",
      ),
    });
    rules.push({
      alert: "ElasticsearchIlmStepError",
      expr: `max by (index, phase, action) (${ES.ilmIndexStatus}{${idx}, step="ERROR"}) == 1`,
      for: "15m",
      labels: labels("warning"),
      annotations: annotations(
        `ILM of ${es.index} is in the ERROR step`,
        `Index {{ $labels.index }} has been in ILM step ERROR (phase {{ $labels.phase }}, action {{ $labels.action }}) for 15 minutes (stack ${stack}).`,
        "runbook-elasticsearch-ilm-error",
      ),
    });
    rules.push({
      alert: "ElasticsearchIlmStuck",
      // complete and check-rollover-ready legitimately last days (waiting for min_age / rollover).
      expr: `max by (index, phase, action, step) (${ES.ilmIndexStatus}{${idx}, step!~"complete|check-rollover-ready|ERROR"}) == 1`,
      for: `${num(t.elasticsearch.ilmStuckHours)}h`,
      labels: labels("info"),
      annotations: annotations(
        `ILM of ${es.index} has not moved for ${t.elasticsearch.ilmStuckHours} hours`,
        `Index {{ $labels.index }} has stayed in ILM step {{ $labels.step }} (phase {{ $labels.phase }}) for ${t.elasticsearch.ilmStuckHours} hours (stack ${stack}).`,
        "runbook-elasticsearch-ilm-stuck",
      ),
    });
    const w = `${num(t.elasticsearch.noDocsMinutes)}m`;
    rules.push({
      alert: "ElasticsearchNoDocsIndexed",
      expr: `sum(increase(${ES.indexTotal}{${idx}}[${w}])) == 0 or absent_over_time(${ES.indexTotal}{${idx}}[${w}])`,
      labels: labels("critical"),
      annotations: annotations(
        `No document indexed into ${es.index} for ${t.elasticsearch.noDocsMinutes} minutes`,
        `The indices of ${es.index} received no document in the last ${t.elasticsearch.noDocsMinutes} minutes (stack ${stack}).`,
        "runbook-elasticsearch-no-docs",
      ),
    });
  }
  return { name: ruleGroupName(dataset.name, stack), rules };
}

export function deployRules(settings: StackSettings): RuleGroup {
  const stack = settings.stack;
  const all = `sum by (stack) (increase(${MAPSTACK_APPLY_TOTAL}{stack=${q(stack)}}[${APPLY_WINDOW}]))`;
  const ok = `sum by (stack) (increase(${MAPSTACK_APPLY_TOTAL}{stack=${q(stack)}, result="success"}[${APPLY_WINDOW}]))`;
  return {
    name: `mapstack.${stack}.deploy`,
    rules: [
      {
        alert: "MapstackApplySuccessLow",
        // `or … * 0` keeps the ratio defined (0) when every apply failed and no success series exists.
        expr: `((${ok} or ${all} * 0) / ${all}) < ${num(APPLY_SUCCESS_RATIO)}`,
        labels: { severity: "warning", stack },
        annotations: {
          summary: `Fewer than ${pct(APPLY_SUCCESS_RATIO)} of mapstack applies on ${stack} succeeded`,
          description: `Successful \`mapstack apply\` runs on stack {{ $labels.stack }} fell below ${pct(APPLY_SUCCESS_RATIO)} over ${APPLY_WINDOW}.`,
          runbook_url: RUNBOOK_BASE + "runbook-mapstack-apply",
        },
      },
    ],
  };
}
