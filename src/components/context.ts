// What the Pulumi program hands to each target's components: the compiled datasets, the stack's typed
// settings, the credentials as Pulumi secrets (never plain strings), and the explicit providers every
// AWS and Kubernetes resource must use (the stacks disable default providers for both).
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
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
  aws: AwsProvider;
  /** Context (and cluster) from mapstack:kubernetesContext / kubernetesCluster, never the current context. */
  kubernetes: KubernetesProvider;
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

/**
 * A target's registrations as steps: the generator registers one dataset's resources per step (yield) and
 * returns the target's outputs. `runSteps` runs them at once; the host entry point (index.ts) runs them
 * with a turn of the event loop between steps, so the SDK serialises what was registered before the next
 * dataset's resources pile up (peak memory and GC grow with the registrations in flight).
 */
export type RegistrationSteps = Generator<void, TargetOutputs, void>;

export function runSteps(steps: RegistrationSteps): TargetOutputs {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
