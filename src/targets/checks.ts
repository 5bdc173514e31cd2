// What every target cannot express exactly, checked when a dataset is compiled: an op or option a sink
// cannot run with the DSL's semantics is a validate error at its place, never a silent difference.
import type { TargetCheck } from "../dsl/compile";
import { druidTranslationProblems } from "./druid/supervisor";
import { esTranslationProblems } from "./elasticsearch/pipeline";
import { checkMonitoringThresholds } from "./prometheus/thresholds";

/** Thresholds Prometheus could not load (fractional or zero durations, ratios outside (0, 1)). */
const monitoringThresholds: TargetCheck = (ds) => checkMonitoringThresholds(ds.monitoring).map((p) => ({ fieldIndex: -1, opPath: ["monitoring", ...p.path], message: p.message }));

/** What the Elasticsearch pipeline cannot run exactly as simulate does (regexes Java reads differently, script size). */
const elasticsearch: TargetCheck = (ds) => (ds.sinks.elasticsearch ? esTranslationProblems(ds) : []);

export const TARGET_CHECKS: TargetCheck[] = [elasticsearch, druidTranslationProblems, monitoringThresholds];
