// One test per line of docs/seed-differences.md where mapstack does what the seed intends instead of
// what its executor does.
import { describe, expect, it } from "vitest";
import { createEvaluator } from "../../src/dsl/evaluate";
import { compileOk, problemsOf, runField, valueOf } from "./helpers";

const col = (name: string) => ({ kind: "column", name });

describe("differences from the seed service", () => {
  it("when: runs without a filter before it", () => {
    expect(valueOf({ pipeline: [{ op: "when", cond: { type: "is_numeric" }, then: [{ op: "cast", to: "long" }] }] }, { v: "42" })).toBe(42);
  });

  it("zip-objectify: zip pads with fill, objectify builds one object per index", () => {
    const f = { type: "nested", pipeline: [{ op: "zip", with: [col("q")], fill: 0 }, { op: "objectify", fields: { sku: col("x"), qty: col("x") } }] };
    expect(valueOf(f, { v: ["a", "b"], q: [1] })).toEqual([{ sku: "a", qty: 1 }, { sku: "b", qty: 0 }]);
  });

  it("dict-name: name and key both name the dictionary", () => {
    const extra = { dictionaries: { c: { FR: "France" } } };
    for (const op of [{ op: "dict", name: "c" }, { op: "dict", key: "c" }]) expect(runField({ pipeline: [op] }, [{ v: "fr" }], extra).results[0]).toMatchObject({ doc: { _source: { v: "France" } } });
  });

  it("cast-numeric: long and double cast, with the globals' separators", () => {
    const g = { globals: { decimal_sep: ",", thousands_sep: "." } };
    const r = runField({ pipeline: [{ op: "cast", to: "double" }] }, [{ v: "1.234,5" }], g).results[0];
    expect(r.ok && r.doc._source.v).toBe(1234.5);
    expect(valueOf({ pipeline: [{ op: "cast", to: "long" }] }, { v: " 17 " })).toBe(17);
  });

  it("date-parse-keys: formats and assume_tz are optional", () => {
    expect(valueOf({ pipeline: [{ op: "date_parse" }] }, { v: "2024-01-02T03:04:05Z" })).toBe("2024-01-02T03:04:05Z");
  });

  it("hash-phonetic-algorithm: the named algorithm is used; soundex is real soundex", () => {
    expect(valueOf({ pipeline: [{ op: "hash", algorithm: "md5" }] }, { v: "a" })).toBe("0cc175b9c0f1b6a831c399e269772661");
    expect(valueOf({ pipeline: [{ op: "phonetic", algorithm: "soundex" }] }, { v: "Ashcraft" })).toBe("A261");
  });

  it("wildcard-list: one match is a one-element list, no match is null", () => {
    const f = (expr: string) => ({ input: [{ kind: "jsonpath", expr }] });
    expect(valueOf(f("$.a[*].b"), { a: [{ b: 1 }] })).toEqual([1]);
    expect(valueOf(f("$.a[*].b"), { a: [] })).toBeNull();
  });

  it("containers: a target under an array container spreads the list over its objects", () => {
    const ds = compileOk(
      [
        { target: "contacts.phone", type: "keyword", input: [{ kind: "jsonpath", expr: "$.c[*].p" }], pipeline: [] },
        { target: "contacts.kind", type: "keyword", input: [{ kind: "jsonpath", expr: "$.c[*].k" }], pipeline: [] },
      ],
      { containers: [{ path: "contacts[]", type: "nested" }] },
    );
    const r = createEvaluator(ds).map({ id: 1, c: [{ p: "1", k: "home" }, { p: "2", k: "work" }] });
    expect(r.ok && r.doc._source).toEqual({ contacts: [{ phone: "1", kind: "home" }, { phone: "2", kind: "work" }] });
  });

  it("docs-ops and stricter-validate: what the seed meets at run time is a validate error", () => {
    expect(problemsOf([{ target: "v", type: "keyword", input: [col("v")], pipeline: [{ op: "titlecase" }] }])[0]).toMatch(/unknown op 'titlecase'/);
    expect(problemsOf([{ target: "v", type: "keyword", input: [col("v")], pipeline: [{ op: "when", cond: {} }] }])[0]).toMatch(/'cond' must be a condition object/);
  });

  it("variants: spellings the executor runs are valid", () => {
    expect(problemsOf([{ target: "v", type: "keyword", input: [col("v")], pipeline: [{ op: "split", sep: ",", take: "last" }, { op: "lowercase" }, { op: "regex_replace", pattern: "a", replacement: "b", flags: "i" }] }])).toEqual([]);
  });
});
