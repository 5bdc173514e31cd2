// The run's counters as --report shows them: issues per code, rows with issues, and errors per field
// (a field counts once per row, however many issues it had there; a duplicate _id is no field's error).
import { describe, expect, it } from "vitest";
import { createEvaluator } from "../../src/dsl/evaluate";
import { compileOk } from "./helpers";

describe("run counters", () => {
  it("count each field once per row it failed in, and duplicates under their code only", () => {
    const ev = createEvaluator(
      compileOk([
        { target: "n", type: "date", input: [{ kind: "column", name: "n" }], pipeline: [{ op: "map", then: [{ op: "date_parse", formats: ["%Y"] }] }] },
        { target: "d", type: "date", input: [{ kind: "column", name: "d" }], pipeline: [{ op: "date_parse", formats: ["%Y-%m-%d"] }] },
      ]),
    );
    const rows = [
      { id: "1", n: ["x", "y"], d: "2024-01-02" }, // two issues in n
      { id: "2", n: ["2024"], d: "nope" }, // d
      { id: "3", n: ["z"], d: "nope" }, // n and d
      { id: "1", n: ["2024"], d: "2024-01-02" }, // a duplicate, no field issue
    ];
    const issues = rows.map((r) => ev.map(r).issues.map((i) => `${i.field}:${i.code}`));
    expect(issues[0]).toEqual(["n:E_OP_EXEC", "n:E_OP_EXEC"]);
    expect(issues[3]).toEqual(["_id:E_ID_CONFLICT"]);
    expect(ev.counters.fieldErrors).toEqual({ n: 2, d: 2 });
    expect(ev.counters.issuesPerCode).toEqual({ E_OP_EXEC: 5, E_ID_CONFLICT: 1 });
    expect(ev.counters.docsWithIssues).toBe(4);
  });
});
