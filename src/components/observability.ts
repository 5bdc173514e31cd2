// Grafana folder + dashboards and PrometheusRule objects of a stack. Artifacts come from the pure
// targets (src/targets/grafana, src/targets/prometheus); this file only wires them to resources.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { Dashboard } from "@pulumiverse/grafana/oss/dashboard";
import { Folder } from "@pulumiverse/grafana/oss/folder";
import { Provider as GrafanaProvider } from "@pulumiverse/grafana/provider";
import type { CompiledDataset } from "../dsl/types";
import type { StackSettings } from "../settings/stack-settings";
import { datasetDashboard } from "../targets/grafana/dashboard";
import { folderUid } from "../targets/grafana/uids";
import { datasetPrometheusRule, deployPrometheusRule, type PrometheusRuleObject } from "../targets/prometheus";
import { runSteps, type ProgramContext, type RegistrationSteps, type TargetOutputs } from "./context";

function prometheusRule(name: string, rule: PrometheusRuleObject, opts: pulumi.CustomResourceOptions): CustomResource {
  return new CustomResource(name, { apiVersion: rule.apiVersion, kind: rule.kind, metadata: rule.metadata, spec: rule.spec }, opts);
}

export interface ObservabilityDatasetArgs {
  dataset: CompiledDataset;
  settings: StackSettings;
  folderUid: pulumi.Input<string>;
  grafanaProvider: GrafanaProvider;
  /** The stack's explicit cluster (mapstack:kubernetesContext), never the current kube context. */
  kubernetesProvider: KubernetesProvider;
  /** Artifacts already built this run (prepareObservability); built here when absent. */
  dashboard?: DashboardModel;
  rule?: PrometheusRuleObject;
}

type DashboardModel = ReturnType<typeof datasetDashboard>;

/** Hash of a dashboard's JSON model, the version message's suffix. */
export function dashboardHash(configJson: string): string {
  return createHash("sha256").update(configJson).digest("hex").slice(0, 16);
}

/** One dataset's dashboard and alert rules. */
export class ObservabilityDataset extends pulumi.ComponentResource {
  readonly dashboardUid: pulumi.Output<string>;
  readonly dashboardUrl: pulumi.Output<string>;
  readonly prometheusRule: pulumi.Output<string>;
  /** Alert names of the dataset's rule group, so a stack output shows what can page. */
  readonly alerts: string[];

  constructor(name: string, args: ObservabilityDatasetArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("mapstack:observability:Dataset", name, {}, opts);
    const { dataset, settings } = args;
    const model = args.dashboard ?? datasetDashboard(dataset, settings);
    const configJson = JSON.stringify(model);
    const dashboard = new Dashboard(
      `${name}-dashboard`,
      {
        folder: args.folderUid,
        configJson,
        // The dashboard is generated: overwrite lets an apply adopt a dashboard that already has this
        // UID (hand-made, or left by lost state) and replaces edits made in the UI.
        overwrite: true,
        // The version message names the dashboard's own content, not the dataset's: a DSL change that leaves
        // the dashboard as it is must not show it as an update.
        message: `mapstack ${dataset.name}@${dashboardHash(configJson)}`,
      },
      { parent: this, provider: args.grafanaProvider },
    );
    const rule = args.rule ?? datasetPrometheusRule(dataset, settings);
    prometheusRule(`${name}-prometheus-rule`, rule, { parent: this, provider: args.kubernetesProvider });
    this.dashboardUid = dashboard.uid;
    this.dashboardUrl = dashboard.url;
    this.prometheusRule = pulumi.output(`${rule.metadata.namespace}/${rule.metadata.name}`);
    this.alerts = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert));
    this.registerOutputs({ dashboardUid: this.dashboardUid, dashboardUrl: this.dashboardUrl, prometheusRule: this.prometheusRule, alerts: this.alerts });
  }
}

/** The stack's Grafana folder and deploy rules; parent of every dataset component. */
class ObservabilityStack extends pulumi.ComponentResource {
  constructor(name: string) {
    super("mapstack:observability:Stack", name, {}, {});
  }
  done(outputs: pulumi.Inputs): void {
    this.registerOutputs(outputs);
  }
}

export interface PreparedObservability {
  deploy: PrometheusRuleObject;
  datasets: { dataset: CompiledDataset; dashboard: DashboardModel; rule: PrometheusRuleObject }[];
}

/** Every dashboard and rule of the stack, built once per run before any resource is registered (throws like synth). */
export function prepareObservability(ctx: Pick<ProgramContext, "settings" | "datasets">): PreparedObservability {
  const { settings } = ctx;
  return {
    deploy: deployPrometheusRule(settings),
    datasets: ctx.datasets.map((dataset) => ({ dataset, dashboard: datasetDashboard(dataset, settings), rule: datasetPrometheusRule(dataset, settings) })),
  };
}

export function registerObservability(ctx: ProgramContext, prepared: PreparedObservability = prepareObservability(ctx)): TargetOutputs {
  return runSteps(observabilitySteps(ctx, prepared));
}

/** registerObservability one dataset per step (see RegistrationSteps). */
export function* observabilitySteps(ctx: ProgramContext, prepared: PreparedObservability): RegistrationSteps {
  const { settings } = ctx;
  const stack = new ObservabilityStack("observability");
  const provider = new GrafanaProvider(
    "grafana",
    // The token is a secret Output; passing it as an input keeps it encrypted in state.
    { url: settings.grafana.url, auth: ctx.secrets.grafanaToken },
    { parent: stack },
  );
  const folder = new Folder(
    "grafana-folder",
    { uid: folderUid(settings.stack), title: `mapstack ${settings.stack}` },
    { parent: stack, provider },
  );
  const { deploy } = prepared;
  prometheusRule("deploy-prometheus-rule", deploy, { parent: stack, provider: ctx.providers.kubernetes });

  const out: TargetOutputs = {};
  for (const { dataset, dashboard, rule } of prepared.datasets) {
    const c = new ObservabilityDataset(dataset.name, { dataset, settings, folderUid: folder.uid, grafanaProvider: provider, kubernetesProvider: ctx.providers.kubernetes, dashboard, rule }, { parent: stack });
    out[dataset.name] = {
      dashboardUid: c.dashboardUid,
      dashboardUrl: c.dashboardUrl,
      prometheusRule: c.prometheusRule,
      alerts: c.alerts,
    };
    yield;
  }
  stack.done({ folderUid: folder.uid });
  return out;
}
