// Every class of validation error of the seed Mapping DSL, each at its exact file:line:col, all errors of
// a file in one run; the bundled examples are valid.
import { describe, expect, it } from "vitest";
import { compileFiles, listDslFiles } from "../../src/dsl/compile";
import { formatDiagnostic } from "../../src/dsl/diagnostics";
import { compileYaml, DSL_DIR } from "./helpers";

const at = (text: string): string[] => compileYaml(text).diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);

/** A valid document; `fields` are YAML lines indented by 2 and start at line 15. */
const doc = (fields: string, extra = "") => `dsl_version: "2.2"
index: t
globals:
  nulls: [""]
  bool_true: []
  bool_false: []
  decimal_sep: "."
  thousands_sep: ""
  date_formats: []
  default_tz: UTC
  empty_as_null: true
  preview: {sample_size: 1}
id_policy: {from: [id], op: concat, sep: ":", on_conflict: error}
fields:
${fields}
${extra}`;

const FIELD = "  - target: name\n    type: keyword\n    input: [{kind: jsonpath, expr: $.name}]\n    pipeline: [{op: trim}]";

describe("validation errors, each with its exact line:col", () => {
  it("the bundled examples are valid", () => {
    const r = compileFiles(listDslFiles(DSL_DIR), { dslDir: DSL_DIR });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(r.datasets.map((d) => d.name).sort()).toEqual(["order_lines", "settlement_transactions", "store_sales"]);
  });

  it("a valid document has no diagnostics", () => {
    expect(at(doc(FIELD))).toEqual([]);
  });

  it("required top-level keys and globals keys, as the seed schema requires them", () => {
    expect(at(`dsl_version: "2.2"\nindex: t\nfields: []\n`)).toEqual([
      "1:1: document is missing required key 'globals'",
      "1:1: document is missing required key 'id_policy'",
      "3:9: fields must NOT have fewer than 1 items",
    ]);
    expect(at(doc(FIELD).replace("  preview: {sample_size: 1}\n", ""))).toEqual(["4:3: globals is missing required key 'preview'"]);
  });

  it("an unknown op, at the op name, listing the known ops", () => {
    const p = at(doc(FIELD.replace("{op: trim}", "{op: trimm}")));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^18:21: unknown op 'trimm' \(known ops: .*trim.*\)$/);
  });

  it("unknown, missing and mistyped op parameters", () => {
    expect(at(doc(FIELD.replace("{op: trim}", "{op: split, separator: ','}")))).toEqual([
      "18:28: op 'split' has no parameter 'separator' (parameters: sep, take)",
      "18:21: op 'split' needs 'sep'",
    ]);
    expect(at(doc(FIELD.replace("{op: trim}", "{op: take, which: middle}")))).toEqual(["18:34: 'which' must be first, last or an index ≥ 0, got string \"middle\""]);
    expect(at(doc(FIELD.replace("{op: trim}", "{op: cast, to: integer}")))).toEqual(["18:31: 'to' must be one of: long, double, boolean, string, number, date (got \"integer\")"]);
  });

  it("inputs of the wrong kind or with the wrong keys", () => {
    expect(at(doc(FIELD.replace("{kind: jsonpath, expr: $.name}", "{kind: column, expr: name}")))).toEqual([
      "17:28: unknown key 'expr' in a column input (it takes 'name')",
      "17:13: a column input needs 'name'",
    ]);
    expect(at(doc(FIELD.replace("{kind: jsonpath, expr: $.name}", "{kind: sql, expr: x}")))).toEqual(["17:20: unknown input kind \"sql\" (kinds: jsonpath, column, literal)"]);
  });

  it("a bad JSONPath points into the expression", () => {
    expect(at(doc(FIELD.replace("$.name", "'$.name['")))[0]).toMatch(/^17:44: bad JSONPath "\$\.name\["/);
  });

  it("a Python regex JavaScript cannot run, or a bad replacement, is an error at validate time", () => {
    expect(at(doc(FIELD.replace("{op: trim}", "{op: regex_replace, pattern: '(a', repl: x}")))[0]).toMatch(/^18:\d+: bad regular expression/);
    expect(at(doc(FIELD.replace("{op: trim}", "{op: regex_replace, pattern: a, repl: '\\q'}")))[0]).toMatch(/^18:\d+: bad replacement: bad escape \\q/);
  });

  it("the seed validator's post-rules", () => {
    const dup = `${FIELD}\n${FIELD}`;
    expect(at(doc(dup))).toEqual(["19:13: E_TARGET_DUPLICATE: target 'name' is already written by fields[0]"]);
    expect(at(doc(`${FIELD}\n    ignore_above: 10\n`.replace("keyword", "text")))).toEqual(["19:19: E_IGNORE_ABOVE_INVALID_TYPE: ignore_above applies to keyword fields, not text"]);
    expect(at(doc(`${FIELD}\n    copy_to: [name]`))).toEqual(["19:14: E_COPY_TO_SELF: field 'name' copies to itself"]);
    expect(at(doc(`${FIELD}\n    analyzer: my_an`))).toEqual(["19:15: E_ANALYZER_NOT_FOUND: analyzer 'my_an' is neither built in nor declared in settings.analysis.analyzer"]);
  });

  it("a pipeline longer than 50 ops is a warning, not an error", () => {
    const ops = Array.from({ length: 51 }, () => "{op: trim}").join(", ");
    const r = compileYaml(doc(FIELD.replace("[{op: trim}]", `[${ops}]`)));
    expect(r.diagnostics).toEqual([]);
    expect(r.warnings.map((w) => `${w.line}:${w.col}: ${w.message}`)).toEqual(["18:15: W_PIPELINE_TOO_LONG: 51 ops (more than 50); only the first 200 run"]);
  });

  it("dictionaries and time zones that do not exist", () => {
    expect(at(doc(FIELD.replace("{op: trim}", "{op: dict, name: nope}")))).toEqual(["18:15: op 'dict' names dictionary 'nope', which is not declared in dictionaries (declared: none)"]);
    expect(at(doc(FIELD).replace("default_tz: UTC", "default_tz: Mars/Base"))).toEqual(["10:15: unknown time zone 'Mars/Base' (an IANA name such as Europe/Paris or UTC)"]);
  });

  it("targets that collide as prefixes", () => {
    const two = `${FIELD}\n${FIELD.replace("target: name", "target: name.first")}`;
    expect(at(doc(two))).toEqual(["19:13: target 'name.first' is inside 'name', which fields[0] writes as a value"]);
  });

  it("a number where a string is expected gets a quoting hint", () => {
    expect(at(doc(FIELD).replace('dsl_version: "2.2"', "dsl_version: 2.2"))).toContain('1:14: dsl_version must be a string: write "2.2" in quotes');
  });

  it("all errors of a file are reported in one run", () => {
    const bad = doc(`${FIELD.replace("{op: trim}", "{op: trimm}")}\n${FIELD.replace("target: name", "target: other").replace("$.name", "'$['")}`);
    expect(at(bad)).toHaveLength(2);
  });
});
