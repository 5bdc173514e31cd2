// `mapstack simulate --es` against the fake cluster, whose _simulate interprets the processors we emit:
// on the bundled samples the compiled pipeline must give exactly the local evaluator's documents, failures
// must land in the failure index, and a pipeline that diverges must be reported field by field.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeElasticsearch } from "../fakes/elasticsearch-fake";
import { simulatePipeline } from "../fakes/es-ingest-sim";
import { cli, REPO } from "../cli/io";

let es: FakeElasticsearch;
beforeAll(async () => {
  es = await new FakeElasticsearch().start();
  es.simulate = simulatePipeline;
});
afterAll(() => es.stop());

describe("simulate --es", () => {
  for (const ds of ["order_lines", "settlement_transactions"]) {
    it(`${ds}: every bundled sample maps identically in the pipeline and locally`, async () => {
      const r = await cli(["simulate", `dsl/${ds}.yaml`, `dsl/samples/${ds}.jsonl`, "--es", es.url]);
      expect(r.stderr).toMatch(/documents compared, (\d+) identical, 0 different/);
      expect(r.stderr).not.toMatch(/^line \d+: (field|Elasticsearch|local)/m);
      expect([0, 3]).toContain(r.code);
      const body = es.log.at(-1)!.body as { pipeline: unknown; docs: unknown[] };
      const [, compared, identical] = /(\d+) documents compared, (\d+) identical/.exec(r.stderr)!;
      expect(identical).toBe(compared);
      expect(body.docs.length).toBe(Number(compared));
      expect(Number(compared)).toBeGreaterThanOrEqual(7);
    });
  }

  it("documents that fail locally go to the failure index with the error attached", async () => {
    const { simulatePipeline: sim } = await import("../fakes/es-ingest-sim");
    const { compileDirectory } = await import("../../src/dsl/compile");
    const { buildIngestPipeline } = await import("../../src/targets/elasticsearch/pipeline");
    const ds = compileDirectory(path.join(REPO, "dsl")).datasets.find((d) => d.name === "order_lines")!;
    const out = sim(buildIngestPipeline(ds) as never, [{ _index: "order-lines-v1", _source: { order: { id: "X", express: "yes" } } }]);
    expect(out.docs[0].doc._index).toBe("order-lines-v1-failed");
    expect(out.docs[0].doc._source.error).toMatchObject({ processor_tag: "express:1:cast", pipeline: "order-lines-v1-pipeline" });
    expect(out.docs[0].doc._source.order).toEqual({ id: "X", express: "yes" });
    expect(out.docs[0].doc._source._mapstack).toBeUndefined();
  });

  it("split edge cases (trailing separators, empty string) map identically in the pipeline and locally", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-es-"));
    const docs = ["a,b,,", ",a", ",", "", "solo"].map((tags) => JSON.stringify({ order: { id: "X", tags } }));
    fs.writeFileSync(path.join(dir, "d.jsonl"), docs.join("\n") + "\n");
    const r = await cli(["simulate", path.join(REPO, "dsl/order_lines.yaml"), path.join(dir, "d.jsonl"), "--es", es.url]);
    expect(r.stderr).toMatch(/5 documents compared, 5 identical, 0 different/);
    expect(r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l).tags)).toEqual([["a", "b"], ["", "a"], [], [""], ["solo"]]);
  });

  it("a divergence is reported field by field and exits 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-es-"));
    fs.writeFileSync(path.join(dir, "d.jsonl"), JSON.stringify({ order: { id: " A ", currency: "usd", skus: [], quantities: [], unit_prices: [] } }) + "\n");
    const real = es.simulate!;
    es.simulate = (pipeline, docs) => {
      const out = real(pipeline, docs);
      out.docs[0].doc._source.currency = "usd";
      return out;
    };
    try {
      const r = await cli(["simulate", path.join(REPO, "dsl/order_lines.yaml"), path.join(dir, "d.jsonl"), "--es", es.url]);
      expect(r.stderr).toMatch(/line 1: field currency: local "USD", elasticsearch "usd"/);
      expect(r.stderr).toMatch(/1 documents compared, 0 identical, 1 different/);
      expect(r.code).toBe(1);
    } finally {
      es.simulate = real;
    }
  });

  it("an auth failure is a clear error", async () => {
    es.requiredAuth = "ApiKey right";
    try {
      const r = await cli(["simulate", "dsl/order_lines.yaml", "dsl/samples/order_lines.jsonl", "--es", es.url]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/authentication failed \(401\)/);
    } finally {
      es.requiredAuth = null;
    }
  });
});
