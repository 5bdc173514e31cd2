import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import type { Json } from "../../src/dsl/types";
import { detectDrift } from "../../src/lifecycle/drift";
import { supervisorProvider } from "../../src/providers/druid/supervisor";
import { esProvider, type EsKind } from "../../src/providers/elasticsearch/provider";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { planDruid } from "../../src/targets/druid";
import { esArtifacts } from "../../src/targets/elasticsearch";
import { startDruidFake, type DruidFake } from "../fakes/druid-fake";
import { FakeElasticsearch } from "../fakes/elasticsearch-fake";
import { cli, REPO } from "./project";

// Dev: no ES user, Druid basic auth as mapstack-dev.
const settings = loadStackSettings(REPO, "dev");
const { datasets } = compileDirectory(path.join(REPO, "dsl"));
const DRUID_PASSWORD = "druid-pw-not-printed";
const KAFKA_PASSWORD = "kafka-pw";
const ES_KEY = "ZXMta2V5LW5vdC1wcmludGVk";

let es: FakeElasticsearch;
let druid: DruidFake;

/** What `pulumi up` does, through the providers' create(): every desired object, on the fakes. */
async function deploy(): Promise<void> {
  const connection = { url: es.url, apiKey: ES_KEY };
  for (const d of datasets.filter((x) => x.sinks.elasticsearch)) {
    const a = esArtifacts(d, settings);
    const objects: Array<[EsKind, string, unknown]> = [["ilm-policy", a.names.policy, a.policy], ["ingest-pipeline", a.names.pipeline, a.pipeline], ["index-template", a.names.template, a.template]];
    for (const [kind, name, body] of objects) await esProvider.create!({ kind, name, body, connection });
  }
  for (const { dataset, spec } of planDruid(settings, datasets, REPO).supervisors) {
    await supervisorProvider.create!({
      druidUrl: druid.url, druidUsername: settings.druid.username, druidPassword: DRUID_PASSWORD, kafkaPassword: KAFKA_PASSWORD,
      supervisorId: dataset.sinks.druid!.datasource, spec: spec as Json, suspended: false, retired: null,
    });
  }
}

const drift = () =>
  detectDrift({ settings, datasets, projectDir: REPO, credentials: { esApiKey: ES_KEY, druidPassword: DRUID_PASSWORD }, esUrl: es.url, druidUrl: druid.url, retry: { maxAttempts: 1 } });
const notInSync = async () => (await drift()).filter((i) => i.status !== "in-sync");

beforeEach(async () => {
  es = await new FakeElasticsearch().start();
  es.requiredAuth = `ApiKey ${ES_KEY}`;
  druid = await startDruidFake({ username: settings.druid.username!, password: DRUID_PASSWORD });
  await deploy();
});
afterEach(async () => {
  await es.stop();
  await druid.close();
});

describe("drift against the live endpoints (fakes)", () => {
  it("reports nothing right after a deploy: server-added defaults and the Kafka password are not drift", async () => {
    const items = await drift();
    const esCount = datasets.filter((d) => d.sinks.elasticsearch).length * 3;
    const druidCount = datasets.filter((d) => d.sinks.druid).length;
    expect(items).toHaveLength(esCount + druidCount);
    expect(items.filter((i) => i.status !== "in-sync")).toEqual([]);
  });

  it("reports out-of-band edits with the differing paths, and deletions as missing", async () => {
    const pipeline = [...es.pipelines.keys()][0];
    const put = await fetch(`${es.url}/_ingest/pipeline/${pipeline}`, {
      method: "PUT", headers: { "content-type": "application/json", authorization: `ApiKey ${ES_KEY}` },
      body: JSON.stringify({ description: "hand-edited in Kibana", processors: [] }),
    });
    expect(put.ok).toBe(true);
    const policy = [...es.policies.keys()][0];
    expect((await fetch(`${es.url}/_ilm/policy/${policy}`, { method: "DELETE", headers: { authorization: `ApiKey ${ES_KEY}` } })).ok).toBe(true);
    const sup = [...druid.supervisors.keys()][0];
    const auth = `Basic ${Buffer.from(`${settings.druid.username}:${DRUID_PASSWORD}`).toString("base64")}`;
    expect((await fetch(`${druid.url}/druid/indexer/v1/supervisor/${sup}/suspend`, { method: "POST", headers: { authorization: auth } })).ok).toBe(true);

    const items = await notInSync();
    const row = (i: { kind: string; name: string; status: string }) => `${i.kind} ${i.name} ${i.status}`;
    expect(items.map(row).sort()).toEqual([`ilm-policy ${policy} missing`, `ingest-pipeline ${pipeline} changed`, `supervisor ${sup} changed`].sort());
    expect(items.find((i) => i.kind === "ingest-pipeline")!.details.join(" ")).toMatch(/description|processors/);
    expect(items.find((i) => i.kind === "supervisor")!.details.join(" ")).toContain("suspended (live true, desired false)");
  });

  it("mapstack drift prints a table, exits 3 on drift and 0 when clean, and never prints credentials", async () => {
    const env = { MAPSTACK_ES_API_KEY: ES_KEY, MAPSTACK_DRUID_PASSWORD: DRUID_PASSWORD };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const clean = await cli(REPO, "drift", "--stack", "dev", "--es-url", es.url, "--druid-url", druid.url);
      expect(clean.code).toBe(0);
      expect(clean.out).toMatch(/0 drifted, 0 unreadable/);
      const template = [...es.templates.keys()][0];
      await fetch(`${es.url}/_index_template/${template}`, {
        method: "PUT", headers: { "content-type": "application/json", authorization: `ApiKey ${ES_KEY}` },
        body: JSON.stringify({ index_patterns: ["other-*"], template: { settings: { number_of_shards: 9 } } }),
      });
      const r = await cli(REPO, "drift", "--stack", "dev", "--es-url", es.url, "--druid-url", druid.url);
      expect(r.code).toBe(3);
      expect(r.out).toMatch(/^TARGET\s+KIND\s+NAME\s+DATASET\s+STATUS\s+DIFFERENCES$/m);
      expect(r.out).toMatch(new RegExp(`^elasticsearch\\s+index-template\\s+${template}\\s+\\S+\\s+changed\\s+\\S`, "m"));
      for (const secret of [ES_KEY, DRUID_PASSWORD, KAFKA_PASSWORD]) expect(r.out + r.err).not.toContain(secret);
    } finally {
      process.env = saved;
    }
  });

  it("an endpoint that refuses the credentials is 'unreadable', not silently clean", async () => {
    await druid.close();
    druid = await startDruidFake({ username: "someone-else", password: "x" });
    const items = await notInSync();
    expect(items.every((i) => i.target === "druid" && i.status === "unreadable")).toBe(true);
    expect(items[0].details[0]).toMatch(/401|auth/i);
  });
});
