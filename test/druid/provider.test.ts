import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import type { Json } from "../../src/dsl/types";
import { normalizeSupervisorSpec } from "../../src/providers/druid/normalize";
import { supervisorProvider as p, type SupervisorProps } from "../../src/providers/druid/supervisor";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { buildSupervisorSpec } from "../../src/targets/druid/supervisor";
import { startDruidFake, type DruidFake } from "../fakes/druid-fake";

const ROOT = path.resolve(__dirname, "../..");
const PASSWORD = "s3cr3t-\"kafka\"-pw";
let spec: Json;

beforeAll(() => {
  const settings = loadStackSettings(ROOT, "staging");
  const ds = compileDirectory(path.join(ROOT, "dsl")).datasets.find((d) => d.name === "settlement_transactions")!;
  const set = buildDescriptorSet(path.join(ROOT, "dsl/proto"));
  spec = buildSupervisorSpec(ds, settings, { version: set.version, descriptorBase64: set.bytes.toString("base64") })!;
});

let fake: DruidFake;
beforeEach(async () => {
  fake = await startDruidFake({ username: "druid-admin", password: "druid-pw" });
});
afterEach(() => fake.close());

const props = (over: Partial<SupervisorProps> = {}): SupervisorProps => ({
  druidUrl: fake.url, druidUsername: "druid-admin", druidPassword: "druid-pw", kafkaPassword: PASSWORD,
  supervisorId: "settlement_transactions", spec, suspended: false, retired: null, ...over,
});
const posts = () => fake.requests.filter((r) => r.method === "POST" && r.path.startsWith("/druid/indexer/v1/supervisor?"));

describe("KafkaSupervisor provider against the fake Overlord", () => {
  it("creates with skipRestartIfUnmodified, the Kafka password filled in, and keeps only the placeholder in state", async () => {
    const { id, outs } = await p.create!(props());
    expect(id).toBe("settlement_transactions");
    expect(posts().map((r) => r.path)).toEqual(["/druid/indexer/v1/supervisor?skipRestartIfUnmodified=true"]);
    const jaas = fake.supervisors.get(id)!.spec.spec.ioConfig.consumerProperties["sasl.jaas.config"] as string;
    expect(jaas).toContain('password="s3cr3t-\\"kafka\\"-pw"');
    expect(JSON.stringify(outs.spec)).not.toContain("s3cr3t");
    expect(JSON.stringify(outs.spec)).toContain("<secret:kafkaSaslPassword>");
  });

  it("reads back Druid's defaults-filled spec without reporting drift", async () => {
    const { id, outs } = await p.create!(props());
    const live = fake.supervisors.get(id)!;
    expect(live).toBeDefined();
    const read = await p.read!(id, outs);
    expect(read.props.state).toBe("RUNNING");
    expect(read.props.spec).toEqual(normalizeSupervisorSpec(spec));
    expect(JSON.stringify(read.props.spec)).not.toContain("s3cr3t-");
    const diff = await p.diff!(id, read.props, props());
    expect(diff.changes).toBe(false);
  });

  it("shows an out-of-band change (taskCount edited in the console) as a spec diff", async () => {
    const { id, outs } = await p.create!(props());
    fake.supervisors.get(id)!.spec.spec.ioConfig.taskCount = 9;
    const read = await p.read!(id, outs);
    const diff = await p.diff!(id, read.props, props());
    expect(diff.changes).toBe(true);
    expect(Object.keys(diff.detailedDiff ?? {})).toEqual(["spec"]);
  });

  it("posts a changed spec as an update, and Druid does not restart tasks for an identical one", async () => {
    const { id, outs } = await p.create!(props());
    const changed = JSON.parse(JSON.stringify(spec));
    changed.spec.ioConfig.taskCount = 4;
    await p.update!(id, outs, props({ spec: changed }));
    expect(fake.supervisors.get(id)!.spec.spec.ioConfig.taskCount).toBe(4);
    const restarts = fake.supervisors.get(id)!.restarts;
    await p.update!(id, props({ spec: changed }), props({ spec: changed, druidUrl: fake.url }));
    expect(fake.supervisors.get(id)!.restarts).toBe(restarts);
  });

  it("suspends and resumes through /suspend and /resume, treating Druid's 400 'already suspended' as done", async () => {
    const { id, outs } = await p.create!(props());
    await p.update!(id, outs, props({ suspended: true }));
    expect(fake.supervisors.get(id)!.suspended).toBe(true);
    expect(posts()).toHaveLength(1);
    // State is stale (someone suspended by hand too): the second suspend answers 400 and must not fail.
    await expect(p.update!(id, outs, props({ suspended: true }))).resolves.toBeDefined();
    expect(fake.requests.filter((r) => r.path.endsWith("/suspend")).length).toBe(2);
    await p.update!(id, props({ suspended: true }), props({ suspended: false }));
    expect(fake.supervisors.get(id)!.suspended).toBe(false);
  });

  it("replaces on a datasource change and updates for everything else", async () => {
    const base = props();
    expect((await p.diff!("settlement_transactions", base, props({ supervisorId: "settlement_transactions_v2" }))).replaces).toEqual(["supervisorId"]);
    const d = await p.diff!("settlement_transactions", base, props({ suspended: true }));
    expect(d.replaces).toEqual([]);
    expect(Object.keys(d.detailedDiff ?? {})).toEqual(["suspended"]);
  });

  it("retires an old supervisor by suspending it and keeps its last applied spec", async () => {
    const { id, outs } = await p.create!(props());
    const r = await p.update!(id, outs, props({ spec: null, retired: "suspend" }));
    expect(fake.supervisors.get(id)!.suspended).toBe(true);
    expect(r.outs.spec).toEqual(outs.spec);
    expect(posts()).toHaveLength(1);
  });

  it("terminates on delete, and a supervisor already gone (404) counts as deleted", async () => {
    const { id, outs } = await p.create!(props());
    await p.delete!(id, outs);
    expect(fake.supervisors.get(id)!.terminated).toBe(true);
    await expect(p.delete!(id, outs)).resolves.toBeUndefined();
    expect((await p.read!(id, outs)).id).toBe("");
  });

  it("retries 503s and then succeeds", async () => {
    fake.failNext(2, 503, { error: "Overlord is not leader" });
    await p.create!(props());
    expect(posts()).toHaveLength(3);
    expect(fake.supervisors.has("settlement_transactions")).toBe(true);
  });

  it("fails a bad password with a clear error that does not print it", async () => {
    const err = await p.create!(props({ druidPassword: "wrong-password-123" })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/Druid POST .* supervisor 'settlement_transactions'.*401/);
    expect((err as Error).message).not.toContain("wrong-password-123");
  });

  it("surfaces Druid's reason for a rejected spec", async () => {
    fake.failNext(1, 400, { error: "Cannot construct instance of `InputFormat`, problem: protoMessageType not found" });
    const err = await p.create!(props()).catch((e: Error) => e);
    expect((err as Error).message).toContain("protoMessageType not found");
  });
});
