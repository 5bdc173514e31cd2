// synth artifacts of the Prometheus target: per dataset a plain rule file (for `promtool` and
// non-operator Prometheus) and the PrometheusRule object the Pulumi program applies; per stack the
// deploy rules.
import { stringify } from "yaml";
import type { CompiledDataset } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";
import type { Artifact, Target } from "../artifacts";
import { datasetRules, deployRules, type RuleFile, type RuleGroup } from "./rules";

export const PROMETHEUS_RULE_API_VERSION = "monitoring.coreos.com/v1";

export interface PrometheusRuleObject {
  apiVersion: typeof PROMETHEUS_RULE_API_VERSION;
  kind: "PrometheusRule";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: RuleFile;
}

/** Kubernetes object name (DNS-1123 subdomain): lower case, dashes. */
export function prometheusRuleName(dataset: string, stack: string): string {
  return `mapstack-${stack}-${dataset}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 253);
}

export function prometheusRuleObject(name: string, groups: RuleGroup[], settings: StackSettings): PrometheusRuleObject {
  return {
    apiVersion: PROMETHEUS_RULE_API_VERSION,
    kind: "PrometheusRule",
    metadata: {
      name,
      namespace: settings.prometheus.namespace,
      // The operator's ruleSelector picks rules by these labels; ours come last so they are always present.
      labels: { ...settings.prometheus.ruleLabels, "app.kubernetes.io/managed-by": "mapstack", "mapstack/stack": settings.stack },
    },
    spec: { groups },
  };
}

export function datasetPrometheusRule(dataset: CompiledDataset, settings: StackSettings): PrometheusRuleObject {
  return prometheusRuleObject(prometheusRuleName(dataset.name, settings.stack), [datasetRules(dataset, settings)], settings);
}

export function deployPrometheusRule(settings: StackSettings): PrometheusRuleObject {
  return prometheusRuleObject(prometheusRuleName("deploy", settings.stack), [deployRules(settings)], settings);
}

const yamlArtifact = (path: string, value: unknown): Artifact => ({ path, content: stringify(value, { lineWidth: 0 }) });

export const prometheusTarget: Target = {
  name: "prometheus",
  synth: ({ settings, datasets }) => [
    ...datasets.flatMap((d) => [
      yamlArtifact(`${d.name}/prometheus/rules.yaml`, { groups: [datasetRules(d, settings)] } satisfies RuleFile),
      yamlArtifact(`${d.name}/prometheus/prometheus-rule.yaml`, datasetPrometheusRule(d, settings)),
    ]),
    yamlArtifact("prometheus/mapstack-deploy-rules.yaml", { groups: [deployRules(settings)] } satisfies RuleFile),
    yamlArtifact("prometheus/mapstack-deploy-prometheus-rule.yaml", deployPrometheusRule(settings)),
  ],
};
