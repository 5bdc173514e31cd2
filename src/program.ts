// The stack program: settings and DSL are read and fully validated before any resource is registered,
// so bad input fails `pulumi preview` with nothing half-applied.
// Providers and resource classes come from their own modules, never the packages' index: @pulumi/aws's
// index alone costs ~0.3 s of CPU per run (every service's lazy module table), @pulumi/kubernetes's ~0.1 s.
import type { Region } from "@pulumi/aws";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { TARGET_CHECKS } from "./targets/checks";
import { compileDirectory, type CompileReport } from "./dsl/compile";
import { loadDeclarations, PROJECT } from "./settings/declarations";
import { resolveSettings, type StackSettings } from "./settings/stack-settings";
import type { ProgramContext, StackProviders, StackSecrets, TargetOutputs } from "./components/context";
import { prepareDruid, registerDruid } from "./components/druid";
import { prepareElasticsearch, registerElasticsearch } from "./components/elasticsearch";
import { prepareObservability, registerObservability } from "./components/observability";
import { enforceLifecycle } from "./lifecycle/program-checks";

export interface ProgramOutputs {
  stack: string;
  environment: string;
  datasets: Record<string, Record<string, Record<string, pulumi.Input<unknown>>>>;
  /** The compile report without timings: stack outputs must not change when nothing else did. */
  compileReport: Omit<CompileReport, "compileMillis">;
}

/** Reads every declared key from pulumi.Config and validates it with the same code the CLI uses. */
export function readSettings(projectDir: string): { settings: StackSettings; secrets: StackSecrets } {
  const decls = loadDeclarations(projectDir);
  const config = new pulumi.Config(PROJECT);
  const raw: Record<string, unknown> = {};
  // Every mapstack: key of the stack, declared or not, so a mistyped key fails here as the CLI fails it.
  const prefix = `${PROJECT}:`;
  for (const full of Object.keys(pulumi.runtime.allConfig())) {
    if (!full.startsWith(prefix)) continue;
    const key = full.slice(prefix.length);
    if (decls.get(key)?.secret) continue;
    const v = config.get(key);
    if (v !== undefined) raw[key] = v;
  }
  const stack = pulumi.getStack();
  const secretKeys = new Set([...decls.values()].filter((d) => d.secret && config.getSecret(d.key) !== undefined).map((d) => d.key));
  const settings = resolveSettings(stack, raw, decls, () => ({ file: `Pulumi.${stack}.yaml`, line: 1, col: 1 }), { secretKeysPresent: secretKeys });
  const secret = (key: string) => pulumi.secret(config.getSecret(key) ?? pulumi.output("")).apply((v) => v ?? "");
  const secrets: StackSecrets = {
    esApiKey: secret("esApiKey"),
    esPassword: secret("esPassword"),
    druidPassword: secret("druidPassword"),
    kafkaSaslPassword: secret("kafkaSaslPassword"),
    grafanaToken: secret("grafanaToken"),
  };
  return { settings, secrets };
}

function merge(into: ProgramOutputs["datasets"], target: string, outputs: TargetOutputs): void {
  for (const [dataset, values] of Object.entries(outputs)) {
    into[dataset] = { ...(into[dataset] ?? {}), [target]: values };
  }
}

/** The providers every AWS and Kubernetes resource is given explicitly (the stacks disable default providers). */
export function stackProviders(settings: StackSettings): StackProviders {
  const k = settings.kubernetes;
  return {
    aws: new AwsProvider("aws", { region: settings.aws.region as Region }),
    kubernetes: new KubernetesProvider("kubernetes", {
      context: k.context,
      ...(k.cluster ? { cluster: k.cluster } : {}),
      ...(k.kubeconfigPath ? { kubeconfig: k.kubeconfigPath } : {}),
    }),
  };
}

export function runProgram(projectDir: string, opts: { now?: () => Date } = {}): ProgramOutputs {
  const { settings, secrets } = readSettings(projectDir);
  const { datasets, report } = compileDirectory(path.resolve(projectDir, settings.dslDir), TARGET_CHECKS);
  enforceLifecycle(settings, datasets, { dryRun: pulumi.runtime.isDryRun(), now: (opts.now ?? (() => new Date()))() });
  const druid = prepareDruid({ settings, datasets, projectDir });
  // Every other target's artifacts too: a target that cannot express a dataset must fail the run
  // here, not after another target's resources were registered. Each artifact is built once per run:
  // the components register what these built.
  const elasticsearch = prepareElasticsearch({ settings, datasets });
  const observability = prepareObservability({ settings, datasets });
  const ctx: ProgramContext = { settings, datasets, projectDir, secrets, providers: stackProviders(settings) };
  const out: ProgramOutputs["datasets"] = {};
  merge(out, "elasticsearch", registerElasticsearch(ctx, elasticsearch));
  merge(out, "druid", registerDruid(ctx, druid));
  merge(out, "observability", registerObservability(ctx, observability));
  return {
    stack: settings.stack,
    environment: settings.environment,
    datasets: out,
    compileReport: withoutTimings(report),
  };
}

function withoutTimings(report: CompileReport): Omit<CompileReport, "compileMillis"> {
  const { compileMillis: _timing, ...rest } = report;
  return rest;
}
