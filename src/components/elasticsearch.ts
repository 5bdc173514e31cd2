// Elasticsearch resources of a stack (index template, ingest pipeline, ILM policy per dataset).
import type { ProgramContext, TargetOutputs } from "./context";

export function registerElasticsearch(ctx: ProgramContext): TargetOutputs {
  void ctx;
  return {};
}
