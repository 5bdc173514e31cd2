// Every target `synth` runs, in order. Each target adds one line here.
import type { Target } from "./artifacts";
import { compiledFormTarget } from "./compiled-form";
import { druidTarget } from "./druid";
import { elasticsearchTarget } from "./elasticsearch";
import { grafanaTarget } from "./grafana";
import { prometheusTarget } from "./prometheus";

export const TARGETS: Target[] = [
  compiledFormTarget,
  druidTarget,
  elasticsearchTarget,
  prometheusTarget,
  grafanaTarget,
];
