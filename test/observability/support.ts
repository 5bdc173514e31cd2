// Bundled datasets and committed stacks, as `synth` sees them.
import * as path from "node:path";
import { compileDirectory } from "../../src/dsl/compile";
import type { CompiledDataset } from "../../src/dsl/types";
import { loadStackSettings, type StackSettings } from "../../src/settings/stack-settings";
import { REPO } from "../support/stack-config";

export const STACKS = ["dev", "staging", "prod"] as const;

export function bundled(stack: string): { settings: StackSettings; datasets: CompiledDataset[] } {
  const settings = loadStackSettings(REPO, stack);
  const { datasets } = compileDirectory(path.resolve(REPO, settings.dslDir));
  return { settings, datasets };
}
