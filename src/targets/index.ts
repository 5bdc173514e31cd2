// Every target `synth` runs, in order. Each target adds one line here.
import type { Target } from "./artifacts";
import { compiledFormTarget } from "./compiled-form";
import { druidTarget } from "./druid";
import { elasticsearchTarget } from "./elasticsearch";

export const TARGETS: Target[] = [
  compiledFormTarget,
  druidTarget,
  elasticsearchTarget,
];
