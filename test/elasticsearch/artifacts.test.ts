// The pure ES artifacts: what a stack's settings and the DSL put into the template, pipeline and policy,
// and the Painless scripts pinned by golden files (a change to them must be reviewed on purpose).
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { synthesize } from "../../src/synth";
import { esArtifacts } from "../../src/targets/elasticsearch";
import { SCRIPTS } from "../../src/targets/elasticsearch/painless";

const REPO = path.resolve(__dirname, "..", "..");
const { datasets } = compileDirectory(path.join(REPO, "dsl"));
const byName = (n: string) => datasets.find((d) => d.name === n)!;
const settings = (stack: string) => loadStackSettings(REPO, stack);

describe("index template", () => {
  it("takes shards, replicas and refresh interval from the stack, and names pipeline and policy", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const s = settings(stack);
      const t = esArtifacts(byName("order_lines"), s).template as any;
      expect(t.template.settings).toMatchObject({
        "index.number_of_shards": s.elasticsearch.shards,
        "index.number_of_replicas": s.elasticsearch.replicas,
        "index.refresh_interval": s.elasticsearch.refreshInterval,
        "index.default_pipeline": "order-lines-v1-pipeline",
        "index.lifecycle.name": "order-lines-v1-policy",
      });
    }
  });

  it("maps field types: nested/object objectify keys, dates, keyword ignore_above, strict dynamic, @timestamp", () => {
    const m = (esArtifacts(byName("order_lines"), settings("dev")).template as any).template.mappings;
    expect(m.dynamic).toBe("strict");
    expect(m.properties.lines).toEqual({ type: "nested", properties: { sku: expect.objectContaining({ type: "keyword" }), quantity: expect.anything(), unit_price: expect.anything() } });
    expect(m.properties.shipped_parcels.type).toBe("object");
    expect(Object.keys(m.properties.shipped_parcels.properties)).toEqual(["parcel_id", "carrier"]);
    expect(m.properties.placed_at).toMatchObject({ type: "date" });
    expect(m.properties.order_id).toMatchObject({ type: "keyword", ignore_above: 1024 });
    expect(m.properties["@timestamp"]).toEqual({ type: "date" });
    expect(Object.keys(m.properties).sort()).toEqual([...byName("order_lines").fields.map((f) => f.name), "@timestamp"].sort());
  });

  it("rollover_alias mode targets <alias>-* and sets the rollover alias instead of a data stream", () => {
    const ds = structuredClone(byName("order_lines"));
    ds.sinks.elasticsearch!.mode = "rollover_alias";
    const t = esArtifacts(ds, settings("dev")).template as any;
    expect(t.data_stream).toBeUndefined();
    expect(t.index_patterns).toEqual(["order-lines-v1-*"]);
    expect(t.template.settings["index.lifecycle.rollover_alias"]).toBe("order-lines-v1");
  });
});

describe("ILM policy", () => {
  it("dev keeps 7 days and rolls over daily; a warm phase that would start after deletion is dropped", () => {
    const p = esArtifacts(byName("order_lines"), settings("dev")).policy.policy as any;
    expect(p.phases.delete.min_age).toBe("7d");
    expect(p.phases.hot.actions.rollover.max_age).toBe("1d");
    expect(p.phases.warm).toBeUndefined();
  });

  it("prod keeps 90 days with the DSL's warm/cold phases and hot rollover", () => {
    const p = esArtifacts(byName("settlement_transactions"), settings("prod")).policy.policy as any;
    expect(p.phases.delete.min_age).toBe("90d");
    expect(p.phases.hot.actions.rollover).toEqual({ max_age: "1d", max_primary_shard_size: "50gb" });
    expect(p.phases.warm).toMatchObject({ min_age: "7d", actions: { forcemerge: { max_num_segments: 1 } } });
    expect(p.phases.cold).toMatchObject({ min_age: "30d" });
  });
});

describe("ingest pipeline", () => {
  const p = esArtifacts(byName("order_lines"), settings("dev")).pipeline as any;
  const kinds = p.processors.map((x: object) => Object.keys(x)[0]);

  it("uses native processors for native ops and Painless only for zip/objectify/concat/join and selectors", () => {
    for (const k of ["set", "trim", "lowercase", "uppercase", "date", "gsub", "convert", "split", "foreach", "rename", "remove"]) expect(kinds).toContain(k);
    const fns = p.processors.filter((x: any) => x.script).map((x: any) => x.script.params.fn);
    expect(new Set(fns)).toEqual(new Set(["select", "concat", "join", "zip", "objectify"]));
  });

  it("keeps only declared outputs, and on failure routes to <name>-failed with the error", () => {
    expect(p.processors.find((x: any) => x.remove?.keep)).toEqual({ remove: { tag: "keep-outputs", keep: ["_mapstack"] } });
    expect(p.on_failure.at(-1)).toEqual({ set: { field: "_index", value: "order-lines-v1-failed" } });
    expect(p._meta).toMatchObject({ content_hash: byName("order_lines").contentHash, dsl_version: "2.1" });
    expect(p.version).toBe(1);
  });

  it("rejects descendant selectors with the field named", () => {
    const ds = structuredClone(byName("order_lines"));
    ds.fields[0].inputs = [{ expr: "$..id", definite: false, segments: [{ kind: "descendant", name: "id" }] }];
    expect(() => esArtifacts(ds, settings("dev"))).toThrow(/field order_id: .*descendant.*\$\.\.id/);
  });
});

describe("Painless scripts (golden)", () => {
  for (const [fn, source] of Object.entries(SCRIPTS)) {
    it(fn, async () => {
      expect(source.split("\n").length).toBeLessThan(fn === "select" ? 70 : 20);
      await expect(source + "\n").toMatchFileSnapshot(`golden/${fn}.painless`);
    });
  }
});

describe("synth", () => {
  it("writes the three files per ES dataset, identically twice", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const run = () => synthesize({ settings: settings(stack), datasets, projectDir: REPO }).filter((a) => a.path.includes("/elasticsearch/"));
      const a = run();
      expect(a.map((x) => x.path).sort()).toEqual(datasets.flatMap((d) => ["ilm-policy", "index-template", "ingest-pipeline"].map((f) => `${d.name}/elasticsearch/${f}.json`)).sort());
      expect(run()).toEqual(a);
    }
  });
});
