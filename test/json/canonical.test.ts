import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, sortKeys } from "../../src/json/canonical";

// Pinned content hashes in users' stack files were computed as JSON.stringify(sortKeys(v)); the direct
// writer must produce the same bytes for every value, or every pin would read as "changed" after upgrade.
const reference = (v: unknown) => JSON.stringify(sortKeys(v));

const key = fc.oneof(
  fc.string(),
  fc.constantFrom("__proto__", "constructor", "0", "1", "2", "10", "01", "-1", "1.5", "4294967294", "4294967295", "9999999999", "a", "B", "é", "\u0000"),
);
const leaf = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.boolean(), fc.string(), fc.double(), fc.integer(),
  fc.constantFrom(-0, NaN, Infinity, 1e21, 5e-324), fc.constant(() => 1),
);
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 6 }),
})).value;

describe("canonical JSON", () => {
  it("writes exactly JSON.stringify(sortKeys(v)) for any JSON-ish value", () => {
    fc.assert(fc.property(tree, (v) => canonicalJson(v) === reference(v)), { numRuns: 3000, seed: 20261123 });
  });

  it("orders integer keys numerically before the other keys, sorted", () => {
    expect(canonicalJson({ b: 1, 10: 2, a: { z: 0, y: [3, undefined] }, 2: 3, "01": 4 })).toBe('{"2":3,"10":2,"01":4,"a":{"y":[3,null],"z":0},"b":1}');
  });

  it("does not call a nested toJSON, drops undefined and __proto__ members, as the sorted copy did", () => {
    const d = { when: new Date(0), x: undefined, ["__proto__"]: 1 };
    Object.defineProperty(d, "__proto__", { value: 5, enumerable: true });
    expect(canonicalJson(d)).toBe(reference(d));
    expect(canonicalJson({ when: new Date(0) })).toBe('{"when":{}}');
  });
});
