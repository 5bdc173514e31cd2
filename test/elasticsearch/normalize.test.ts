// Normalisers: the shapes real ES returns on GET compare equal to what we PUT, and real changes do not.
import { describe, expect, it } from "vitest";
import { canonicalJson, differingPaths, flattenSettings, normalizeIlmPolicy, normalizeIndexTemplate, normalizeIngestPipeline } from "../../src/providers/elasticsearch/normalize";

describe("normalizeIlmPolicy", () => {
  const put = { policy: { phases: { hot: { actions: { rollover: { max_age: "1d" } } }, delete: { min_age: "7d", actions: { delete: {} } } } } };
  const get = {
    p: {
      version: 3, modified_date: "2024-03-01T00:00:00.000Z", in_use_by: { indices: ["x"], data_streams: [], composable_templates: ["t"] },
      policy: { phases: { delete: { min_age: "7d", actions: { delete: { delete_searchable_snapshot: true } } }, hot: { min_age: "0ms", actions: { rollover: { max_age: "1d" } } } } },
    },
  };
  it("unwraps the GET and fills ES defaults", () => expect(canonicalJson(normalizeIlmPolicy(get, "p"))).toBe(canonicalJson(normalizeIlmPolicy(put))));
  it("is idempotent", () => expect(normalizeIlmPolicy(normalizeIlmPolicy(get, "p"))).toEqual(normalizeIlmPolicy(get, "p")));
  it("still sees a changed retention", () => {
    const changed = structuredClone(get);
    changed.p.policy.phases.delete.min_age = "30d";
    expect(differingPaths(normalizeIlmPolicy(changed, "p"), normalizeIlmPolicy(put))).toEqual(["policy.phases.delete"]);
  });
});

describe("normalizeIndexTemplate", () => {
  const put = {
    index_patterns: ["a-v1"], data_stream: {}, priority: 200, version: 1, _meta: { h: "1" },
    template: { settings: { "index.number_of_shards": 3, refresh_interval: "5s", "index.lifecycle.name": "a" }, mappings: { dynamic: "strict", properties: { o: { type: "object", properties: { k: { type: "keyword" } } } } } },
  };
  const get = {
    index_templates: [{
      name: "a-v1",
      index_template: {
        index_patterns: ["a-v1"], composed_of: [], priority: 200, version: 1, _meta: { h: "1" }, data_stream: { hidden: false, allow_custom_routing: false },
        template: { settings: { index: { number_of_shards: "3", refresh_interval: "5s", lifecycle: { name: "a" } } }, mappings: { dynamic: "strict", properties: { o: { properties: { k: { type: "keyword" } } } } } },
      },
    }],
  };
  it("nested string settings, composed_of, data_stream flags and object type all compare equal", () => {
    expect(differingPaths(normalizeIndexTemplate(get, "a-v1"), normalizeIndexTemplate(put))).toEqual([]);
  });
  it("a changed shard count is a difference", () => {
    const changed = structuredClone(get);
    changed.index_templates[0].index_template.template.settings.index.number_of_shards = "1";
    expect(differingPaths(normalizeIndexTemplate(changed), normalizeIndexTemplate(put))).toEqual(["template.settings.index.number_of_shards"]);
  });
  it("flattens any settings form to index.* strings", () => {
    expect(flattenSettings({ index: { a: 1 }, "index.b": true, c: "x" })).toEqual({ "index.a": "1", "index.b": "true", "index.c": "x" });
  });
});

describe("normalizeIngestPipeline", () => {
  it("drops ES's dates and empty on_failure, keeps processors order", () => {
    const put = { description: "d", version: 1, processors: [{ trim: { field: "a" } }, { lowercase: { field: "a" } }] };
    const get = { p: { ...put, on_failure: [], created_date_millis: 1, modified_date_millis: 2 } };
    expect(canonicalJson(normalizeIngestPipeline(get, "p"))).toBe(canonicalJson(normalizeIngestPipeline(put)));
    const reordered = { ...put, processors: [...put.processors].reverse() };
    expect(differingPaths(normalizeIngestPipeline(reordered), normalizeIngestPipeline(put))).toEqual(["processors"]);
  });
});
