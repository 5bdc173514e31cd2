import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import type { CompiledDataset } from "../../src/dsl/types";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { DEFAULT_STACK_KNOBS, resolveDruidStackKnobs } from "../../src/targets/druid/knobs";
import { buildSupervisorSpec, druidTranslationProblems } from "../../src/targets/druid/supervisor";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { messageDescriptorSetBase64 } from "../../src/proto/message-set";

const ROOT = path.resolve(__dirname, "../..");
const settlement = compileDirectory(path.join(ROOT, "dsl")).datasets.find((d) => d.name === "settlement_transactions")!;
const fullSet = buildDescriptorSet(path.join(ROOT, "dsl/proto"));
const schema = { version: fullSet.version, descriptorBase64: fullSet.bytes.toString("base64") };
const copy = () => JSON.parse(JSON.stringify(settlement)) as CompiledDataset;

describe("Druid supervisor spec of the bundled settlement dataset", () => {
  it("has no translation problems and decodes protobuf inline, flattening only what the sink uses", () => {
    expect(druidTranslationProblems(settlement)).toEqual([]);
    const spec = buildSupervisorSpec(settlement, loadStackSettings(ROOT, "dev"), schema) as any;
    // The inline descriptor holds only the message's file and its imports (byte-identical to protoc's, test/proto).
    expect(spec.spec.ioConfig.inputFormat.protoBytesDecoder).toEqual({
      type: "inline",
      descriptorString: messageDescriptorSetBase64(schema.descriptorBase64, "mapstack.settlement.v1.SettlementTransaction"),
      protoMessageType: "mapstack.settlement.v1.SettlementTransaction",
    });
    const fields = spec.spec.ioConfig.inputFormat.flattenSpec.fields as Array<{ name: string; expr: string }>;
    expect(fields).toContainEqual({ type: "path", name: "payer_name__in1", expr: "$.payer.partyId" });
    expect(fields.some((f) => f.name.startsWith("leg_ids"))).toBe(false);
    const time = spec.spec.dataSchema.transformSpec.transforms.find((t: any) => t.name === "__time");
    expect(time.expression).toContain("timestamp_parse(");
    expect(spec.spec.dataSchema.timestampSpec.missingValue).toBe("1970-01-01T00:00:00.000Z");
  });

  it("takes every knob from the stack, with the replaced procedure's prod values by default", () => {
    const dev = buildSupervisorSpec(settlement, loadStackSettings(ROOT, "dev"), schema) as any;
    expect(dev.spec.tuningConfig.maxParseExceptions).toBe(10000);
    expect(dev.spec.tuningConfig.partitionsSpec).toEqual({ type: "hashed", partitionDimensions: [], targetRowsPerSegment: 5000000 });
    expect(dev.spec.ioConfig.consumerProperties["group.id"]).toBe("druid-settlement_transactions-dev");
    const { knobs, problems } = resolveDruidStackKnobs({ druidMaxRowsInMemory: "1000", druidPartitionsSpecType: "dynamic", kafkaAutoOffsetReset: "earliest", druidPeriod: "30s" });
    expect(problems).toEqual([{ key: "druidPeriod", message: 'must be an ISO-8601 period like PT30S, got "30s"' }]);
    const custom = buildSupervisorSpec(settlement, loadStackSettings(ROOT, "dev"), schema, knobs) as any;
    expect(custom.spec.tuningConfig.maxRowsInMemory).toBe(1000);
    expect(custom.spec.tuningConfig.partitionsSpec).toEqual({ type: "dynamic", maxRowsPerSegment: DEFAULT_STACK_KNOBS.druidMaxRowsPerSegment });
    expect(custom.spec.ioConfig.consumerProperties["auto.offset.reset"]).toBe("earliest");
    const prod = buildSupervisorSpec(settlement, loadStackSettings(ROOT, "prod"), schema) as any;
    // No Kafka credential in the spec: Druid reads the JAAS line from its own environment.
    expect(prod.spec.ioConfig.consumerProperties["sasl.jaas.config"]).toBeUndefined();
    expect(prod.spec.ioConfig.consumerProperties["druid.dynamic.config.provider"]).toEqual({ type: "environment", variables: { "sasl.jaas.config": "MAPSTACK_KAFKA_SASL_JAAS_CONFIG" } });
  });

  it("applies per-dataset keys (indexSpec, exclusions, filter, partition dimensions)", () => {
    const ds = copy();
    Object.assign(ds.sinks.druid!, { dimensionExclusions: ["x"], filter: { type: "not", field: { type: "null", column: "status" } }, partitionDimensions: ["merchant_id"], indexSpec: { bitmap: { type: "concise" } } });
    const spec = buildSupervisorSpec(ds, loadStackSettings(ROOT, "dev"), schema) as any;
    expect(spec.spec.dataSchema.transformSpec.filter).toEqual({ type: "not", field: { type: "null", column: "status" } });
    expect(spec.spec.dataSchema.dimensionsSpec.dimensionExclusions).toEqual(["x"]);
    expect(spec.spec.tuningConfig.partitionsSpec.partitionDimensions).toEqual(["merchant_id"]);
    expect(spec.spec.tuningConfig.indexSpec).toEqual({ bitmap: { type: "concise" } });
  });
});

describe("ops Druid cannot express faithfully", () => {
  const withOps = (target: string, ops: CompiledDataset["fields"][number]["ops"]) => {
    const ds = copy();
    ds.fields.find((f) => f.target === target)!.ops = ops;
    return ds;
  };

  it("are problems naming the field, the op path and the reason", () => {
    const ds = withOps("merchant_id", [{ op: "trim" }, { op: "hash", algo: "sha1", salt: "" }]);
    const idx = ds.fields.findIndex((f) => f.target === "merchant_id");
    expect(druidTranslationProblems(ds)).toEqual([{ fieldIndex: idx, opPath: ["pipeline", 1], message: "field merchant_id: op 'hash': Druid expressions have no equivalent function" }]);
  });

  it("refuse strptime directives Joda-Time parses differently, inside when branches too", () => {
    const ds = withOps("created_at", [{ op: "when", cond: { kind: "is_empty", by: null }, then: [], else: [{ op: "date_parse", formats: ["%y-%m-%d"], assumeTz: null }] }]);
    ds.sinks.druid!.dimensions.push("created_at");
    const [p] = druidTranslationProblems(ds);
    expect(p.opPath).toEqual(["pipeline", 0, "else", 0]);
    expect(p.message).toMatch(/%y has no Joda-Time equivalent/);
  });

  it("do not matter for fields the druid sink does not use", () => {
    const ds = withOps("leg_ids", [{ op: "hash", algo: "sha1", salt: "" }]);
    expect(druidTranslationProblems(ds)).toEqual([]);
  });
});
