// What every target produces for `synth`: files, addressed relative to <out>/<stack>/.
import type { CompiledDataset } from "../dsl/types";
import type { StackSettings } from "../settings/stack-settings";

export interface Artifact {
  /** Path relative to <out>/<stack>/, forward slashes, e.g. settlement_transactions/elasticsearch/pipeline.json */
  path: string;
  /** Text, or bytes for binary artifacts such as protobuf descriptor sets. */
  content: string | Uint8Array;
}

export interface SynthContext {
  settings: StackSettings;
  datasets: CompiledDataset[];
  projectDir: string;
}

export interface Target {
  name: string;
  synth(ctx: SynthContext): Artifact[];
}

/** Stable JSON for files people diff in review: 2-space indent, trailing newline. */
export function jsonArtifact(path: string, value: unknown): Artifact {
  return { path, content: JSON.stringify(value, null, 2) + "\n" };
}
