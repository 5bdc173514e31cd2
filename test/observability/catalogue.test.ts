// The catalogue is the only place metric names come from: every rule reads a catalogue name, the
// emitter's label sanitising matches its source, and the exporters' prerequisites are stated.
import { describe, expect, it } from "vitest";
import { druidDatasourceLabelValues, druidEmitterLabelValue, druidEmitterLabelValueLegacy, EXPORTERS, METRICS } from "../../src/observability/metric-catalogue";
import { datasetRules, deployRules } from "../../src/targets/prometheus/rules";
import { STACKS, bundled, variants } from "./support";

describe("Druid prometheus-emitter label values", () => {
  // Expected values worked out by hand from PrometheusEmitter's Pattern "[^a-zA-Z0-9_][^a-zA-Z0-9_]*" → "_".
  it.each([
    ["orders", "orders"],
    ["orders-eu.v2", "orders_eu_v2"],
    ["a--b..c", "a_b_c"],
    ["[orders-eu]", "_orders_eu_"],
    ["settlement_transactions", "settlement_transactions"],
    ["x9", "x9"],
  ])("%s is published as %s", (input, output) => expect(druidEmitterLabelValue(input)).toBe(output));

  it("the older emitter's pattern also replaced digits", () => {
    expect(druidEmitterLabelValueLegacy("orders_v2")).toBe("orders_v_");
    expect(druidEmitterLabelValueLegacy("a-b")).toBe("a_b");
  });

  it("a datasource is matched in every spelling an emitter can publish, and only those", () => {
    expect(druidDatasourceLabelValues("orders-v2")).toEqual(expect.arrayContaining(["orders_v2", "_orders_v2_", "orders_v_", "_orders_v_"]));
    expect(druidDatasourceLabelValues("orders-v2")).not.toContain("orders-v2");
  });
});

describe("exporters", () => {
  it("every metric names an exporter that states its minimum version and prerequisites", () => {
    for (const m of Object.values(METRICS)) {
      const e = EXPORTERS[m.exporter];
      expect(e, m.name).toBeDefined();
      expect(e.minVersion).not.toBe("");
      expect(e.prerequisites.length).toBeGreaterThan(0);
      expect(m.source).not.toBe("");
      expect(m.name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    }
  });
});

describe.each(STACKS)("stack %s: rules read only catalogue metrics", (stack) => {
  const { settings, datasets } = bundled(stack);
  const known = new Set(Object.values(METRICS).map((m) => m.name));
  it("every metric selector of every rule is a catalogue name", () => {
    const groups = [...[...datasets, ...variants(datasets).map((v) => v.dataset)].map((d) => datasetRules(d, settings)), deployRules(settings)];
    const used = groups.flatMap((g) => g.rules).flatMap((r) => [...r.expr.matchAll(/([a-z_:][a-z0-9_:]*)\{/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) expect(known.has(name), `${name} is not in the metric catalogue`).toBe(true);
    // The name no elasticsearch_exporter release publishes is gone for good.
    expect(used).not.toContain("elasticsearch_indices_indexing_index_failed_total");
  });
});
