// What the Elasticsearch target refuses, with the place named (validate turns these into positioned
// errors), and what it accepts as is.
import { describe, expect, it } from "vitest";
import { esTranslationProblems, javaRegexProblem } from "../../src/targets/elasticsearch/pipeline";
import { esMappingProblem } from "../../src/targets/elasticsearch/mapping-check";
import { datasetOf } from "../es-conformance/dataset";

const ds = (fields: object[]) => datasetOf({ name: "t", fields: fields as never, rows: [] });

describe("esTranslationProblems", () => {
  it("names the field and the op path of an untranslatable regex, also inside branches", () => {
    const problems = esTranslationProblems(ds([
      { target: "ok", input: [{ kind: "column", name: "a" }], pipeline: [{ op: "regex_replace", pattern: "\\d+", repl: "#" }] },
      { target: "bad", input: [{ kind: "column", name: "a" }], pipeline: [{ op: "trim" }, { op: "map", then: [{ op: "when", cond: { type: "matches", regex: "(?<=x)y" }, then: [{ op: "regex_replace", pattern: "(a)\\1", repl: "" }] }] }] },
    ]));
    expect(problems).toEqual([
      { fieldIndex: 1, opPath: ["pipeline", 1, "then", 0, "cond"], message: expect.stringMatching(/look-behind/) },
      { fieldIndex: 1, opPath: ["pipeline", 1, "then", 0, "then", 0], message: expect.stringMatching(/op 'regex_replace'.*backreferences/) },
    ]);
  });

  it("rejects JSONPath filters and targets that are Elasticsearch metadata fields", () => {
    const problems = esTranslationProblems(ds([
      { target: "x", input: [{ kind: "jsonpath", expr: "$.a[?(@.b > 1)]" }] },
      { target: "_routing", input: [{ kind: "column", name: "a" }] },
      { target: "_id", input: [{ kind: "column", name: "a" }] },
    ]));
    expect(problems.map((p) => [p.fieldIndex, p.opPath, p.message.replace(/ .*/, "")])).toEqual([[0, ["input", 0], "JSONPath"], [1, [], "target"]]);
  });

  it("accepts what the evaluator itself rejects (the pipeline fails the same way at run time)", () => {
    expect(javaRegexProblem("(?<=a)b")).toBeNull();
    expect(javaRegexProblem("(")).toBeNull();
    expect(javaRegexProblem("\\bword\\s+\\d{2,}$", "im")).toBeNull();
    expect(javaRegexProblem("(?P<n>a)(?P=n)")).toMatch(/backreferences/);
  });
});

describe("esMappingProblem", () => {
  it("flags only what Elasticsearch rejects whatever the mapping options", () => {
    expect(["42", " 42 ", "1e3", "-1.5", 7].map((v) => esMappingProblem("long", v))).toEqual([null, null, null, null, null]);
    expect(["0x1A", "abc", true, { a: 1 }, "NaN", 1e19].map((v) => esMappingProblem("long", v))).toEqual(["not a number", "not a number", "not a number", "not a number", "not a number", "out of range"]);
    expect(["1.5f", "NaN"].map((v) => esMappingProblem("double", v))).toEqual([null, "not a finite number"]);
    expect([true, "false", "", "yes"].map((v) => esMappingProblem("boolean", v))).toEqual([null, null, null, "not a boolean"]);
    expect([{ a: 1 }, "s"].map((v) => esMappingProblem("keyword", v))).toEqual(["an object where a value is expected", null]);
  });
});
