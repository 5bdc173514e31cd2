// The stack program: settings and DSL are read and fully validated before any resource is registered,
// so bad input fails `pulumi preview` with nothing half-applied.
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { compileDirectory, type CompileReport } from "./dsl/compile";
import { loadDeclarations, PROJECT } from "./settings/declarations";
import { resolveSettings, type StackSettings } from "./settings/stack-settings";
import type { ProgramContext, StackSecrets, TargetOutputs } from "./components/context";
import { prepareDruid, registerDruid } from "./components/druid";
import { registerElasticsearch } from "./components/elasticsearch";
import { registerObservability } from "./components/observability";
import { enforceLifecycle } from "./lifecycle/program-checks";
import { elasticsearchTarget } from "./targets/elasticsearch";
import { grafanaTarget } from "./targets/grafana";
import { prometheusTarget } from "./targets/prometheus";

export interface ProgramOutputs {
  stack: string;
  environment: string;
  datasets: Record<string, Record<string, Record<string, pulumi.Input<unknown>>>>;
  compileReport: CompileReport;
}

/** Reads every declared key from pulumi.Config and validates it with the same code the CLI uses. */
export function readSettings(projectDir: string): { settings: StackSettings; secrets: StackSecrets } {
  const decls = loadDeclarations(projectDir);
  const config = new pulumi.Config(PROJECT);
  const raw: Record<string, unknown> = {};
  for (const d of decls.values()) {
    if (d.secret) continue;
    const v = config.get(d.key);
    if (v !== undefined) raw[d.key] = v;
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

export function runProgram(projectDir: string, opts: { now?: () => Date } = {}): ProgramOutputs {
  const { settings, secrets } = readSettings(projectDir);
  const { datasets, report } = compileDirectory(path.resolve(projectDir, settings.dslDir));
  enforceLifecycle(settings, datasets, { dryRun: pulumi.runtime.isDryRun(), now: (opts.now ?? (() => new Date()))() });
  const ctx: ProgramContext = { settings, datasets, projectDir, secrets };
  const druid = prepareDruid(ctx);
  // Every other target's artifacts too: a target that cannot express a dataset must fail the run
  // here, not after another target's resources were registered.
  for (const target of [elasticsearchTarget, prometheusTarget, grafanaTarget]) target.synth({ settings, datasets, projectDir });
  const out: ProgramOutputs["datasets"] = {};
  merge(out, "elasticsearch", registerElasticsearch(ctx));
  merge(out, "druid", registerDruid(ctx, druid));
  merge(out, "observability", registerObservability(ctx));
  return {
    stack: settings.stack,
    environment: settings.environment,
    datasets: out,
    compileReport: { ...report, compileMillis: Math.round(report.compileMillis * 100) / 100 },
  };
}
