// The fake ingest service against Elasticsearch's own REST test vectors, and its script runner against
// hand-checked Painless (the language is Java's; the fake compiles it with the JDK).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { regexLiteralsToJava, simulatePipeline, splitPainless } from "./es-ingest-sim";
import { hasJdk } from "../es-conformance/jdk";

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "es-vectors", "set-and-on-failure.json"), "utf8"));

describe("fake ingest service", () => {
  for (const v of vectors.vectors) {
    it(`ES vector: ${v.name}`, () => {
      const out = simulatePipeline(v.pipeline, [{ _index: "test", _id: "1", _source: v.doc }]);
      if (v.expect) expect(out.docs[0].doc._source).toEqual(v.expect);
      else expect(out.docs[0].doc._source).toMatchObject(v.expectMatch);
    });
  }

  it("splits Painless into functions and statements, and rewrites regex literals", () => {
    const src = "int f(int x) { if (x > 0) { return 1; } return 0; }\nString g() { return \"}\"; }\nPattern[] RX = new Pattern[] {/a\\/b/i, /c/};\nctx.put(\"k\", f(2));\n";
    const { functions, statements } = splitPainless(src);
    expect(functions).toHaveLength(2);
    expect(regexLiteralsToJava(statements)).toContain('{Pattern.compile("(?i)a\\\\/b"), Pattern.compile("c")}');
  });

  it.skipIf(!hasJdk)("runs a script processor through the JDK and routes its exception to on_failure with the metadata", () => {
    const pipeline = {
      processors: [
        { script: { tag: "t1", source: "void boom(Map c) { if (c.get(\"x\") == null) { throw new IllegalArgumentException(\"no x\"); } c.put(\"y\", c.get(\"x\")); }\nboom(ctx);\n" } },
      ],
      on_failure: [
        { set: { field: "why", value: "{{{_ingest.on_failure_message}}}" } },
        { set: { field: "tag", value: "{{ _ingest.on_failure_processor_tag }}" } },
      ],
    };
    const out = simulatePipeline(pipeline, [{ _index: "i", _source: { x: 1 } }, { _index: "i", _source: {} }]);
    expect(out.docs[0].doc._source).toEqual({ x: 1, y: 1 });
    expect(out.docs[1].doc._source).toEqual({ why: "IllegalArgumentException: no x", tag: "t1" });
  });
});
