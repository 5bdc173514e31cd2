// Every op of the DSL, as a user sees it: a field declared in a dataset, a document in, a mapped value out
// (or the document failing with a message that names the problem).
import { describe, expect, it } from "vitest";
import { failureOf, runField, valueOf } from "./helpers";

describe("cast", () => {
  const to = (target: string, type: string) => ({ from: "$.x", ops: [{ cast: target }], type });

  it("to string: numbers and booleans become their text, strings stay", () => {
    expect(valueOf(to("string", "keyword"), { x: 12.5 })).toBe("12.5");
    expect(valueOf(to("string", "keyword"), { x: false })).toBe("false");
    expect(valueOf(to("string", "keyword"), { x: "abc" })).toBe("abc");
  });
  it("to string fails on objects", () => {
    expect(failureOf(to("string", "keyword"), { x: { a: 1 } })).toBe("v: cannot cast an object to string");
  });

  it("to long: integer strings (with blanks or sign) and numbers (truncated)", () => {
    expect(valueOf(to("long", "long"), { x: "42" })).toBe(42);
    expect(valueOf(to("long", "long"), { x: " -7 " })).toBe(-7);
    expect(valueOf(to("long", "long"), { x: 3.9 })).toBe(3);
    expect(valueOf(to("long", "long"), { x: -3.9 })).toBe(-3);
  });
  it("to long fails on decimals in strings, words and booleans", () => {
    expect(failureOf(to("long", "long"), { x: "3.5" })).toBe('v: cannot cast string "3.5" to long');
    expect(failureOf(to("long", "long"), { x: "abc" })).toBe('v: cannot cast string "abc" to long');
    expect(failureOf(to("long", "long"), { x: true })).toBe("v: cannot cast boolean true to long");
  });

  it("to double: decimal, exponent and leading-dot strings", () => {
    expect(valueOf(to("double", "double"), { x: "1234.50" })).toBe(1234.5);
    expect(valueOf(to("double", "double"), { x: "1.5e2" })).toBe(150);
    expect(valueOf(to("double", "double"), { x: ".5" })).toBe(0.5);
    expect(valueOf(to("double", "double"), { x: 7 })).toBe(7);
  });
  it("to double fails on a decimal comma, an empty string and booleans", () => {
    expect(failureOf(to("double", "double"), { x: "12,50" })).toBe('v: cannot cast string "12,50" to double');
    expect(failureOf(to("double", "double"), { x: "" })).toBe('v: cannot cast string "" to double');
    expect(failureOf(to("double", "double"), { x: true })).toBe("v: cannot cast boolean true to double");
  });

  it("to boolean: true/false in any case", () => {
    expect(valueOf(to("boolean", "boolean"), { x: "TRUE" })).toBe(true);
    expect(valueOf(to("boolean", "boolean"), { x: " false " })).toBe(false);
    expect(valueOf(to("boolean", "boolean"), { x: true })).toBe(true);
  });
  it("to boolean fails on yes/no and numbers", () => {
    expect(failureOf(to("boolean", "boolean"), { x: "yes" })).toBe('v: cannot cast string "yes" to boolean');
    expect(failureOf(to("boolean", "boolean"), { x: 1 })).toBe("v: cannot cast number 1 to boolean");
  });

  it("applies to each element of an array and keeps null elements", () => {
    expect(valueOf({ from: "$.x[*]", ops: [{ cast: "long" }], type: "long" }, { x: ["1", null, "3"] })).toEqual([1, null, 3]);
  });
  it("a missing value stays missing: the field is left out, the document does not fail", () => {
    const r = runField(to("long", "long"), { y: 1 }).results[0];
    expect(r).toEqual({ ok: true, doc: {} });
  });
});

describe("trim, lowercase, uppercase", () => {
  it("transform strings and arrays of strings", () => {
    expect(valueOf({ from: "$.s", ops: ["trim"] }, { s: "  a b \t\n" })).toBe("a b");
    expect(valueOf({ from: "$.s", ops: ["lowercase"] }, { s: "ÀbC" })).toBe("àbc");
    expect(valueOf({ from: "$.s", ops: ["uppercase"] }, { s: "straße" })).toBe("STRASSE");
    expect(valueOf({ from: "$.s[*]", ops: ["trim", "uppercase"] }, { s: [" a", "b ", null] })).toEqual(["A", "B", null]);
  });
  it("fail on non-strings with the op's name", () => {
    expect(failureOf({ from: "$.s", ops: ["trim"] }, { s: 5 })).toBe("v: trim expects a string, got number 5");
    expect(failureOf({ from: "$.s", ops: ["lowercase"] }, { s: true })).toBe("v: lowercase expects a string, got boolean true");
    expect(failureOf({ from: "$.s", ops: ["uppercase"] }, { s: ["a", 1] })).toBe("v: uppercase expects a string, got number 1");
  });
});

describe("default", () => {
  const f = { from: "$.c", ops: ["uppercase", { default: "EUR" }] };
  it("replaces a missing or null value", () => {
    expect(valueOf(f, {})).toBe("EUR");
    expect(valueOf(f, { c: null })).toBe("EUR");
  });
  it("keeps a present value, including false and empty string", () => {
    expect(valueOf(f, { c: "usd" })).toBe("USD");
    expect(valueOf(f, { c: "" })).toBe("");
    expect(valueOf({ from: "$.b", ops: [{ cast: "boolean" }, { default: true }], type: "boolean" }, { b: false })).toBe(false);
  });
});

describe("coalesce", () => {
  const f = { from: ["$.a", "$.b", "$.c"], ops: ["coalesce"] };
  it("takes the first selector that has a value", () => {
    expect(valueOf(f, { b: "B", c: "C" })).toBe("B");
    expect(valueOf(f, { a: "A", b: "B" })).toBe("A");
    expect(valueOf(f, { a: null, c: "C" })).toBe("C");
  });
  it("skips empty array matches of indefinite selectors", () => {
    expect(valueOf({ from: ["$.a[*]", "$.b[*]"], ops: ["coalesce"] }, { a: [], b: ["x"] })).toEqual(["x"]);
  });
  it("leaves the field out when no selector has a value", () => {
    expect(runField(f, { z: 1 }).results[0]).toEqual({ ok: true, doc: {} });
  });
});

describe("concat", () => {
  it("joins single values with the separator, skipping missing ones", () => {
    const f = { from: ["$.first", "$.last"], ops: [{ concat: { separator: " " } }], type: "text" };
    expect(valueOf(f, { first: "Jane", last: "Doe" })).toBe("Jane Doe");
    expect(valueOf(f, { last: "Doe" })).toBe("Doe");
    expect(runField(f, {}).results[0]).toEqual({ ok: true, doc: {} });
  });
  it("uses no separator by default and writes numbers as text", () => {
    expect(valueOf({ from: ["$.a", "$.n"], ops: ["concat"] }, { a: "A", n: 1 })).toBe("A1");
  });
  it("fails on objects", () => {
    expect(failureOf({ from: ["$.a", "$.o"], ops: ["concat"] }, { a: "A", o: { x: 1 } })).toBe("v: concat expects scalar values, got an object");
  });
});

describe("join", () => {
  it("joins array elements, dropping nulls", () => {
    expect(valueOf({ from: "$.t[*]", ops: [{ join: "|" }] }, { t: ["a", null, "b", 3] })).toBe("a|b|3");
  });
  it("uses a comma by default, and accepts {separator}", () => {
    expect(valueOf({ from: "$.t[*]", ops: ["join"] }, { t: ["a", "b"] })).toBe("a,b");
    expect(valueOf({ from: "$.t[*]", ops: [{ join: { separator: " / " } }] }, { t: ["a", "b"] })).toBe("a / b");
  });
  it("gives an empty string when nothing matches", () => {
    expect(valueOf({ from: "$.t[*]", ops: [{ join: "," }] }, {})).toBe("");
  });
  it("fails on nested objects", () => {
    expect(failureOf({ from: "$.t[*]", ops: [{ join: "," }] }, { t: [{ a: 1 }] })).toBe("v: join expects scalar values, got an object");
  });
});

describe("split", () => {
  it("splits a string into an array, which later ops apply to element by element", () => {
    expect(valueOf({ from: "$.s", ops: [{ split: "," }, "trim"] }, { s: "a, b ,c" })).toEqual(["a", "b", "c"]);
    expect(valueOf({ from: "$.s", ops: [{ split: { separator: "::" } }] }, { s: "x::y" })).toEqual(["x", "y"]);
  });
  it("splits as Java and Elasticsearch do: trailing empties dropped, no match keeps the string", () => {
    expect(valueOf({ from: "$.s", ops: [{ split: "," }] }, { s: "a,b,," })).toEqual(["a", "b"]);
    expect(valueOf({ from: "$.s", ops: [{ split: "," }] }, { s: ",a" })).toEqual(["", "a"]);
    expect(valueOf({ from: "$.s", ops: [{ split: "," }] }, { s: "," })).toEqual([]);
    expect(valueOf({ from: "$.s", ops: [{ split: "," }] }, { s: "abc" })).toEqual(["abc"]);
  });
  it("an empty string stays one empty element (no separator matched); a missing one leaves the field out", () => {
    expect(valueOf({ from: "$.s", ops: [{ split: "," }] }, { s: "" })).toEqual([""]);
    expect(runField({ from: "$.s", ops: [{ split: "," }] }, {}).results[0]).toEqual({ ok: true, doc: {} });
  });
  it("fails on a non-string", () => {
    expect(failureOf({ from: "$.s", ops: [{ split: "," }] }, { s: 12 })).toBe("v: split expects a string, got number 12");
  });
});

describe("replace", () => {
  it("replaces every match of the regex, with group references", () => {
    expect(valueOf({ from: "$.s", ops: [{ replace: { pattern: "[^0-9.\\-]", with: "" } }] }, { s: "€1,234.50" })).toBe("1234.50");
    expect(valueOf({ from: "$.s", ops: [{ replace: { pattern: "(\\d+)-(\\d+)", with: "$2/$1" } }] }, { s: "10-20 30-40" })).toBe("20/10 40/30");
  });
  it("with no 'with' removes matches", () => {
    expect(valueOf({ from: "$.s", ops: [{ replace: { pattern: "\\s+" } }] }, { s: "a b  c" })).toBe("abc");
  });
  it("fails on numbers", () => {
    expect(failureOf({ from: "$.s", ops: [{ replace: { pattern: "x", with: "y" } }] }, { s: 49.9 })).toBe("v: replace expects a string, got number 49.9");
  });
});

describe("date", () => {
  const d = (formats: string[], to = "iso8601") => ({ from: "$.t", ops: [{ date: { formats, to } }], type: "date" });

  it("iso8601: offsets are applied, fractions kept to the millisecond, date-only is midnight UTC", () => {
    expect(valueOf(d(["iso8601"]), { t: "2024-03-01T12:00:00+02:00" })).toBe("2024-03-01T10:00:00.000Z");
    expect(valueOf(d(["iso8601"]), { t: "2024-03-02T23:59:59.123456789Z" })).toBe("2024-03-02T23:59:59.123Z");
    expect(valueOf(d(["iso8601"]), { t: "2024-03-05" })).toBe("2024-03-05T00:00:00.000Z");
    expect(valueOf(d(["iso8601"]), { t: "2024-03-05 06:07" })).toBe("2024-03-05T06:07:00.000Z");
  });
  it("epoch_millis and epoch_seconds accept numbers and digit strings", () => {
    expect(valueOf(d(["epoch_millis"]), { t: 1709283000000 })).toBe("2024-03-01T08:50:00.000Z");
    expect(valueOf(d(["epoch_millis"]), { t: "1709283000000" })).toBe("2024-03-01T08:50:00.000Z");
    expect(valueOf(d(["epoch_seconds"]), { t: 1700000000 })).toBe("2023-11-14T22:13:20.000Z");
    expect(valueOf(d(["epoch_seconds"]), { t: "1700000000.5" })).toBe("2023-11-14T22:13:20.500Z");
  });
  it("Java-style patterns, with quoted literals and offsets", () => {
    expect(valueOf(d(["dd/MM/yyyy HH:mm:ss"]), { t: "29/02/2024 23:59:59" })).toBe("2024-02-29T23:59:59.000Z");
    expect(valueOf(d(["dd/MM/yyyy"]), { t: "01/12/2023" })).toBe("2023-12-01T00:00:00.000Z");
    expect(valueOf(d(["yyyyMMdd'T'HHmmss.SSSXXX"]), { t: "20240301T101500.250+01:00" })).toBe("2024-03-01T09:15:00.250Z");
  });
  it("tries formats in order and uses the first that matches", () => {
    const f = d(["dd/MM/yyyy", "iso8601", "epoch_millis"]);
    expect(valueOf(f, { t: "02/01/2024" })).toBe("2024-01-02T00:00:00.000Z");
    expect(valueOf(f, { t: "2024-01-02" })).toBe("2024-01-02T00:00:00.000Z");
    expect(valueOf(f, { t: 0 })).toBe("1970-01-01T00:00:00.000Z");
  });
  it("to epoch_millis outputs a number", () => {
    expect(valueOf(d(["iso8601"], "epoch_millis"), { t: "2024-03-01T00:00:00Z" })).toBe(Date.UTC(2024, 2, 1));
    expect(valueOf({ from: "$.t", ops: [{ date: { formats: ["dd/MM/yyyy"], to: "epoch_millis" } }], type: "long" }, { t: "01/01/1970" })).toBe(0);
  });
  it("rejects impossible dates and inputs no format matches, naming the formats", () => {
    expect(failureOf(d(["dd/MM/yyyy"]), { t: "31/02/2024" })).toBe('v: string "31/02/2024" matches none of the date formats [dd/MM/yyyy]');
    expect(failureOf(d(["iso8601", "epoch_millis"]), { t: "yesterday" })).toBe('v: string "yesterday" matches none of the date formats [iso8601, epoch_millis]');
    expect(failureOf(d(["iso8601"]), { t: "2024-13-01" })).toContain("matches none of the date formats");
    expect(failureOf(d(["iso8601"]), { t: true })).toBe("v: date expects a string or number, got boolean true");
  });
});

describe("map", () => {
  const f = { from: "$.s", ops: [{ map: { table: { A: "alpha", B: "beta", "1": "one" }, default: "other" } }] };
  it("looks values up in the table, and uses the default for anything else", () => {
    expect(valueOf(f, { s: "A" })).toBe("alpha");
    expect(valueOf(f, { s: "Z" })).toBe("other");
    expect(valueOf(f, { s: 1 })).toBe("one");
    expect(valueOf({ ...f, from: "$.s[*]" }, { s: ["B", "Q", null] })).toEqual(["beta", "other", null]);
  });
  it("without a default, unknown values leave the field out", () => {
    expect(runField({ from: "$.s", ops: [{ map: { table: { A: "alpha" } } }] }, { s: "Z" }).results[0]).toEqual({ ok: true, doc: {} });
  });
  it("a missing value is not mapped to the default", () => {
    expect(runField(f, {}).results[0]).toEqual({ ok: true, doc: {} });
  });
});

describe("zip and objectify", () => {
  const lines = (mode: Record<string, unknown>) => ({
    from: ["$.skus", "$.qty"],
    ops: [{ zip: mode }, { objectify: { keys: ["sku", "qty"] } }],
    type: "nested",
  });

  it("zip pad fills short arrays with the pad value and counts each padded slot", () => {
    const { results, counters } = runField(lines({ mode: "pad", pad: 0 }), { skus: ["a", "b", "c"], qty: [1] }, { skus: ["x"], qty: [1, 2] });
    expect(results.map((r) => r.ok && r.doc.v)).toEqual([
      [{ sku: "a", qty: 1 }, { sku: "b", qty: 0 }, { sku: "c", qty: 0 }],
      [{ sku: "x", qty: 1 }, { sku: 0, qty: 2 }],
    ]);
    expect(counters.zipPadEvents).toBe(3);
    expect(counters.zipTruncatedValues).toBe(0);
    expect(counters.objectifyRecords).toBe(5);
  });
  it("zip pad treats a missing array as empty and pads with null by default", () => {
    const { results, counters } = runField(lines({ mode: "pad" }), { skus: ["a", "b"] });
    expect(results[0]).toEqual({ ok: true, doc: { v: [{ sku: "a", qty: null }, { sku: "b", qty: null }] } });
    expect(counters.zipPadEvents).toBe(2);
  });
  it("zip truncate drops the values past the shortest array and counts them", () => {
    const { results, counters } = runField(lines({ mode: "truncate" }), { skus: ["a", "b", "c", "d"], qty: [1, 2] });
    expect(results[0]).toEqual({ ok: true, doc: { v: [{ sku: "a", qty: 1 }, { sku: "b", qty: 2 }] } });
    expect(counters.zipTruncatedValues).toBe(2);
    expect(counters.zipPadEvents).toBe(0);
    expect(counters.objectifyRecords).toBe(2);
  });
  it("zip fails when an input is a scalar", () => {
    expect(failureOf(lines({ mode: "pad" }), { skus: "a", qty: [1] })).toBe('v: zip input 1 is string "a", expected an array');
  });
  it("objectify on a [*] selector of tuples names their values", () => {
    const f = { from: "$.rows[*]", ops: [{ objectify: { keys: ["k", "n"] } }], type: "nested" };
    const { results, counters } = runField(f, { rows: [["a", 1], ["b", 2]] });
    expect(results[0]).toEqual({ ok: true, doc: { v: [{ k: "a", n: 1 }, { k: "b", n: 2 }] } });
    expect(counters.objectifyRecords).toBe(2);
  });
  it("objectify fails when a tuple has more or fewer values than keys, or is not a tuple", () => {
    const f = { from: "$.rows[*]", ops: [{ objectify: { keys: ["k", "n"] } }], type: "nested" };
    expect(failureOf(f, { rows: [["a", 1], ["b", 2, 3]] })).toBe("v: objectify record 1 has 3 values but 2 keys are declared (k, n)");
    expect(failureOf(f, { rows: [["a"]] })).toBe("v: objectify record 0 has 1 values but 2 keys are declared (k, n)");
    expect(failureOf(f, { rows: ["a"] })).toBe('v: objectify record 0 is string "a", expected a tuple');
  });
  it("a failing field fails the whole document, and other fields' counters still run", () => {
    const { results, counters } = runField(lines({ mode: "pad" }), { skus: "a", qty: [1] }, { skus: ["a"], qty: [1] });
    expect(results[0].ok).toBe(false);
    expect(results[1].ok).toBe(true);
    expect(counters).toMatchObject({ docsIn: 2, docsOut: 1, docsFailed: 1, fieldErrors: { v: 1 }, objectifyRecords: 1 });
  });
});
