// The stack program under Pulumi mocks, in a plain node child (vitest's transforms break closure
// serialisation): per dataset and stack exactly the expected ES resources, with the expected inputs,
// credentials secret and absent from the serialised provider, which itself works when loaded elsewhere.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { esArtifacts } from "../../src/targets/elasticsearch";
import { FakeElasticsearch } from "../fakes/elasticsearch-fake";

const REPO = path.resolve(__dirname, "..", "..");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const datasets = compileDirectory(path.join(REPO, "dsl")).datasets.filter((d) => d.sinks.elasticsearch);

async function mockRun(stack: string, esUrl?: string) {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, "mock-run.js"), stack, ...(esUrl ? [esUrl] : [])], { cwd: REPO, maxBuffer: 64 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

let es: FakeElasticsearch;
beforeAll(async () => (es = await new FakeElasticsearch().start()));
afterAll(() => es.stop());

describe.each(["dev", "staging", "prod"])("stack %s", (stack) => {
  let run: any;
  beforeAll(async () => (run = await mockRun(stack, stack === "dev" ? es.url : undefined)), 120_000);
  const settings = loadStackSettings(REPO, stack);

  it("registers one Dataset component with policy, pipeline and template per ES dataset, nothing else", () => {
    const got = run.registrations.map((r: any) => `${r.type}::${r.name}`).sort();
    // One permissive template for the stack's failure indices, then per dataset its component and objects.
    const want = ["pulumi-nodejs:dynamic/elasticsearch:IndexTemplate::index-template-mapstack-failed", ...datasets.flatMap((d) => {
      const n = esArtifacts(d, settings).names;
      return [
        `mapstack:elasticsearch:Dataset::${n.index}`,
        `pulumi-nodejs:dynamic/elasticsearch:IlmPolicy::ilm-policy-${n.policy}`,
        `pulumi-nodejs:dynamic/elasticsearch:IngestPipeline::ingest-pipeline-${n.pipeline}`,
        `pulumi-nodejs:dynamic/elasticsearch:IndexTemplate::index-template-${n.template}`,
      ];
    })].sort();
    expect(got).toEqual(want);
  });

  it("sends the synthesized artifacts as bodies, with stack settings applied", () => {
    for (const d of datasets) {
      const a = esArtifacts(d, settings);
      const physical: Record<string, string> = { "index-template": a.names.template, "ingest-pipeline": a.names.pipeline, "ilm-policy": a.names.policy };
      const find = (kind: string) => run.registrations.find((r: any) => r.name === `${kind}-${physical[kind]}`).inputs;
      expect(find("index-template")).toMatchObject({ kind: "index-template", name: a.names.template, body: a.template });
      expect(find("ingest-pipeline")).toMatchObject({ kind: "ingest-pipeline", name: a.names.pipeline, body: a.pipeline });
      expect(find("ilm-policy")).toMatchObject({ kind: "ilm-policy", name: a.names.policy, body: a.policy });
      expect(find("index-template").body.template.settings["index.number_of_replicas"]).toBe(settings.elasticsearch.replicas);
    }
  });

  it("keeps the connection secret and out of the serialised provider", () => {
    for (const r of run.registrations.filter((x: any) => x.type.startsWith("pulumi-nodejs:"))) {
      expect(r.inputs.connection[SECRET_SIG]).toBeDefined();
      expect(r.inputs.connection.value.url).toBe(settings.elasticsearch.url);
      expect(r.providerChars).toBeGreaterThan(0);
      expect(r.providerHasSecret).toBe(false);
    }
    const conn = run.registrations.find((x: any) => x.type.startsWith("pulumi-nodejs:")).inputs.connection.value;
    if (stack === "staging") expect(conn).toMatchObject({ username: "mapstack-staging", password: "es-password-SECRET-2" });
    if (stack === "prod") expect(conn.caCert).toMatch(/BEGIN CERTIFICATE/);
  });

  it("exports the physical names per dataset", () => {
    for (const d of datasets) {
      const a = esArtifacts(d, settings);
      expect(run.outputs[d.name]).toMatchObject({ index: a.names.index, indexTemplate: a.names.template, ingestPipeline: a.names.pipeline, ilmPolicy: a.names.policy });
    }
  });

  if (stack === "dev") {
    it("the serialised provider, loaded as Pulumi's dynamic-provider host loads it, creates the resources", () => {
      expect(run.created.sort()).toEqual(["mapstack-failed", ...datasets.flatMap((d) => Object.values(esArtifacts(d, settings).names).slice(1, 4))].sort());
      expect(es.templates.size + es.pipelines.size + es.policies.size).toBe(datasets.length * 3 + 1);
    });
  }
});
