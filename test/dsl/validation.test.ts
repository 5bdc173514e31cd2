// Every class of validation error, each at its exact file:line:col, and all errors of a file in one run.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileFiles } from "../../src/dsl/compile";
import { formatDiagnostic } from "../../src/dsl/diagnostics";
import { compileYaml, DSL_DIR, REPO } from "./helpers";

const at = (text: string): string[] => compileYaml(text).diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);

/** A valid JSON-source dataset with `fields` (YAML block, indented 2) and optional extra sinks lines. */
const doc = (fields: string, sinks = "") => `dsl_version: "2.1"
dataset: t
source:
  format: json
fields:
${fields}
sinks:
  elasticsearch:
    index: t
${sinks}`;
// Line 6 of doc() is the first line of `fields`; sinks lines follow the fields and line 11 (index: t).

const protoDoc = (proto: string, fields: string) => `dsl_version: "2.1"
dataset: st
source:
  format: protobuf
  proto:
${proto}
fields:
${fields}
sinks:
  elasticsearch: {index: st}
`;
const PROTO_OK = "    file: settlement_transaction.proto\n    message: mapstack.settlement.v1.SettlementTransaction";

describe("validation errors, each with its exact line:col", () => {
  it("a valid dataset has no diagnostics", () => {
    expect(at(doc("  - name: id\n    from: $.id\n    type: keyword"))).toEqual([]);
  });

  it("unknown op: at the op name, listing the known ops", () => {
    expect(at(doc("  - name: id\n    from: $.id\n    ops: [trim, shout]\n    type: keyword"))).toEqual([
      "8:17: unknown op 'shout' (known ops: cast, trim, lowercase, uppercase, default, coalesce, concat, join, split, replace, date, map, zip, objectify)",
    ]);
  });
  it("unknown op given as a mapping: at its key", () => {
    expect(at(doc("  - name: id\n    from: $.id\n    ops:\n      - shout: {loud: true}\n    type: keyword"))[0]).toMatch(/^9:9: unknown op 'shout'/);
  });

  it("bad JSONPath: the column points inside the string, plain or quoted", () => {
    // plain scalar: '$' at col 11, the offending ']' at offset 6
    expect(at(doc("  - name: id\n    from: $.a[*]]\n    type: keyword"))).toEqual(["7:17: bad JSONPath '$.a[*]]': unexpected ']' at character 7"]);
    // quoted scalar: the quote is at col 11, '$' at col 12; ')' (offset 19) is where an operand was expected
    expect(at(doc('  - name: total\n    from: "$.order[?(@.total >)]"\n    type: keyword'))).toEqual([
      "7:31: bad JSONPath '$.order[?(@.total >)]': expected @.path, a string, a number, true, false or null at character 20",
    ]);
    // in a list of selectors: the second item
    expect(at(doc("  - name: id\n    from: [$.a, a.b]\n    ops: [coalesce]\n    type: keyword"))).toEqual([
      "7:17: bad JSONPath 'a.b': a JSONPath starts with '$' at character 1",
    ]);
  });

  it("op/type mismatches: objectify on a scalar, join on a single value, cast that does not fit the type", () => {
    expect(at(doc("  - name: lines\n    from: $.order.id\n    ops:\n      - objectify: {keys: [a, b]}\n    type: nested"))).toEqual([
      "9:9: objectify needs an array of tuples (zip output or a [*] selector), not a single value",
    ]);
    expect(at(doc("  - name: t\n    from: $.tags\n    ops: [{join: ','}]\n    type: keyword"))).toEqual(["8:11: join needs an array, not a single value"]);
    expect(at(doc("  - name: n\n    from: $.n\n    ops: [{cast: long}]\n    type: keyword"))).toEqual([
      "9:11: cast to long does not fit type keyword (use long, integer, date)",
    ]);
    expect(at(doc("  - name: d\n    from: $.d\n    ops: [{date: {formats: [iso8601], to: epoch_millis}}]\n    type: keyword"))).toEqual([
      "9:11: date op outputs epoch_millis; type must be date or long, not keyword",
    ]);
    expect(at(doc("  - name: n\n    from: [$.a, $.b]\n    ops: [trim]\n    type: keyword"))).toEqual([
      "8:11: trim applies to a single value or an array of values, not to several selectors; start with coalesce, concat or zip to combine the selectors",
    ]);
  });

  it("bad op arguments: at the op", () => {
    expect(at(doc("  - name: n\n    from: $.n\n    ops:\n      - cast: integer\n    type: long"))).toEqual([
      '9:9: cast needs one of string, long, double, boolean (got "integer")',
    ]);
    expect(at(doc("  - name: d\n    from: $.d\n    ops:\n      - date: {formats: [dd/MM/yy]}\n    type: date"))).toEqual([
      "9:9: unsupported letter 'y' in date pattern 'dd/MM/yy' (supported: yyyy MM dd HH mm ss SSS XXX and 'literals')",
    ]);
    expect(at(doc("  - name: d\n    from: $.d\n    ops:\n      - date: {formats: [MM/dd]}\n    type: date"))).toEqual([
      "9:9: date pattern 'MM/dd' needs at least yyyy, MM and dd",
    ]);
    expect(at(doc("  - name: s\n    from: $.s\n    ops:\n      - replace: {pattern: '(', with: x}\n    type: keyword"))[0]).toMatch(
      /^9:9: replace pattern is not a valid regular expression/,
    );
  });

  it("zip output without objectify: at the field's type", () => {
    expect(at(doc("  - name: pairs\n    from: [$.skus, $.qty]\n    ops:\n      - zip: {mode: pad}\n    type: nested"))).toEqual([
      "10:11: zip produces tuples, which no field type stores; add objectify to name their keys",
    ]);
  });
  it("objectify output into a scalar type", () => {
    expect(at(doc("  - name: pairs\n    from: [$.skus, $.qty]\n    ops:\n      - zip: {mode: truncate}\n      - objectify: {keys: [a, b]}\n    type: keyword"))).toEqual([
      "11:11: objectify produces objects; type must be nested or object, not keyword",
    ]);
  });

  it("duplicate output names: at the second name", () => {
    expect(at(doc("  - name: id\n    from: $.a\n    type: keyword\n  - name: id\n    from: $.b\n    type: keyword"))).toEqual([
      "9:11: duplicate output field 'id' (first declared as fields[0])",
    ]);
  });

  it("unknown key: at the key", () => {
    expect(at(doc("  - name: id\n    from: $.a\n    colour: red\n    type: keyword"))).toEqual(["8:5: unknown key 'colour' in fields[0]"]);
    expect(at(doc("  - name: id\n    from: $.a\n    type: keyword").replace("dataset: t", "dataset: t\ndatset: t"))).toEqual([
      "3:1: unknown key 'datset' in document",
    ]);
  });

  it("wrong dsl_version: a string, a number 2.1 (told to quote it), or missing", () => {
    const body = doc("  - name: id\n    from: $.a\n    type: keyword");
    expect(at(body.replace('dsl_version: "2.1"', 'dsl_version: "2.0"'))).toEqual(['1:14: unsupported dsl_version "2.0"; supported versions: "2.1"']);
    expect(at(body.replace('dsl_version: "2.1"', "dsl_version: 2.1"))).toEqual([
      '1:14: unsupported dsl_version 2.1 (a number: quote it); supported versions: "2.1"',
    ]);
    expect(at(body.replace('dsl_version: "2.1"\n', ""))).toEqual(['1:1: unsupported dsl_version missing; supported versions: "2.1"']);
  });

  it("druid dimension, timestamp and metric field that are not output fields", () => {
    const sinks = "  druid:\n    datasource: t\n    timestamp: {field: ts}\n    dimensions: [id, nope]\n    metrics:\n      - {name: s, type: doubleSum, field: id}\n";
    expect(at(doc("  - name: id\n    from: $.a\n    type: keyword", sinks))).toEqual([
      "14:24: timestamp field 'ts' is not an output field",
      "15:22: dimension 'nope' is not an output field",
      "17:43: metric 's' (doubleSum) needs a numeric field; 'id' is string",
    ]);
  });

  it("unknown proto message: at the message, listing the messages", () => {
    const r = at(protoDoc("    file: settlement_transaction.proto\n    message: mapstack.settlement.v1.Settlement", "  - name: id\n    from: $.transactionId\n    type: keyword"));
    expect(r).toHaveLength(1);
    expect(r[0]).toMatch(/^7:14: unknown proto message 'mapstack.settlement.v1.Settlement' in settlement_transaction.proto \(messages: .*mapstack.settlement.v1.SettlementTransaction/);
  });
  it("missing proto file: at the file name", () => {
    const r = at(protoDoc("    file: missing.proto\n    message: a.B", "  - name: id\n    from: $.transactionId\n    type: keyword"));
    expect(r).toEqual([`6:11: proto file 'missing.proto' not found (looked in ${path.join(DSL_DIR, "proto")})`]);
  });
  it("selectors that do not resolve against the proto message: at the selector", () => {
    const r = at(protoDoc(PROTO_OK, "  - name: id\n    from: $.transaction_id\n    type: keyword\n  - name: c\n    from: $.amount.value.cents\n    type: keyword"));
    expect(r).toHaveLength(2);
    expect(r[0]).toMatch(/^10:11: selector \$\.transaction_id does not resolve against mapstack.settlement.v1.SettlementTransaction: .*has no field 'transaction_id'; selectors use the proto3 JSON name 'transactionId'.* \(fields: transactionId,/);
    expect(r[1]).toBe("13:11: selector $.amount.value.cents does not resolve against mapstack.settlement.v1.SettlementTransaction: 'cents' selects into string, which has no members");
  });

  it("several errors in one file are all reported, each at its own position", () => {
    const file = path.join(REPO, "test/fixtures/dsl/broken/orders_broken.yaml");
    const r = compileFiles([file], { dslDir: DSL_DIR });
    expect(r.datasets).toEqual([]);
    expect(r.diagnostics.map(formatDiagnostic).sort()).toEqual(
      [
        `${file}:25:5: unknown key 'colour' in fields[4]`,
        `${file}:8:17: unknown op 'shout' (known ops: cast, trim, lowercase, uppercase, default, coalesce, concat, join, split, replace, date, map, zip, objectify)`,
        `${file}:11:31: bad JSONPath '$.order[?(@.total >)]': expected @.path, a string, a number, true, false or null at character 20`,
        `${file}:16:9: objectify needs an array of tuples (zip output or a [*] selector), not a single value`,
        `${file}:22:11: zip produces tuples, which no field type stores; add objectify to name their keys`,
        `${file}:23:11: duplicate output field 'order_id' (first declared as fields[0])`,
        `${file}:33:28: dimension 'no_such_field' is not an output field`,
      ].sort(),
    );
  });

  it("the same dataset name in two files is reported", () => {
    const r = compileFiles([path.join(DSL_DIR, "order_lines.yaml"), path.join(DSL_DIR, "order_lines.yaml")], { dslDir: DSL_DIR });
    expect(r.diagnostics.map((d) => d.message)).toEqual(["dataset 'order_lines' is also declared in order_lines.yaml"]);
  });

  it("the bundled datasets are valid", () => {
    const files = fs.readdirSync(DSL_DIR).filter((f) => f.endsWith(".yaml")).map((f) => path.join(DSL_DIR, f));
    const r = compileFiles(files, { dslDir: DSL_DIR });
    expect(r.diagnostics).toEqual([]);
    expect(r.datasets.map((d) => d.name).sort()).toEqual(["order_lines", "settlement_transactions"]);
  });
});
