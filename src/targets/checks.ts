// What every target cannot express exactly, checked when a dataset is compiled: an op or option a sink
// cannot run with the DSL's semantics is a validate error at its place, never a silent difference.
import type { TargetCheck } from "../dsl/compile";
import { druidTranslationProblems } from "./druid/supervisor";
import { checkMonitoringThresholds } from "./prometheus/thresholds";

/** Thresholds Prometheus could not load (fractional or zero durations, ratios outside (0, 1)). */
const monitoringThresholds: TargetCheck = (ds) => checkMonitoringThresholds(ds.monitoring).map((p) => ({ fieldIndex: -1, opPath: ["monitoring", ...p.path], message: p.message }));

export const TARGET_CHECKS: TargetCheck[] = [druidTranslationProblems, monitoringThresholds];
