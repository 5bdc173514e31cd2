// Every regex construct whose meaning differs between JavaScript (the evaluator) and java.util.regex
// (Elasticsearch) runs through both: the evaluator's regex_replace and the translated pattern compiled by
// the JDK inside the pipeline's own script must mark the same matches on every string.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { createEvaluator } from "../../src/dsl/evaluate";
import { buildScriptParams } from "../../src/targets/elasticsearch/painless/params";
import { javaRegexProblem } from "../../src/targets/elasticsearch/painless/regex";
import { mappingScript } from "../../src/targets/elasticsearch/painless/script";
import { datasetOf, type RawCase } from "./dataset";
import { hasJdk, runOnJdk } from "./jdk";

const corpus = JSON.parse(fs.readFileSync(path.join(__dirname, "regex-corpus.json"), "utf8")) as {
  translatable: Array<[string, string]>;
  strings: string[];
  untranslatable: Array<[string, string]>;
};

describe.skipIf(!hasJdk)("regex translation, proven with the JDK", () => {
  const c: RawCase = {
    name: "regex",
    fields: corpus.translatable.flatMap(([pattern, flags], i) => [
      { target: `r${i}`, input: [{ kind: "column", name: "v" }], pipeline: [{ op: "regex_replace", pattern, repl: "<\\g<0>>", flags }] },
      { target: `m${i}`, input: [{ kind: "column", name: "v" }], pipeline: [{ op: "when", cond: { type: "matches", regex: pattern, flags }, then: [{ op: "literal", value: true }], else: [{ op: "literal", value: false }] }] },
    ]),
    rows: corpus.strings.map((v) => JSON.stringify({ v })),
  };
  const ds = datasetOf(c);
  const built = buildScriptParams(ds);
  const [java] = runOnJdk([{ script: mappingScript(built.patterns), params: built.params, rows: c.rows }]);

  it("translates every pattern of the corpus", () => expect(built.problems).toEqual([]));

  corpus.translatable.forEach(([pattern, flags], i) => {
    it(`/${pattern}/${flags}`, () => {
      c.rows.forEach((row, j) => {
        const ts = createEvaluator(ds).map(JSON.parse(row));
        if (!ts.ok) throw new Error("skipped");
        const src = ts.doc._source as Record<string, unknown>;
        const ctx = java[j].ctx as Record<string, unknown>;
        expect({ s: corpus.strings[j], r: ctx[`r${i}`], m: ctx[`m${i}`] }).toEqual({ s: corpus.strings[j], r: src[`r${i}`], m: src[`m${i}`] });
      });
    });
  });

  it("rejects, with a reason, what Java cannot run identically", () => {
    for (const [p, f] of corpus.untranslatable) expect(javaRegexProblem(p, f), p).toMatch(/cannot run identically in Elasticsearch: .+/);
    for (const [p, f] of corpus.translatable) expect(javaRegexProblem(p, f), p).toBeNull();
  });
});
