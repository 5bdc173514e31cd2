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
import { runSteps, type ProgramContext, type RegistrationSteps, type StackProviders, type StackSecrets, type TargetOutputs } from "./components/context";
import { druidSteps, prepareDruid } from "./components/druid";
import { elasticsearchSteps, prepareElasticsearch } from "./components/elasticsearch";
import { observabilitySteps, prepareObservability } from "./components/observability";
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

/** Runs the program: everything validated and built first, then every resource registered before it returns. */
export function runProgram(projectDir: string, opts: { now?: () => Date } = {}): ProgramOutputs {
  const { head, targets } = prepareProgram(projectDir, opts);
  const out: ProgramOutputs["datasets"] = {};
  for (const [target, steps] of targets) merge(out, target, runSteps(steps));
  return { ...head, datasets: out };
}

/**
 * The host's entry (index.ts): the same program, validated and built synchronously (a bad input throws
 * before any resource is registered, as runProgram), then registered one dataset at a time with a turn of
 * the event loop in between, so the SDK serialises each dataset's registrations before the next pile up:
 * a 500-dataset stack no longer holds every registration request in memory at once. Same resources, same
 * order, same outputs; `datasets` resolves when the last one is registered.
 */
export function runProgramBatched(projectDir: string, opts: { now?: () => Date } = {}): Omit<ProgramOutputs, "datasets"> & { datasets: Promise<ProgramOutputs["datasets"]> } {
  const { head, targets } = prepareProgram(projectDir, opts);
  const register = async () => {
    const out: ProgramOutputs["datasets"] = {};
    for (const [target, steps] of targets) {
      for (;;) {
        const r = steps.next();
        if (r.done) {
          merge(out, target, r.value);
          break;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    return out;
  };
  return { ...head, datasets: register() };
}

function prepareProgram(projectDir: string, opts: { now?: () => Date }): { head: Omit<ProgramOutputs, "datasets">; targets: [string, RegistrationSteps][] } {
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
  return {
    head: { stack: settings.stack, environment: settings.environment, compileReport: withoutTimings(report) },
    // Generators: nothing is registered until a driver runs them (all of ES, then Druid, then observability).
    targets: [
      ["elasticsearch", elasticsearchSteps(ctx, elasticsearch)],
      ["druid", druidSteps(ctx, druid)],
      ["observability", observabilitySteps(ctx, observability)],
    ],
  };
}

function withoutTimings(report: CompileReport): Omit<CompileReport, "compileMillis"> {
  const { compileMillis: _timing, ...rest } = report;
  return rest;
}
