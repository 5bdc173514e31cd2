// The providers on top of the HTTP client, against the Elasticsearch fake answering like a proxy would:
// an HTML 404 is never "already deleted", an HTML or truncated 200 is never data, ES's own 404s are gone.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { esProvider, type EsResourceState } from "../../src/providers/elasticsearch/provider";
import { FakeElasticsearch } from "../fakes/elasticsearch-fake";

const API_KEY = "cHJveHktdGVzdC1rZXk=";
let es: FakeElasticsearch;
beforeEach(async () => {
  es = await new FakeElasticsearch().start();
  es.requiredAuth = `ApiKey ${API_KEY}`;
});
afterEach(() => es.stop());

const pipeline = (): EsResourceState => ({
  kind: "ingest-pipeline", name: "orders-v1-pipeline", body: { description: "x", processors: [{ set: { field: "a", value: 1 } }] },
  connection: { url: es.url, apiKey: API_KEY, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } },
});
const PROXY_404 = "<html><head><title>404 Not Found</title></head><body><center>nginx/1.25</center></body></html>";

describe("Elasticsearch provider behind a misbehaving proxy", () => {
  it("delete: a proxy's HTML 404 fails (nothing was deleted); ES's own 404 means already gone", async () => {
    await esProvider.create!(pipeline());
    es.faults.push({ status: 404, raw: PROXY_404 });
    await expect(esProvider.delete!("orders-v1-pipeline", pipeline())).rejects.toThrow(/answered 404 but not in Elasticsearch's own not-found format.*404 Not Found/);
    expect(es.pipelines.has("orders-v1-pipeline")).toBe(true);
    await esProvider.delete!("orders-v1-pipeline", pipeline());
    await expect(esProvider.delete!("orders-v1-pipeline", pipeline())).resolves.toBeUndefined();
  });

  it("read: an HTML or truncated 200 is an error, never the object's body; a missing pipeline ({} 404) is gone", async () => {
    await esProvider.create!(pipeline());
    es.faults.push({ status: 200, raw: "<html><title>Please sign in</title></html>" });
    await expect(esProvider.read!("orders-v1-pipeline", pipeline())).rejects.toThrow(/answered 200 with a body that is not JSON \(text\/html: Please sign in\)/);
    es.faults.push({ status: 200, raw: '{"orders-v1-pipeline": {"processors": [', contentType: "application/json" });
    await expect(esProvider.read!("orders-v1-pipeline", pipeline())).rejects.toThrow(/not JSON/);
    es.pipelines.clear();
    expect(await esProvider.read!("orders-v1-pipeline", pipeline())).toEqual({});
  });

  it("no message names the API key, even when the proxy echoes the header", async () => {
    es.faults.push({ status: 403, raw: `<html><body><h1>Forbidden</h1><pre>request header Authorization: ApiKey ${API_KEY} not accepted</pre></body></html>` });
    const e = await esProvider.create!(pipeline()).catch((x: Error) => x);
    expect((e as Error).message).toMatch(/permission denied \(403\).*Forbidden request header Authorization: ApiKey \*\*\* not accepted/);
    expect((e as Error).message).not.toContain(API_KEY);
  });
});
