// The op catalogue's conformance vectors through the evaluator, plus the seed's pipeline rules
// (op budget, list reduction before scalar ops, failures as issues that never stop the row).
import { describe, expect, it } from "vitest";
import { DSL_OPS } from "../../src/dsl/ops";
import { OP_VECTORS } from "../../src/dsl/op-vectors";
import { runField } from "./helpers";

describe("op conformance vectors", () => {
  it("every op of the catalogue has vectors", () => {
    expect(DSL_OPS.map((s) => s.name).filter((n) => !OP_VECTORS[n]?.length)).toEqual([]);
  });
  for (const [name, vectors] of Object.entries(OP_VECTORS)) {
    vectors.forEach((v, i) => {
      it(`${name} #${i}: ${JSON.stringify(v.op)} on ${JSON.stringify(v.input)}`, () => {
        const { results } = runField({ pipeline: [v.op] }, [{ id: "1", v: v.input, ...(v.row ?? {}) }], { ...(v.doc ?? {}), ...(v.globals ? { globals: v.globals } : {}) });
        const r = results[0];
        if (!r.ok) throw new Error("row skipped");
        if (v.issue) {
          expect(r.issues.map((x) => x.code)).toEqual([v.issue]);
          expect(r.doc._source.v).toBeNull();
        } else {
          expect(r.issues).toEqual([]);
          expect(r.doc._source.v).toEqual(v.expect);
        }
      });
    });
  }
});

describe("pipeline rules", () => {
  it("the 201st op of a pipeline stops it with E_OP_BUDGET_EXCEEDED and a null value", () => {
    const pipeline = Array.from({ length: 201 }, () => ({ op: "trim" }));
    const r = runField({ pipeline }, [{ id: "1", v: " x " }]).results[0];
    expect(r.ok && r.doc._source.v).toBeNull();
    expect(r.issues.map((i) => i.code)).toEqual(["E_OP_BUDGET_EXCEEDED"]);
    const ok = runField({ pipeline: pipeline.slice(0, 200) }, [{ id: "1", v: " x " }]).results[0];
    expect(ok.ok && ok.doc._source.v).toBe("x");
  });

  it("a failing op makes only its field null; the other fields and rows go on", () => {
    const { results, counters } = runField({ pipeline: [{ op: "cast", to: "long" }] }, [{ id: "1", v: "1.5" }, { id: "2", v: "7" }]);
    expect(results.map((r) => (r.ok ? r.doc._source.v : "skipped"))).toEqual([null, 7]);
    expect(results[0].issues[0]).toMatchObject({ field: "v", code: "E_OP_EXEC" });
    expect(counters.issuesPerCode).toEqual({ E_OP_EXEC: 1 });
  });

  it("zip pads are counted, objectify records are counted", () => {
    const { counters } = runField(
      { type: "nested", pipeline: [{ op: "zip", with: [{ kind: "column", name: "b" }] }, { op: "objectify", fields: { a: { kind: "literal", value: null }, b: { kind: "literal", value: null } } }] },
      [{ id: "1", v: [1, 2, 3], b: ["x"] }],
    );
    expect(counters.zipPadEvents).toBe(2);
    expect(counters.objectifyRecords).toBe(3);
  });
});
