// The pipeline computes what `mapstack simulate` computes: every corpus case runs through the TypeScript
// evaluator (createEvaluator(ds).map) and through the exact Painless text of the emitted pipeline,
// compiled and executed by the JDK (the script is written in the Java-compatible subset of Painless);
// `_source`, `_id` and the row's issues must be identical. Run: npx vitest run test/es-conformance
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { createEvaluator } from "../../src/dsl/evaluate";
import { documentMappingProblem } from "../../src/targets/elasticsearch/mapping-check";
import { buildIngestPipeline } from "../../src/targets/elasticsearch/pipeline";
import { buildScriptParams, INGEST_METADATA_KEYS } from "../../src/targets/elasticsearch/painless/params";
import { failureScript, mappingScript, painlessSource } from "../../src/targets/elasticsearch/painless/script";
import { datasetOf, type RawCase } from "./dataset";
import { hasJdk, runOnJdk, type JdkResult } from "./jdk";
import { parseLossless } from "./lossless-json";

const corpus: Array<RawCase & { rows: Array<string | object> }> = JSON.parse(fs.readFileSync(path.join(__dirname, "corpus.json"), "utf8"));
const cases: RawCase[] = corpus.map((c) => ({ ...c, rows: c.rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))) }));

/** Java's typed output back to plain JSON: {"$float": x} → x. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && "$float" in o) return typeof o.$float === "string" ? Number(o.$float) : o.$float;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

function javaOutcome(r: JdkResult) {
  const rejected = /IllegalStateException: (field \[.*)$/.exec(r.error ?? "");
  if (rejected) return { mappingRejected: rejected[1] };
  if (r.error) return { error: r.error };
  const ctx = plain(r.ctx) as Record<string, unknown>;
  const source = Object.fromEntries(Object.entries(ctx).filter(([k]) => !INGEST_METADATA_KEYS.includes(k)));
  return { _source: source, _id: (ctx._id as string | undefined) ?? null, issues: r.issues };
}

function tsOutcome(c: RawCase, row: string) {
  const r = createEvaluator(datasetOf(c)).map(parseLossless(row));
  if (!r.ok) return { skipped: true };
  const source = JSON.parse(JSON.stringify(r.doc._source));
  const rejected = documentMappingProblem(c.fields.map((f) => ({ target: f.target, type: f.type ?? "keyword" })), source);
  if (rejected) return { mappingRejected: rejected };
  return { _source: source, _id: r.doc._id, issues: r.issues };
}

describe.skipIf(!hasJdk)("conformance: evaluator vs the pipeline's Painless run by the JDK", () => {
  const built = cases.map((c) => {
    const ds = datasetOf(c);
    const { params, patterns, problems } = buildScriptParams(ds);
    return { c, ds, params, patterns, problems };
  });
  const results = runOnJdk(built.map((b) => ({ script: mappingScript(b.patterns), params: b.params, rows: b.c.rows })));

  it("the corpus covers every op of the catalogue", async () => {
    const { DSL_OPS } = await import("../../src/dsl/ops");
    const used = new Set(JSON.stringify(corpus).match(/"op":"[a-z_]+"/g)!.map((m) => m.slice(6, -1)));
    expect(DSL_OPS.map((s) => s.name).filter((op) => !used.has(op))).toEqual([]);
  });

  it("the mapping check rejects rows on both sides (the failure-index path is exercised)", () => {
    const rejected = built.flatMap((b, i) => b.c.rows.filter((_, j) => "mappingRejected" in javaOutcome(results[i][j])));
    expect(rejected.length).toBeGreaterThan(20);
  });

  it("the emitted pipeline carries exactly the script text that the JDK ran", () => {
    for (const b of built.slice(0, 5)) {
      const p = buildIngestPipeline(b.ds) as { processors: Array<{ script: { source: string; params: unknown } }> };
      expect(p.processors[0].script.source).toBe(painlessSource(mappingScript(b.patterns)));
      expect(p.processors[0].script.params).toEqual(b.params);
    }
  });

  built.forEach((b, i) => {
    it(`${b.c.name}`, () => {
      expect(b.problems).toEqual([]);
      b.c.rows.forEach((row, j) => {
        const java = javaOutcome(results[i][j]);
        if (b.c.evaluatorBug) {
          expect({ row, ...java }, b.c.evaluatorBug).toMatchObject({ row, _source: b.c.expected![j] });
          return;
        }
        expect({ row, ...java }).toEqual({ row, ...tsOutcome(b.c, row) });
      });
    });
  });
});

describe.skipIf(!hasJdk)("failure path, run by the JDK", () => {
  it("keeps the failed document whole as a JSON string, with error.* from the on_failure metadata", () => {
    const doc = '{"error":"mine","user.name":"x","n":1.5,"big":12345678901234,"s":"é\\u0000\\"","a":[1,{"b":null}]}';
    const withInfo = JSON.stringify({ ...JSON.parse(doc), _mapstack_failure: { message: "boom", processor_tag: "mapstack:map" } });
    const [[r]] = runOnJdk([{ script: failureScript(), params: { metadata: INGEST_METADATA_KEYS, temp: "_mapstack_failure", dataset: "d", contentHash: "h" }, rows: [withInfo] }]);
    const ctx = plain(r.ctx) as Record<string, unknown>;
    expect(ctx.error).toEqual({ message: "boom", processor_tag: "mapstack:map" });
    expect(JSON.parse(ctx.original as string)).toEqual(JSON.parse(doc));
    expect(Object.keys(ctx).sort()).toEqual(["_index", "content_hash", "dataset", "error", "original"]);
    expect(painlessSource(failureScript())).toContain("msfFail(ctx, params);");
  });
});
