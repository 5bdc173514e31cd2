// Druid resources of a stack (descriptor sets in S3, Kafka supervisors per dataset).
import type { ProgramContext, TargetOutputs } from "./context";

export function registerDruid(ctx: ProgramContext): TargetOutputs {
  void ctx;
  return {};
}
