// Grafana folder + dashboards and PrometheusRule objects of a stack.
import type { ProgramContext, TargetOutputs } from "./context";

export function registerObservability(ctx: ProgramContext): TargetOutputs {
  void ctx;
  return {};
}
