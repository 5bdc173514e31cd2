// Conformance vectors of the op catalogue: for each op, inputs and the value (or issue) the DSL defines.
// The evaluator's tests run them, and every target's translation is checked against the same vectors
// (the ES pipeline through the JDK, Druid expressions through its harness).
import type { Json } from "./types";

export interface OpVector {
  /** The op object as a document writes it. */
  op: Record<string, Json>;
  /** The field's value before the op (the row column `v`). */
  input: Json;
  /** The value after the op; absent when an issue is expected. */
  expect?: Json;
  /** The issue code the op reports (its value is then null). */
  issue?: "E_OP_EXEC" | "E_OP_BUDGET_EXCEEDED";
  /** Globals overrides (snake_case, as in a document). */
  globals?: Record<string, Json>;
  /** Extra top-level document keys (dictionaries). */
  doc?: Record<string, Json>;
  /** Extra row keys for zip/objectify inputs. */
  row?: Record<string, Json>;
}

const FR = { decimal_sep: ",", thousands_sep: " ", bool_true: ["oui"], bool_false: ["non"], nulls: ["", "N/A"] };

export const OP_VECTORS: Record<string, OpVector[]> = {
  trim: [
    { op: { op: "trim" }, input: "  a b \t", expect: "a b" },
    { op: { op: "trim" }, input: "\u00a0x\u2003", expect: "x" },
    { op: { op: "trim" }, input: 12, expect: 12 },
    { op: { op: "trim" }, input: [" a ", "b"], expect: "a" },
    { op: { op: "trim" }, input: null, expect: null },
  ],
  lower: [{ op: { op: "lower" }, input: "ÉCOLE", expect: "école" }, { op: { op: "lowercase" }, input: "AbC", expect: "abc" }, { op: { op: "lower" }, input: true, expect: true }],
  upper: [{ op: { op: "upper" }, input: "straße", expect: "STRASSE" }, { op: { op: "uppercase" }, input: "x", expect: "X" }],
  split: [
    { op: { op: "split", sep: "," }, input: "a,,b,", expect: ["a", "", "b", ""] },
    { op: { op: "split", sep: ",", take: "last" }, input: "a,b", expect: "b" },
    { op: { op: "split", sep: ",", take: 5 }, input: "a,b", expect: "" },
    { op: { op: "split", sep: "," }, input: 3, expect: 3 },
  ],
  regex_replace: [
    { op: { op: "regex_replace", pattern: "(\\d+)-(\\d+)", repl: "\\2/\\1" }, input: "12-34 and 5-6", expect: "34/12 and 6/5" },
    { op: { op: "replace", pattern: "a", repl: "$" }, input: "banana", expect: "b$n$n$" },
    { op: { op: "regex_replace", pattern: "X", repl: "y", flags: "i" }, input: "xXx", expect: "yyy" },
    { op: { op: "regex_replace", pattern: "(?<=a)b", repl: "c" }, input: "ab", issue: "E_OP_EXEC" },
  ],
  regex_extract: [
    { op: { op: "regex_extract", pattern: "#(\\d+)" }, input: "order #123", expect: "123" },
    { op: { op: "regex_extract", pattern: "#(\\d+)", group: 0 }, input: "order #123", expect: "#123" },
    { op: { op: "regex_extract", pattern: "z(\\d)" }, input: "order", expect: null },
    { op: { op: "regex_extract", pattern: "(\\d)", group: 2 }, input: "1", issue: "E_OP_EXEC" },
    { op: { op: "regex_extract", pattern: "(\\d)" }, input: 17, expect: null },
  ],
  date_parse: [
    { op: { op: "date_parse", formats: ["%d/%m/%Y %H:%M"], assume_tz: "Europe/Paris" }, input: "01/03/2024 14:30", expect: "2024-03-01T14:30:00+01:00" },
    { op: { op: "date_parse", formats: ["%d/%m/%Y"], assume_tz: "UTC" }, input: "31/02/2024", issue: "E_OP_EXEC" },
    { op: { op: "date_parse", formats: [], assume_tz: "UTC" }, input: "2024-03-01T10:00:00.5+02:00", expect: "2024-03-01T10:00:00.500000+02:00" },
    { op: { op: "date_parse", formats: ["epoch_millis"], assume_tz: "UTC" }, input: "1709283000000", expect: "2024-03-01T08:50:00Z" },
    { op: { op: "date_parse", formats: [], assume_tz: "UTC" }, input: 1709283000, expect: "2024-03-01T08:50:00Z" },
    { op: { op: "date_parse", formats: [], assume_tz: "Europe/Paris" }, input: "2024-10-27 02:30:00", expect: "2024-10-27T02:30:00+02:00" },
    { op: { op: "date_parse", formats: [], assume_tz: "Europe/Paris" }, input: "2024-03-31 02:30:00", expect: "2024-03-31T02:30:00+01:00" },
    { op: { op: "date_parse", formats: null, assume_tz: null }, input: "2024-01-15", globals: { default_tz: "America/New_York" }, expect: "2024-01-15T00:00:00-05:00" },
    { op: { op: "date_parse", formats: [], assume_tz: "UTC" }, input: "  ", expect: null },
  ],
  geo_parse: [
    { op: { op: "geo_parse", format: "latlon" }, input: "48.85, 2.35", expect: { lat: 48.85, lon: 2.35 } },
    { op: { op: "geo_parse", format: "latlon" }, input: "91;0", issue: "E_OP_EXEC" },
    { op: { op: "geo_parse", format: "latlon" }, input: "abc", expect: null },
  ],
  cast: [
    { op: { op: "cast", to: "double" }, input: "1 234,50", globals: FR, expect: 1234.5 },
    { op: { op: "cast", to: "long" }, input: "1 234", globals: FR, expect: 1234 },
    { op: { op: "cast", to: "long" }, input: "12,5", globals: FR, issue: "E_OP_EXEC" },
    { op: { op: "cast", to: "long" }, input: "abc", expect: null },
    { op: { op: "cast", to: "boolean" }, input: " OUI ", globals: FR, expect: true },
    { op: { op: "cast", to: "boolean" }, input: "0.0", expect: false },
    { op: { op: "cast", to: "boolean" }, input: "peut-être", expect: null },
    { op: { op: "cast", to: "string" }, input: null, expect: "" },
    { op: { op: "cast", to: "string" }, input: true, expect: "True" },
    { op: { op: "cast", to: "number" }, input: "1e3", expect: 1000 },
  ],
  dict: [
    { op: { op: "dict", name: "c" }, input: " fr ", doc: { dictionaries: { c: { FR: "France" } } }, expect: "France" },
    { op: { op: "dict", name: "c", on_unknown: "default", default: "?" }, input: "xx", doc: { dictionaries: { c: { FR: "France" } } }, expect: "?" },
    { op: { op: "dict", name: "c", on_unknown: "error" }, input: "xx", doc: { dictionaries: { c: { FR: "France" } } }, issue: "E_OP_EXEC" },
    { op: { op: "dict", name: "c" }, input: "fr", doc: { dictionaries: { c: { meta: { case_insensitive: false, trim_keys: true }, data: { FR: "France" } } } }, expect: "fr" },
    { op: { op: "dict", name: "c" }, input: 1, doc: { dictionaries: { c: { "1": "one" } } }, expect: 1 },
  ],
  concat: [
    { op: { op: "concat", sep: "-" }, input: ["a", null, "", 1.5, true], expect: "a-1.5-True" },
    { op: { op: "concat", sep: "-" }, input: "solo", expect: "solo" },
  ],
  coalesce: [
    { op: { op: "coalesce" }, input: [null, "N/A", " ", "x"], globals: FR, expect: "x" },
    { op: { op: "coalesce" }, input: [null, ""], expect: null },
  ],
  phonetic: [
    { op: { op: "phonetic", algorithm: "soundex" }, input: "Robert", expect: "R163" },
    { op: { op: "phonetic", algorithm: "soundex" }, input: "Tymczak", expect: "T522" },
    { op: { op: "phonetic", algorithm: "metaphone" }, input: "Philippe", expect: "filipe" },
  ],
  hash: [
    { op: { op: "hash", algorithm: "sha256" }, input: "abc", expect: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { op: { op: "hash", algorithm: "md5", salt: "s:" }, input: "abc", expect: "355e24720299b7181a8e10537f3583a6" },
  ],
  when: [
    { op: { op: "when", cond: { gt: 10 }, then: [{ op: "literal", value: "big" }], else: [{ op: "literal", value: "small" }] }, input: "12,5", expect: "big" },
    { op: { op: "when", cond: { type: "matches", regex: "^A" }, then: [{ op: "lower" }] }, input: "Abc", expect: "abc" },
    { op: { op: "when", cond: { type: "in_set", values: ["x"] }, then: [{ op: "upper" }] }, input: "y", expect: "y" },
  ],
  map: [{ op: { op: "map", then: [{ op: "trim" }, { op: "upper" }] }, input: [" a", "b "], expect: ["A", "B"] }, { op: { op: "map", then: [{ op: "upper" }] }, input: "x", expect: "X" }],
  take: [
    { op: { op: "take", which: "last" }, input: [1, 2, 3], expect: 3 },
    { op: { op: "take", which: 5 }, input: [1], expect: null },
    { op: { op: "take", which: "first" }, input: [], expect: null },
  ],
  join: [{ op: { op: "join", sep: "|" }, input: [1, null, true, "x"], expect: "1||True|x" }, { op: { op: "join", sep: "|" }, input: null, expect: "" }],
  flatten: [{ op: { op: "flatten" }, input: [[1, 2], 3, [[4]]], expect: [1, 2, 3, [4]] }],
  zip: [
    { op: { op: "zip", with: [{ kind: "column", name: "b" }], fill: "-" }, input: [1, 2, 3], row: { b: ["x"] }, expect: [[1, "x"], [2, "-"], [3, "-"]] },
    { op: { op: "zip", with: [{ kind: "column", name: "b" }] }, input: null, row: { b: ["x", "y"] }, expect: [[null, "x"], [null, "y"]] },
  ],
  objectify: [
    { op: { op: "objectify", fields: { a: { kind: "literal", value: null }, b: { kind: "literal", value: null } } }, input: [[1, 2], [3]], expect: [{ a: 1, b: 2 }, { a: 3, b: null }] },
    { op: { op: "objectify", fields: { a: { kind: "column", name: "x" }, b: { kind: "column", name: "y" } }, fill: 0 }, input: null, row: { x: [1, 2], y: [9] }, expect: [{ a: 1, b: 9 }, { a: 2, b: 0 }] },
    { op: { op: "objectify", fields: { a: { kind: "column", name: "x" }, b: { kind: "column", name: "y" } }, strict: true }, input: null, row: { x: [1, 2], y: [9] }, expect: null },
  ],
  length: [{ op: { op: "length" }, input: "héllo", expect: 5 }, { op: { op: "length" }, input: null, expect: 0 }, { op: { op: "length" }, input: { a: 1 }, expect: 1 }],
  literal: [{ op: { op: "literal", value: { k: [1] } }, input: "x", expect: { k: [1] } }],
  filter: [
    { op: { op: "filter", cond: { gte: 2 } }, input: [1, "2", "3,5", "x"], expect: ["2", "3,5"] },
    { op: { op: "filter", cond: { type: "is_empty", by: "n" } }, input: [{ n: "" }, { n: "a" }], expect: [{ n: "" }] },
  ],
  slice: [{ op: { op: "slice", start: -2 }, input: [1, 2, 3], expect: [2, 3] }, { op: { op: "slice", start: 0, end: 1 }, input: [1, 2], expect: [1] }],
  unique: [{ op: { op: "unique" }, input: [1, "1", 1, true, "a", "a"], expect: [1, "1", "a"] }, { op: { op: "unique", by: "k" }, input: [{ k: 1 }, { k: 1, z: 2 }], expect: [{ k: 1 }] }],
  sort: [
    { op: { op: "sort", numeric: true }, input: ["10", "9", null, "2,5"], expect: ["2,5", "9", "10", null] },
    { op: { op: "sort", order: "desc" }, input: ["b", "a", "c"], expect: ["c", "b", "a"] },
    { op: { op: "sort", by: "n" }, input: [{ n: "b" }, { n: "a" }], expect: [{ n: "a" }, { n: "b" }] },
  ],
};
