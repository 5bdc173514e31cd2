import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import type { CompiledDataset } from "../../src/dsl/types";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { DruidCompileError } from "../../src/targets/druid/expressions";
import { planDruid } from "../../src/targets/druid";
import { buildSupervisorSpec, KAFKA_PASSWORD_PLACEHOLDER } from "../../src/targets/druid/supervisor";

const ROOT = path.resolve(__dirname, "../..");
const datasets = compileDirectory(path.join(ROOT, "dsl")).datasets;
const settlement = datasets.find((d) => d.name === "settlement_transactions")!;
const schema = { version: "abc123def456", descriptorBase64: "AAAA" };

describe("Druid supervisor spec of the bundled settlement dataset", () => {
  it("takes taskCount, replicas, taskDuration and Kafka security from each stack", () => {
    const dev = buildSupervisorSpec(settlement, loadStackSettings(ROOT, "dev"), schema) as any;
    const prod = buildSupervisorSpec(settlement, loadStackSettings(ROOT, "prod"), schema) as any;
    expect([dev.spec.ioConfig.taskCount, dev.spec.ioConfig.replicas, dev.spec.ioConfig.taskDuration]).toEqual([1, 1, "PT30M"]);
    expect([prod.spec.ioConfig.taskCount, prod.spec.ioConfig.replicas]).toEqual([6, 2]);
    expect(dev.spec.ioConfig.consumerProperties).toEqual({ "bootstrap.servers": "kafka-0.dev.data.internal:9092,kafka-1.dev.data.internal:9092", "security.protocol": "PLAINTEXT" });
    expect(prod.spec.ioConfig.consumerProperties["sasl.jaas.config"]).toBe(
      `org.apache.kafka.common.security.scram.ScramLoginModule required username="druid-prod" password="${KAFKA_PASSWORD_PLACEHOLDER}";`);
  });

  it("decodes protobuf inline with the descriptor set and the DSL's message, flattening the DSL selectors", () => {
    const spec = buildSupervisorSpec(settlement, loadStackSettings(ROOT, "dev"), schema) as any;
    expect(spec.spec.ioConfig.inputFormat.protoBytesDecoder).toEqual({ type: "inline", descriptorString: "AAAA", protoMessageType: "mapstack.settlement.v1.SettlementTransaction" });
    const fields = spec.spec.ioConfig.inputFormat.flattenSpec.fields as Array<{ name: string; expr: string }>;
    expect(fields.find((f) => f.name === "payer_name__in1")).toEqual({ type: "path", name: "payer_name__in1", expr: "$.payer.partyId" });
    // Only what the druid sink uses is flattened (leg_ids is an ES-only field).
    expect(fields.some((f) => f.name.startsWith("leg_ids"))).toBe(false);
  });

  it("expresses the DSL ops as Druid expressions and types dimensions", () => {
    const spec = buildSupervisorSpec(settlement, loadStackSettings(ROOT, "dev"), schema) as any;
    const t = Object.fromEntries((spec.spec.dataSchema.transformSpec.transforms as any[]).map((x) => [x.name, x.expression]));
    expect(t.merchant_id).toBe('upper(trim("merchant_id__in0"))');
    expect(t.payer_name).toBe('trim(nvl("payer_name__in0", "payer_name__in1"))');
    expect(t.channel).toBe("nvl(lower(\"channel__in0\"), 'unknown')");
    expect(t.amount).toBe("cast(\"amount__in0\", 'DOUBLE')");
    expect(t.status).toContain("\"status__in0\" == 'SETTLEMENT_STATUS_SETTLED', 'settled'");
    expect(t.__time).toBe("timestamp_parse(nvl(\"settled_at__in0\", \"settled_at__in1\"), null, 'UTC')");
    expect(spec.spec.dataSchema.metricsSpec).toEqual([
      { type: "count", name: "count" }, { type: "doubleSum", name: "amount_sum", fieldName: "amount" }, { type: "doubleMax", name: "amount_max", fieldName: "amount" }]);
    expect(spec.spec.dataSchema.granularitySpec).toEqual({ type: "uniform", segmentGranularity: "HOUR", queryGranularity: "MINUTE", rollup: false });
  });

  it("suspends every supervisor when the stack sets druidSuspended", () => {
    const s = { ...loadStackSettings(ROOT, "dev") };
    s.druid = { ...s.druid, suspended: true };
    expect((buildSupervisorSpec(settlement, s, schema) as any).suspended).toBe(true);
  });
});

describe("ops Druid cannot express", () => {
  const withOps = (ops: CompiledDataset["fields"][number]["ops"], shape: "single" | "objects" = "single"): CompiledDataset => {
    const ds = JSON.parse(JSON.stringify(settlement)) as CompiledDataset;
    const f = ds.fields.find((x) => x.name === "merchant_id")!;
    f.ops = ops;
    f.shape = shape;
    return ds;
  };

  it("fail with the dataset, the field and the op, at the field's place in the DSL file", () => {
    const ds = withOps([{ op: "objectify", keys: ["a"] }], "objects");
    expect(() => buildSupervisorSpec(ds, loadStackSettings(ROOT, "dev"), schema)).toThrow(DruidCompileError);
    expect(() => buildSupervisorSpec(ds, loadStackSettings(ROOT, "dev"), schema)).toThrow(/dataset settlement_transactions, field merchant_id: op 'objectify'/);
    const others = datasets.filter((d) => d !== settlement);
    expect(() => planDruid(loadStackSettings(ROOT, "dev"), [ds, ...others], ROOT, null)).toThrow(/settlement_transactions\.yaml:\d+:\d+: dataset settlement_transactions, field merchant_id: op 'objectify'/);
  });

  it("reject cast to boolean (Druid has no boolean type)", () => {
    expect(() => buildSupervisorSpec(withOps([{ op: "cast", to: "boolean" }]), loadStackSettings(ROOT, "dev"), schema)).toThrow(/cast: boolean/);
  });

  it("do not matter for fields the druid sink does not use", () => {
    const ds = JSON.parse(JSON.stringify(settlement)) as CompiledDataset;
    ds.fields.find((x) => x.name === "leg_ids")!.ops = [{ op: "objectify", keys: ["a"] }];
    expect(buildSupervisorSpec(ds, loadStackSettings(ROOT, "dev"), schema)).not.toBeNull();
  });
});
