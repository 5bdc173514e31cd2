// registerObservability under Pulumi mocks: per stack one Grafana provider (token secret), one folder,
// the deploy PrometheusRule; per dataset one component with its dashboard and PrometheusRule.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramContext, StackSecrets } from "../../src/components/context";
import { datasetDashboard } from "../../src/targets/grafana/dashboard";
import { dashboardUid, folderUid } from "../../src/targets/grafana/uids";
import { datasetPrometheusRule, deployPrometheusRule } from "../../src/targets/prometheus";
import { bundled } from "./support";

interface Reg { type: string; name: string; inputs: Record<string, unknown>; parent?: string; provider?: string }
const regs: Reg[] = [];
const TOKEN = "grafana-token-SECRET-5";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        regs.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        const state = { ...args.inputs } as Record<string, unknown>;
        if (args.type === "grafana:oss/dashboard:Dashboard") {
          const uid = JSON.parse(String(args.inputs.configJson)).uid;
          Object.assign(state, { uid, url: `https://grafana.example/d/${uid}` });
        }
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "mapstack",
    "prod",
    false,
  );
});

function context(stack: string): ProgramContext {
  const { settings, datasets } = bundled(stack);
  const s = (v: string) => pulumi.secret(v);
  const secrets: StackSecrets = { esApiKey: s("a"), esPassword: s("b"), druidPassword: s("c"), kafkaSaslPassword: s("d"), grafanaToken: s(TOKEN) };
  // The stack's explicit providers, as program.ts builds them from the settings.
  const providers = {
    aws: new aws.Provider("aws", { region: settings.aws.region }),
    kubernetes: new k8s.Provider("kubernetes", { context: settings.kubernetes.context }),
  };
  return { settings, datasets, projectDir: ".", secrets, providers };
}

const value = <T>(o: pulumi.Input<T>): Promise<T> => new Promise((r) => pulumi.output(o).apply((v) => r(v as T)));
const secret = (o: pulumi.Input<unknown>): Promise<boolean> => pulumi.isSecret(pulumi.output(o));

describe("registerObservability (prod, mocks)", () => {
  const ctx = context("prod");
  let outputs: Awaited<ReturnType<typeof run>>;
  async function run() {
    const { registerObservability } = await import("../../src/components/observability");
    const out = registerObservability(ctx);
    await new Promise((r) => setTimeout(r, 200));
    return out;
  }
  beforeAll(async () => {
    outputs = await run();
  });

  it("builds the Grafana provider from grafanaUrl and the token, which stays secret", async () => {
    const p = regs.filter((r) => r.type === "pulumi:providers:grafana");
    expect(p).toHaveLength(1);
    expect(p[0].inputs.url).toBe(ctx.settings.grafana.url);
    // The engine receives the token wrapped as a secret (so state stores it encrypted), never bare.
    expect(p[0].inputs.auth).toEqual({ [rpc.specialSigKey]: rpc.specialSecretSig, value: TOKEN });
    expect(await secret(ctx.secrets.grafanaToken)).toBe(true);
    expect(JSON.stringify(regs.filter((r) => r.type !== "pulumi:providers:grafana").map((r) => r.inputs))).not.toContain(TOKEN);
  });

  it("creates one folder with the stack's stable UID, and every dashboard in it through the provider", () => {
    const folders = regs.filter((r) => r.type === "grafana:oss/folder:Folder");
    expect(folders).toHaveLength(1);
    expect(folders[0].inputs).toMatchObject({ uid: folderUid("prod"), title: "mapstack prod" });
    const dashboards = regs.filter((r) => r.type === "grafana:oss/dashboard:Dashboard");
    expect(dashboards.map((d) => d.name).sort()).toEqual(ctx.datasets.map((d) => `${d.name}-dashboard`).sort());
    for (const d of ctx.datasets) {
      const r = dashboards.find((x) => x.name === `${d.name}-dashboard`)!;
      expect(r.inputs.overwrite).toBe(true);
      expect(r.inputs.folder).toBe(folderUid("prod"));
      expect(JSON.parse(String(r.inputs.configJson))).toEqual(JSON.parse(JSON.stringify(datasetDashboard(d, ctx.settings))));
      expect(r.provider).toMatch(/pulumi:providers:grafana::grafana::/);
    }
  });

  it("registers a PrometheusRule per dataset and for deploys, with namespace and ruleSelector labels from config", () => {
    const rules = regs.filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    // Every rule goes to the stack's cluster through its explicit provider, never the current kube context.
    for (const r of rules) expect(r.provider, r.name).toMatch(/::kubernetes::/);
    expect(rules.map((r) => r.name).sort()).toEqual([...ctx.datasets.map((d) => `${d.name}-prometheus-rule`), "deploy-prometheus-rule"].sort());
    for (const d of ctx.datasets) {
      const r = rules.find((x) => x.name === `${d.name}-prometheus-rule`)!;
      const want = datasetPrometheusRule(d, ctx.settings);
      expect(r.inputs).toMatchObject({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" });
      expect(r.inputs.metadata).toMatchObject({ name: want.metadata.name, namespace: "monitoring", labels: { release: "kube-prometheus-stack", team: "data-platform" } });
      expect(r.inputs.spec).toEqual(JSON.parse(JSON.stringify(want.spec)));
    }
    expect(rules.find((x) => x.name === "deploy-prometheus-rule")!.inputs.spec).toEqual(JSON.parse(JSON.stringify(deployPrometheusRule(ctx.settings).spec)));
  });

  it("wraps each dataset in a mapstack:observability:Dataset component", () => {
    const comps = regs.filter((r) => r.type === "mapstack:observability:Dataset").map((r) => r.name).sort();
    expect(comps).toEqual(ctx.datasets.map((d) => d.name).sort());
  });

  it("returns per-dataset outputs: dashboard UID and URL, PrometheusRule, alert names", async () => {
    for (const d of ctx.datasets) {
      const o = outputs[d.name];
      expect(await value(o.dashboardUid)).toBe(dashboardUid(d.name, "prod"));
      expect(await value(o.dashboardUrl)).toBe(`https://grafana.example/d/${dashboardUid(d.name, "prod")}`);
      expect(await value(o.prometheusRule)).toBe(`monitoring/mapstack-prod-${d.name.replace(/_/g, "-")}`);
      expect(o.alerts).toEqual(datasetPrometheusRule(d, ctx.settings).spec.groups[0].rules.map((r) => r.alert));
    }
    expect(outputs.settlement_transactions.alerts).toContain("DruidIngestionLagHigh");
    expect(outputs.order_lines.alerts).not.toContain("DruidIngestionLagHigh");
  });
});
