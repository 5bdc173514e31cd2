// Prometheus alerting rules of one dataset, and the stack-level deploy rules. Pure: compiled dataset +
// stack settings in, plain rule-group objects out. Every metric name comes from the catalogue
// (src/observability/metric-catalogue.ts); every duration goes through promDuration, so a rule file
// always loads.
import type { CompiledDataset } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";
import { METRICS } from "../../observability/metric-catalogue";
import { druidDatasourceMatcher, esIndexMatchers, failureIndexMatcher, failureIndexName, q, supervisorMatcher } from "./metrics";
import { APPLY_SUCCESS_RATIO, checkedThresholds, promDuration } from "./thresholds";

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

/** Stable anchors of the runbook sections (docs/observability.md#runbook). */
export const RUNBOOK_BASE = "https://github.com/acme/mapstack/blob/main/docs/observability.md#";

/** Window of the rate()s behind the ratio alerts: long enough to smooth Druid's 1-minute emission. */
export const RATIO_WINDOW = "10m";
/** Druid Kafka tasks finish once per taskDuration, so a short window holds too few tasks to be a ratio. */
export const TASK_WINDOW = "6h";
/** Window over which a series missing for one scrape (a failed scrape writes stale markers) still counts as present. */
export const SCRAPE_GAP_WINDOW = "10m";
/** How far back "any failed document at all" looks. */
export const FAILED_DOCS_WINDOW = "10m";
const APPLY_WINDOW = "7d";

/** Numbers printed exactly as configured (no exponent, no float noise). */
const num = (n: number) => String(n);
const pct = (r: number) => `${+(r * 100).toFixed(4)} %`;

/**
 * Datasets marked critical (optional `monitoring.critical: true` in the DSL) page on every failed
 * document in prod, not only above their ratio.
 */
export function isCritical(dataset: CompiledDataset): boolean {
  return (dataset.monitoring as { critical?: unknown }).critical === true;
}

export function ruleGroupName(dataset: string, stack: string): string {
  return `mapstack.${stack}.${dataset}`;
}

export function datasetRules(dataset: CompiledDataset, settings: StackSettings): RuleGroup {
  const t = checkedThresholds(dataset, settings);
  const stack = settings.stack;
  const rules: AlertRule[] = [];
  const labels = (severity: Severity) => ({ severity, dataset: dataset.name, stack });
  const annotations = (summary: string, description: string, anchor: string) => ({ summary, description, runbook_url: RUNBOOK_BASE + anchor });
  const M = METRICS;

  const druid = dataset.sinks.druid;
  if (druid) {
    // One datasource, so plain sum(): Druid reports the label as "x" on supervisor metrics and "_x_" on
    // some task metrics (apache/druid#17648); grouping by it would make the lag ratio match nothing.
    const ds = druidDatasourceMatcher(druid.datasource);
    const suspended = settings.druid.suspended;
    const rate = (metric: string, w: string) => `sum(rate(${metric}{${ds}}[${w}]))`;
    const increase = (metric: string, w: string) => `sum(increase(${metric}{${ds}}[${w}]))`;
    if (!suspended) {
      rules.push({
        alert: "DruidIngestionLagHigh",
        expr: `(sum(${M.druidKafkaLag.name}{${ds}}) / clamp_min(${rate(M.druidEventsProcessed.name, "5m")}, 1)) > ${num(t.druid.maxLagSeconds)}`,
        for: "5m",
        labels: labels("critical"),
        annotations: annotations(
          `Druid datasource ${druid.datasource} is more than ${t.druid.maxLagSeconds}s behind Kafka`,
          `Kafka lag of ${druid.datasource} divided by its ingestion rate exceeds ${t.druid.maxLagSeconds} seconds (stack ${stack}). ` +
            `Raise mapstack:druidTaskCount (now ${settings.druid.taskCount}) if the lag keeps growing.`,
          "runbook-druid-lag",
        ),
      });
    }
    const unparseable = rate(M.druidEventsUnparseable.name, RATIO_WINDOW);
    const processed = rate(M.druidEventsProcessed.name, RATIO_WINDOW);
    rules.push({
      alert: "DruidParseErrorsHigh",
      expr: `(${unparseable} / (${unparseable} + ${processed})) > ${num(t.druid.parseErrorRatio)}`,
      for: "10m",
      labels: labels("warning"),
      annotations: annotations(
        `More than ${pct(t.druid.parseErrorRatio)} of ${druid.datasource} events are unparseable`,
        `Unparseable events of ${druid.datasource} exceed ${pct(t.druid.parseErrorRatio)} of all events read over ${RATIO_WINDOW} (stack ${stack}). Check the producer's schema against the pinned descriptor set.`,
        "runbook-druid-parse-errors",
      ),
    });
    const failed = increase(M.druidTaskFailed.name, TASK_WINDOW);
    const succeeded = increase(M.druidTaskSuccess.name, TASK_WINDOW);
    rules.push({
      alert: "DruidTaskFailuresHigh",
      expr: `(${failed} / (${failed} + ${succeeded})) > ${num(t.druid.taskFailureRatio)}`,
      labels: labels("warning"),
      annotations: annotations(
        `More than ${pct(t.druid.taskFailureRatio)} of ${druid.datasource} indexing tasks failed`,
        `Failed tasks of ${druid.datasource} exceed ${pct(t.druid.taskFailureRatio)} of finished tasks over ${TASK_WINDOW} (stack ${stack}).`,
        "runbook-druid-task-failures",
      ),
    });
    const expected = suspended ? "SUSPENDED" : "RUNNING";
    const sup = supervisorMatcher(druid.datasource);
    const [nameLabel, , stateLabel] = M.druidSupervisors.labels;
    rules.push({
      alert: suspended ? "DruidSupervisorNotSuspended" : "DruidSupervisorNotRunning",
      expr:
        `max by (${nameLabel}, ${stateLabel}) (${M.druidSupervisors.name}{${sup}, ${stateLabel}!=${q(expected)}}) == 1` +
        ` or label_replace(absent(${M.druidSupervisors.name}{${sup}}), ${q(stateLabel)}, "ABSENT", "", "")`,
      for: "10m",
      labels: labels("critical"),
      annotations: annotations(
        `Druid supervisor ${druid.datasource} is not ${expected}`,
        `Supervisor {{ $labels.${nameLabel} }} has been in state {{ $labels.${stateLabel} }} for 10 minutes; expected ${expected} (stack ${stack}, mapstack:druidSuspended=${suspended}).`,
        "runbook-druid-supervisor",
      ),
    });
    if (!suspended) {
      const w = promDuration(t.druid.noIngestMinutes, "m");
      rules.push({
        alert: "DruidNoIngestion",
        expr: `${increase(M.druidEventsProcessed.name, w)} == 0 or absent_over_time(${M.druidEventsProcessed.name}{${ds}}[${w}])`,
        labels: labels("critical"),
        annotations: annotations(
          `Druid datasource ${druid.datasource} ingested nothing for ${t.druid.noIngestMinutes} minutes`,
          `No event of ${druid.datasource} was processed in the last ${t.druid.noIngestMinutes} minutes (stack ${stack}).`,
          "runbook-druid-no-ingestion",
        ),
      });
    }
  }

  const es = dataset.sinks.elasticsearch;
  if (es) {
    const idx = esIndexMatchers(dataset);
    const failedIdx = failureIndexMatcher(dataset);
    const failureIndex = failureIndexName(dataset);
    // index_total counts every shard copy ("total" section), index_failed only the primary that refused
    // the document: dividing by the copies makes the ratio "failed documents ÷ documents".
    const copies = 1 + settings.elasticsearch.replicas;
    const opsFailed = `sum(rate(${M.esIndexingIndexFailed.name}{${idx}}[${RATIO_WINDOW}]))`;
    const docsIndexed = `(sum(rate(${M.esIndexingIndexTotal.name}{${idx}}[${RATIO_WINDOW}])) / ${copies})`;
    rules.push({
      alert: "ElasticsearchIndexingFailuresHigh",
      expr: `(${opsFailed} / (${opsFailed} + ${docsIndexed})) > ${num(t.elasticsearch.indexingFailureRatio)}`,
      for: "10m",
      labels: labels("warning"),
      annotations: annotations(
        `More than ${pct(t.elasticsearch.indexingFailureRatio)} of index operations on ${es.index} fail`,
        `Index operations refused by the shards of ${es.index} exceed ${pct(t.elasticsearch.indexingFailureRatio)} over ${RATIO_WINDOW} (stack ${stack}).`,
        "runbook-elasticsearch-indexing-failures",
      ),
    });
    // Documents the pipeline routed to the failure index are indexed successfully there; both sides
    // count shard copies, which the failure index and the data indices are assumed to share.
    const routed = `sum(rate(${M.esIndexingIndexTotal.name}{${failedIdx}}[${RATIO_WINDOW}]))`;
    const stored = `sum(rate(${M.esIndexingIndexTotal.name}{${idx}}[${RATIO_WINDOW}]))`;
    rules.push({
      alert: "ElasticsearchFailedDocumentsHigh",
      expr: `(${routed} / (${routed} + ${stored})) > ${num(t.elasticsearch.indexingFailureRatio)}`,
      for: "10m",
      labels: labels("warning"),
      annotations: annotations(
        `More than ${pct(t.elasticsearch.indexingFailureRatio)} of ${dataset.name} documents go to ${failureIndex}`,
        `The ingest pipeline of ${dataset.name} routed more than ${pct(t.elasticsearch.indexingFailureRatio)} of its documents to ${failureIndex} over ${RATIO_WINDOW} (stack ${stack}); error.message in each says why.`,
        "runbook-elasticsearch-failed-documents",
      ),
    });
    if (settings.environment === "prod" && isCritical(dataset)) {
      const now = `sum(${M.esIndexingIndexTotal.name}{${failedIdx}})`;
      const before = `sum(${M.esIndexingIndexTotal.name}{${failedIdx}} offset ${FAILED_DOCS_WINDOW})`;
      rules.push({
        alert: "ElasticsearchFailedDocumentsCritical",
        // Fires when the count grew within the window, or the failure index appeared within it (its
        // first document creates it, so there is no earlier sample to compare with).
        expr: `${now} > 0 unless (${before} >= ${now})`,
        labels: labels("critical"),
        annotations: annotations(
          `${dataset.name} (critical) sent documents to ${failureIndex}`,
          `At least one ${dataset.name} document failed the ingest pipeline in the last ${FAILED_DOCS_WINDOW} and was stored in ${failureIndex} (stack ${stack}); critical datasets page on any failed document.`,
          "runbook-elasticsearch-failed-documents",
        ),
      });
    }
    // max_over_time bridges a failed scrape (Prometheus writes stale markers for the whole target),
    // which would otherwise reset the `for` clock of a long-pending alert.
    const ilm = (matchers: string) => `max_over_time(${M.esIlmIndexStatus.name}{${idx}, ${matchers}}[${SCRAPE_GAP_WINDOW}])`;
    rules.push({
      alert: "ElasticsearchIlmStepError",
      expr: `max by (index, phase, action) (${ilm(`step="ERROR"`)}) == 1`,
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
      expr: `max by (index, phase, action, step) (${ilm(`step!~"complete|check-rollover-ready|ERROR"`)}) == 1`,
      for: promDuration(t.elasticsearch.ilmStuckHours, "h"),
      labels: labels("info"),
      annotations: annotations(
        `ILM of ${es.index} has not moved for ${t.elasticsearch.ilmStuckHours} hours`,
        `Index {{ $labels.index }} has stayed in ILM step {{ $labels.step }} (phase {{ $labels.phase }}) for ${t.elasticsearch.ilmStuckHours} hours (stack ${stack}).`,
        "runbook-elasticsearch-ilm-stuck",
      ),
    });
    const w = promDuration(t.elasticsearch.noDocsMinutes, "m");
    rules.push({
      alert: "ElasticsearchNoDocsIndexed",
      expr: `sum(increase(${M.esIndexingIndexTotal.name}{${idx}}[${w}])) == 0 or absent_over_time(${M.esIndexingIndexTotal.name}{${idx}}[${w}])`,
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
  const all = `sum by (stack) (increase(${METRICS.mapstackApplyTotal.name}{stack=${q(stack)}}[${APPLY_WINDOW}]))`;
  const ok = `sum by (stack) (increase(${METRICS.mapstackApplyTotal.name}{stack=${q(stack)}, result="success"}[${APPLY_WINDOW}]))`;
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
