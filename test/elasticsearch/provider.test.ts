// The ES dynamic provider's methods against the fake cluster: the full lifecycle a `pulumi up`,
// `pulumi refresh` and `pulumi destroy` would drive, and each fault mode.
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { esArtifacts } from "../../src/targets/elasticsearch";
import { esProvider, type EsConnection, type EsKind, type EsResourceState } from "../../src/providers/elasticsearch/provider";
import { canonicalJson } from "../../src/providers/elasticsearch/normalize";
import { FakeElasticsearch } from "../fakes/elasticsearch-fake";

const REPO = path.resolve(__dirname, "..", "..");
const ds = compileDirectory(path.join(REPO, "dsl")).datasets.find((d) => d.name === "order_lines")!;
const artifacts = esArtifacts(ds, loadStackSettings(REPO, "staging"));
const API_KEY = "c2VjcmV0OmtleQ==";

let es: FakeElasticsearch;
let conn: EsConnection;
beforeEach(async () => {
  es = await new FakeElasticsearch().start();
  conn = { url: es.url, apiKey: API_KEY, retry: { baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 300 };
});
afterEach(() => es.stop());

const P = esProvider as Required<typeof esProvider>;
const state = (kind: EsKind): EsResourceState => {
  const body = kind === "index-template" ? artifacts.template : kind === "ingest-pipeline" ? artifacts.pipeline : artifacts.policy;
  const name = kind === "index-template" ? artifacts.names.template : kind === "ingest-pipeline" ? artifacts.names.pipeline : artifacts.names.policy;
  return { kind, name, body: body as Record<string, unknown>, connection: conn };
};
const PATHS: Record<EsKind, string> = { "ilm-policy": "/_ilm/policy/", "ingest-pipeline": "/_ingest/pipeline/", "index-template": "/_index_template/" };
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe.each(["ilm-policy", "ingest-pipeline", "index-template"] as EsKind[])("%s lifecycle", (kind) => {
  it("create, refresh and re-apply show no diff although ES adds defaults on GET", async () => {
    const desired = state(kind);
    const created = await P.create(desired);
    expect(created.id).toBe(desired.name);
    expect(es.log.at(-1)).toMatchObject({ method: "PUT", authorization: `ApiKey ${API_KEY}` });
    const refreshed = await P.read(created.id, created.outs);
    expect(refreshed.id).toBe(desired.name);
    // The live GET body differs from what we PUT (wrappers, string settings, min_age …) …
    const raw = await (await fetch(`${es.url}${PATHS[kind]}${desired.name}`)).json();
    expect(canonicalJson(raw)).not.toBe(canonicalJson(desired.body));
    // … yet neither the stored nor the refreshed state differs from the desired inputs.
    expect(await P.diff(created.id, created.outs, desired)).toMatchObject({ changes: false, replaces: [] });
    expect(await P.diff(created.id, refreshed.props, clone(desired))).toMatchObject({ changes: false, replaces: [] });
  });

  it("update PUTs the new body; a name change replaces", async () => {
    const desired = state(kind);
    const created = await P.create(desired);
    const changed = clone(desired);
    (changed.body as any)._meta = { ...((changed.body as any)._meta ?? {}), content_hash: "0000000000000000" };
    if (kind === "ilm-policy") (changed.body as any).policy._meta = { content_hash: "0000000000000000" };
    const d = await P.diff(created.id, created.outs, changed);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    await P.update(created.id, created.outs, changed);
    const live = await P.read(created.id, created.outs);
    expect(await P.diff(created.id, live.props, changed)).toMatchObject({ changes: false });
    expect(await P.diff(created.id, created.outs, { ...desired, name: `${desired.name}-x` })).toMatchObject({ changes: true, replaces: ["name"] });
  });

  it("delete removes it, and deleting something already gone succeeds (404)", async () => {
    const created = await P.create(state(kind));
    await P.delete(created.id, created.outs);
    expect(es.log.at(-1)).toMatchObject({ method: "DELETE" });
    expect(await P.read(created.id, created.outs)).toEqual({});
    await expect(P.delete(created.id, created.outs)).resolves.toBeUndefined();
  });
});

describe("drift", () => {
  it("an out-of-band template change shows up after refresh", async () => {
    const desired = state("index-template");
    const created = await P.create(desired);
    es.edit("template", desired.name, (t) => (t.template.settings["index.number_of_replicas"] = 5));
    const live = await P.read(created.id, created.outs);
    expect((live.props as any).body.template.settings["index.number_of_replicas"]).toBe("5");
    expect(await P.diff(created.id, live.props, desired)).toMatchObject({ changes: true, replaces: [] });
  });

  it("an out-of-band ILM retention change shows up after refresh", async () => {
    const desired = state("ilm-policy");
    const created = await P.create(desired);
    es.edit("policy", desired.name, (p) => (p.phases.delete.min_age = "999d"));
    const live = await P.read(created.id, created.outs);
    expect(await P.diff(created.id, live.props, desired)).toMatchObject({ changes: true });
  });

  it("a pipeline deleted out of band reads as gone", async () => {
    const desired = state("ingest-pipeline");
    const created = await P.create(desired);
    es.pipelines.clear();
    expect(await P.read(created.id, created.outs)).toEqual({});
  });

  it("a new credential is an in-place update, a new URL a replacement", async () => {
    const desired = state("ilm-policy");
    const created = await P.create(desired);
    expect(await P.diff(created.id, created.outs, { ...desired, connection: { ...conn, apiKey: "rotated" } })).toMatchObject({ changes: true, replaces: [] });
    expect(await P.diff(created.id, created.outs, { ...desired, connection: { ...conn, url: "https://other:9200" } })).toMatchObject({ replaces: ["connection"] });
  });
});

describe("faults", () => {
  it("429 then success: retried, honouring Retry-After", async () => {
    es.faults.push({ status: 429, retryAfter: "0" });
    await P.create(state("ilm-policy"));
    // create first looks for an existing object (GET, here answered 429 then 404), then PUTs once.
    expect(es.log.map((l) => l.method)).toEqual(["GET", "GET", "PUT"]);
    expect(es.policies.size).toBe(1);
  });

  it("a 503 storm shorter than the retry budget is survived; a longer one fails naming the resource", async () => {
    es.faults.push(...Array(3).fill({ status: 503 }));
    await P.create(state("ingest-pipeline"));
    expect(es.pipelines.size).toBe(1);
    es.faults.push(...Array(10).fill({ status: 503 }));
    await expect(P.update("x", state("ingest-pipeline"), state("ingest-pipeline"))).rejects.toThrow(
      /ingest pipeline 'order-lines-v1-pipeline': gave up after 5 attempts; last: HTTP 503/,
    );
  });

  it("timeouts and connection resets are retried", async () => {
    es.faults.push("timeout", "reset");
    await P.create(state("index-template"));
    expect(es.templates.size).toBe(1);
  });

  it("401 is a clear auth error, not retried", async () => {
    es.requiredAuth = "ApiKey something-else";
    await expect(P.create(state("ilm-policy"))).rejects.toThrow(/ILM policy 'order-lines-v1-policy': authentication failed \(401\) — check the credentials/);
    expect(es.log).toHaveLength(1);
  });

  it("400 carries the server's reason and the resource name", async () => {
    const bad = state("index-template");
    bad.body = { ...bad.body, index_patterns: [] };
    await expect(P.create(bad)).rejects.toThrow(/index template 'order-lines-v1' was rejected \(400\): action_request_validation_exception: Validation Failed: 1: index patterns are missing/);
  });

  it("basic auth is sent when no API key is set; the CA is only used for https", async () => {
    conn.apiKey = undefined;
    conn.username = "mapstack";
    conn.password = "pw";
    await P.create(state("ilm-policy"));
    expect(es.log[0].authorization).toBe(`Basic ${Buffer.from("mapstack:pw").toString("base64")}`);
  });
});
