// The pure ES artifacts: what a stack's settings and the DSL put into the template, pipeline and policy.
// What the pipeline's script computes is proven in test/es-conformance (JDK against the evaluator).
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { synthesize } from "../../src/synth";
import { esArtifacts } from "../../src/targets/elasticsearch";
import { pipelineHash } from "../../src/targets/elasticsearch/pipeline";

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

  it("maps containers and dotted targets, objectify keys, dates, keyword ignore_above, strict dynamic", () => {
    const m = (esArtifacts(byName("order_lines"), settings("dev")).template as any).template.mappings;
    expect(m.dynamic).toBe("strict");
    expect(m.properties.lines).toEqual({ type: "nested", properties: { sku: expect.objectContaining({ type: "keyword" }), quantity: expect.anything(), unit_price: expect.anything() } });
    // shipping.parcels[] is a nested container; its members come from the fields targeted inside it.
    expect(m.properties.shipping.properties.parcels.type).toBe("nested");
    expect(Object.keys(m.properties.shipping.properties.parcels.properties).sort()).toEqual(["carrier", "parcel_id"]);
    expect(m.properties.customer).toMatchObject({ type: "object", properties: { email: expect.objectContaining({ type: "keyword" }), name: { type: "text" } } });
    expect(m.properties.placed_at).toMatchObject({ type: "date" });
    expect(m.properties.order_id).toMatchObject({ type: "keyword", ignore_above: 1024 });
    const top = new Set(byName("order_lines").fields.map((f) => f.target.split(".")[0]));
    expect(Object.keys(m.properties).sort()).toEqual([...top].sort());
  });

  it("a data stream without a field targeting @timestamp gets it mapped (the pipeline sets the ingest time)", () => {
    const m = (esArtifacts(byName("settlement_transactions"), settings("dev")).template as any).template.mappings;
    expect(m.properties["@timestamp"]).toEqual({ type: "date" });
  });

  it("rollover_alias mode targets <alias>-* and sets the rollover alias instead of a data stream", () => {
    const ds = structuredClone(byName("settlement_transactions"));
    ds.sinks.elasticsearch!.mode = "rollover_alias";
    const t = esArtifacts(ds, settings("dev")).template as any;
    expect(t.data_stream).toBeUndefined();
    expect(t.index_patterns).toEqual(["settlement-transactions-v1-*"]);
    expect(t.template.settings["index.lifecycle.rollover_alias"]).toBe("settlement-transactions-v1");
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
  const ds = byName("order_lines");
  const p = esArtifacts(ds, settings("dev")).pipeline as any;

  it("is one mapping script carrying the dataset's compiled ops, then nothing else", () => {
    expect(p.processors).toHaveLength(1);
    const script = p.processors[0].script;
    expect(script).toMatchObject({ tag: "mapstack:map", lang: "painless" });
    expect(script.params.fields.map((f: { target: string }) => f.target)).toEqual(ds.fields.map((f) => f.target));
    expect(script.params.arrays).toEqual(ds.containers.filter((c) => c.array).map((c) => c.path));
    expect(script.source).toMatch(/^Object msThrow/);
    expect(Buffer.byteLength(script.source)).toBeLessThan(65535);
  });

  it("on failure keeps the document whole and routes it outside every dataset template pattern", () => {
    expect(p.on_failure.at(-1)).toEqual({ set: { field: "_index", value: "mapstack-failed-order-lines-v1" } });
    expect(p.on_failure.filter((x: any) => x.set).map((x: any) => x.set.field)).toEqual([
      "_mapstack_failure.message", "_mapstack_failure.processor_type", "_mapstack_failure.processor_tag", "_mapstack_failure.pipeline", "_mapstack_failure.failed_at", "_index",
    ]);
    const t = esArtifacts(ds, settings("dev")).template as any;
    for (const pattern of t.index_patterns as string[]) {
      const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
      expect(re.test("mapstack-failed-order-lines-v1"), pattern).toBe(false);
    }
    expect(p._meta).toEqual({ managed_by: "mapstack", dataset: "order_lines" });
    // Failed documents name the pipeline version that failed them: the pipeline's own hash, not the dataset's.
    const failure = p.on_failure.find((x: any) => x.script)!.script;
    expect(failure.params.contentHash).toBe(pipelineHash(ds, p.processors));
    expect(failure.params.contentHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("a data stream without an @timestamp field gets the ingest time", () => {
    const s = esArtifacts(byName("settlement_transactions"), settings("dev")).pipeline as any;
    expect(s.processors[1]).toEqual({ set: { tag: "mapstack:timestamp", field: "@timestamp", value: "{{{_ingest.timestamp}}}" } });
  });
});

describe("synth", () => {
  it("writes the three files per ES dataset, identically twice", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const run = () => synthesize({ settings: settings(stack), datasets, projectDir: REPO }).filter((a) => a.path.includes("/elasticsearch/"));
      const a = run();
      expect(a.map((x) => x.path).sort()).toEqual(
        ["_stack/elasticsearch/mapstack-failed.index-template.json", ...datasets.filter((d) => d.sinks.elasticsearch).flatMap((d) => ["ilm-policy", "index-template", "ingest-pipeline"].map((f) => `${d.name}/elasticsearch/${f}.json`))].sort(),
      );
      expect(run()).toEqual(a);
    }
  });
});
