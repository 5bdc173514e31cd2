// Grafana folder + dashboards and PrometheusRule objects of a stack. Artifacts come from the pure
// targets (src/targets/grafana, src/targets/prometheus); this file only wires them to resources.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as grafana from "@pulumiverse/grafana";
import type { CompiledDataset } from "../dsl/types";
import type { StackSettings } from "../settings/stack-settings";
import { datasetDashboard } from "../targets/grafana/dashboard";
import { folderUid } from "../targets/grafana/uids";
import { datasetPrometheusRule, deployPrometheusRule, type PrometheusRuleObject } from "../targets/prometheus";
import type { ProgramContext, TargetOutputs } from "./context";

function prometheusRule(name: string, rule: PrometheusRuleObject, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(name, { apiVersion: rule.apiVersion, kind: rule.kind, metadata: rule.metadata, spec: rule.spec }, opts);
}

export interface ObservabilityDatasetArgs {
  dataset: CompiledDataset;
  settings: StackSettings;
  folderUid: pulumi.Input<string>;
  grafanaProvider: grafana.Provider;
  /** The stack's explicit cluster (mapstack:kubernetesContext), never the current kube context. */
  kubernetesProvider: k8s.Provider;
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
    const model = datasetDashboard(dataset, settings);
    const dashboard = new grafana.oss.Dashboard(
      `${name}-dashboard`,
      {
        folder: args.folderUid,
        configJson: JSON.stringify(model),
        // The dashboard is generated: overwrite lets an apply adopt a dashboard that already has this
        // UID (hand-made, or left by lost state) and replaces edits made in the UI.
        overwrite: true,
        message: `mapstack ${dataset.name}@${dataset.contentHash}`,
      },
      { parent: this, provider: args.grafanaProvider },
    );
    const rule = datasetPrometheusRule(dataset, settings);
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

export function registerObservability(ctx: ProgramContext): TargetOutputs {
  const { settings } = ctx;
  const stack = new ObservabilityStack("observability");
  const provider = new grafana.Provider(
    "grafana",
    // The token is a secret Output; passing it as an input keeps it encrypted in state.
    { url: settings.grafana.url, auth: ctx.secrets.grafanaToken },
    { parent: stack },
  );
  const folder = new grafana.oss.Folder(
    "grafana-folder",
    { uid: folderUid(settings.stack), title: `mapstack ${settings.stack}` },
    { parent: stack, provider },
  );
  const deploy = deployPrometheusRule(settings);
  prometheusRule("deploy-prometheus-rule", deploy, { parent: stack, provider: ctx.providers.kubernetes });

  const out: TargetOutputs = {};
  for (const dataset of ctx.datasets) {
    const c = new ObservabilityDataset(dataset.name, { dataset, settings, folderUid: folder.uid, grafanaProvider: provider, kubernetesProvider: ctx.providers.kubernetes }, { parent: stack });
    out[dataset.name] = {
      dashboardUid: c.dashboardUid,
      dashboardUrl: c.dashboardUrl,
      prometheusRule: c.prometheusRule,
      alerts: c.alerts,
    };
  }
  stack.done({ folderUid: folder.uid });
  return out;
}
