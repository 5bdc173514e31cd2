// What every target cannot express exactly, checked when a dataset is compiled: an op or option a sink
// cannot run with the DSL's semantics is a validate error at its place, never a silent difference.
import type { TargetCheck } from "../dsl/compile";
import { druidTranslationProblems } from "./druid/supervisor";

export const TARGET_CHECKS: TargetCheck[] = [druidTranslationProblems];
