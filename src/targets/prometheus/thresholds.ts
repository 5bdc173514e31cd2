// The numbers every alert and every dashboard threshold line use: the DSL's monitoring block (already
// filled with the runbook defaults by the compiler) with the stack's overrides on top. Alerts and
// dashboards both read this one function so they cannot disagree.
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
