import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import { checkWireCompat, compareEsFieldTypes } from "../../src/proto/compat";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { wireVerdicts } from "../../src/proto/gate";

const CORPUS = path.join(__dirname, "corpus");
/** Every case changes the same old schema; only its new/ differs. */
const OLD = path.join(CORPUS, "base");
type Expect = { breaking: boolean; rules: string[]; message: string | null; field: string | null };
const EXPECT = JSON.parse(fs.readFileSync(path.join(CORPUS, "expect.json"), "utf8")) as Record<string, Expect>;

describe("compat gate on the old/new proto corpus (buf breaking, WIRE_JSON)", () => {
  for (const [name, exp] of Object.entries(EXPECT)) {
    const dir = path.join(CORPUS, name);
    it(`${name}: ${exp.breaking ? `breaking (${exp.rules.join(" | ")})` : "compatible"} — proto directories`, () => {
      const verdicts = checkWireCompat(path.join(dir, "new"), OLD);
      if (!exp.breaking) {
        expect(verdicts).toEqual([]);
        return;
      }
      expect(verdicts.length).toBeGreaterThan(0);
      expect(verdicts.some((v) => exp.rules.some((r) => v.rule.startsWith(r)))).toBe(true);
      expect(verdicts.every((v) => v.file === "order.proto" && v.line > 0)).toBe(true);
      expect(verdicts.some((v) => v.message === exp.message)).toBe(true);
      if (exp.field) expect(verdicts.some((v) => v.field === exp.field)).toBe(true);
    });
    it(`${name}: same verdict between built descriptor sets (what the program compares)`, () => {
      const verdicts = wireVerdicts(buildDescriptorSet(path.join(dir, "new")), buildDescriptorSet(OLD));
      expect(verdicts.length > 0).toBe(exp.breaking);
      if (exp.breaking) expect(verdicts.some((v) => exp.rules.some((r) => v.rule.startsWith(r)))).toBe(true);
    });
  }
});

describe("Elasticsearch field-type changes", () => {
  const DSL = path.resolve(__dirname, "../../dsl");
  const base = compileDirectory(DSL).datasets;
  const clone = () => JSON.parse(JSON.stringify(base)) as typeof base;

  it("reports a mapped field whose type changed while the index version stayed", () => {
    const next = clone();
    next.find((d) => d.name === "settlement_transactions")!.fields.find((f) => f.target === "batch_number")!.type = "keyword";
    expect(compareEsFieldTypes(base, next)).toEqual([
      { dataset: "settlement_transactions", file: "settlement_transactions.yaml", index: "settlement-transactions", version: 1, field: "batch_number", from: "long", to: "keyword" },
    ]);
  });

  it("accepts the change once sinks.elasticsearch.version is bumped, and ignores unchanged datasets", () => {
    const next = clone();
    const ds = next.find((d) => d.name === "settlement_transactions")!;
    ds.fields.find((f) => f.target === "batch_number")!.type = "keyword";
    ds.sinks.elasticsearch!.version += 1;
    expect(compareEsFieldTypes(base, next)).toEqual([]);
    expect(compareEsFieldTypes(base, clone())).toEqual([]);
  });
});
