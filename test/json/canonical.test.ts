import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/json/canonical";

const key = fc.oneof(fc.string(), fc.constantFrom("0", "1", "2", "10", "01", "-1", "1.5", "a", "B", "é"));
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 6 }),
})).value;

/** The same members inserted in reverse order, at every level. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) Object.defineProperty(out, k, { value: reversed((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

describe("canonical JSON", () => {
  it("does not depend on the order members were written in, and reads back as the same value", () => {
    fc.assert(
      fc.property(tree, (v) => {
        const text = canonicalJson(v);
        return text === canonicalJson(reversed(v)) && text === canonicalJson(JSON.parse(text));
      }),
      { numRuns: 2000, seed: 20261123 },
    );
  });

  it("sorts keys at every level (integer keys first, as JSON objects order them), drops undefined members", () => {
    expect(canonicalJson({ b: 1, 10: 2, a: { z: 0, y: [3, undefined] }, 2: 3, "01": 4, u: undefined })).toBe('{"2":3,"10":2,"01":4,"a":{"y":[3,null],"z":0},"b":1}');
  });
});
