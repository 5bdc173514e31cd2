// What the Pulumi program hands to each target's components: the compiled datasets, the stack's typed
// settings, and the credentials as Pulumi secrets (never plain strings).
import type * as pulumi from "@pulumi/pulumi";
import type { CompiledDataset } from "../dsl/types";
import type { StackSettings } from "../settings/stack-settings";

export interface StackSecrets {
  esApiKey: pulumi.Output<string>;
  esPassword: pulumi.Output<string>;
  druidPassword: pulumi.Output<string>;
  kafkaSaslPassword: pulumi.Output<string>;
  grafanaToken: pulumi.Output<string>;
}

export interface ProgramContext {
  settings: StackSettings;
  datasets: CompiledDataset[];
  projectDir: string;
  secrets: StackSecrets;
}

/** Per-dataset outputs a target exports: dataset name → output name → value. */
export type TargetOutputs = Record<string, Record<string, pulumi.Input<unknown>>>;
