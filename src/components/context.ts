// What the Pulumi program hands to each target's components: the compiled datasets, the stack's typed
// settings, the credentials as Pulumi secrets (never plain strings), and the explicit providers every
// AWS and Kubernetes resource must use (the stacks disable default providers for both).
import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
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

export interface StackProviders {
  /** Region from mapstack:awsRegion. */
  aws: aws.Provider;
  /** Context (and cluster) from mapstack:kubernetesContext / kubernetesCluster, never the current context. */
  kubernetes: k8s.Provider;
}

export interface ProgramContext {
  settings: StackSettings;
  datasets: CompiledDataset[];
  projectDir: string;
  secrets: StackSecrets;
  providers: StackProviders;
}

/** Per-dataset outputs a target exports: dataset name → output name → value. */
export type TargetOutputs = Record<string, Record<string, pulumi.Input<unknown>>>;
