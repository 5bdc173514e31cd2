// `simulate --es` against the fake cluster, whose _simulate is an independent model of the ingest service
// that runs our script processor with the JDK (test/fakes/es-ingest-sim.ts): on the bundled samples the
// compiled pipeline must give exactly the local evaluator's documents and ids, a divergence must be
// reported field by field, and a cluster without the 8.12 API must be said to be checked without mappings.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareWithEs, versionAtLeast } from "../../src/cli/commands/simulate-es";
import { compileDirectory } from "../../src/dsl/compile";
import { readDocuments } from "../../src/dsl/documents";
import { FakeElasticsearch } from "../fakes/elasticsearch-fake";
import { simulatePipeline } from "../fakes/es-ingest-sim";
import { hasJdk } from "../es-conformance/jdk";

const REPO = path.resolve(__dirname, "..", "..");
const { datasets } = compileDirectory(path.join(REPO, "dsl"));
const samples = (name: string) => readDocuments(fs.readFileSync(path.join(REPO, "dsl", "samples", `${name}.jsonl`), "utf8"), true).docs;

let es: FakeElasticsearch;
beforeAll(async () => {
  es = await new FakeElasticsearch().start();
  es.simulate = simulatePipeline;
});
afterAll(() => es.stop());

describe.skipIf(!hasJdk)("simulate --es", () => {
  for (const name of ["order_lines", "settlement_transactions"]) {
    it(`${name}: every bundled sample maps identically in the pipeline and locally`, async () => {
      const ds = datasets.find((d) => d.name === name)!;
      const docs = samples(name);
      const r = await compareWithEs(ds, docs, es.url, {});
      expect(r.lines.filter((l) => l.startsWith("line "))).toEqual([]);
      expect(r).toMatchObject({ compared: docs.length, mismatched: 0, api: "_ingest/pipeline/_simulate" });
      expect(r.lines[0]).toMatch(/older than 8\.12 .*without the index mapping/);
      expect(docs.length).toBeGreaterThanOrEqual(5);
    }, 60_000);
  }

  it("a divergence is reported field by field", async () => {
    const ds = datasets.find((d) => d.name === "order_lines")!;
    const docs = samples("order_lines").slice(0, 1);
    const real = es.simulate!;
    es.simulate = (pipeline, d) => {
      const out = real(pipeline, d);
      out.docs[0].doc._source.order_id = "tampered";
      return out;
    };
    try {
      const r = await compareWithEs(ds, docs, es.url, {});
      expect(r.lines.join("\n")).toMatch(/line 1: field order_id: local "[^"]+", elasticsearch "tampered"/);
      expect(r.mismatched).toBe(1);
    } finally {
      es.simulate = real;
    }
  }, 60_000);

  it("an auth failure is a clear error", async () => {
    es.requiredAuth = "ApiKey right";
    try {
      await expect(compareWithEs(datasets[0], samples("order_lines"), es.url, { MAPSTACK_ES_API_KEY: "wrong" })).rejects.toThrow(/401/);
    } finally {
      es.requiredAuth = null;
    }
  });
});

describe("cluster version gate for _ingest/_simulate", () => {
  it("needs 8.12 or later", () => {
    expect(["8.11.4", "8.12.0", "8.15.1", "9.0.0", "7.17.20", "", "x"].map((v) => versionAtLeast(v, 8, 12))).toEqual([false, true, true, true, false, false, false]);
  });
});
