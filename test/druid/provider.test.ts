// The KafkaSupervisor provider against a fake Overlord that answers like a real one (re-serialised spec
// with Joda durations in seconds, no ioConfig.type, server defaults; 400 on already-suspended; the resource
// filter's 400 or the resource's 404 for an unknown id; skipRestartIfUnmodified only from Druid 33).
import * as path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { compileDirectory } from "../../src/dsl/compile";
import type { Json } from "../../src/dsl/types";
import { canonicalSupervisorSpec, isoDurationSeconds, sameSupervisorSpec } from "../../src/providers/druid/normalize";
import { supervisorProvider as p, type SupervisorProps } from "../../src/providers/druid/supervisor";
import { druidVersionProblems, hasSkipRestartIfUnmodified, requiredExtensions } from "../../src/providers/druid/versions";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { buildSupervisorSpec } from "../../src/targets/druid/supervisor";
import { startDruidFake, type DruidFake, type DruidFakeOptions } from "../fakes/druid-fake";

const ROOT = path.resolve(__dirname, "../..");
const KAFKA_PASSWORD = "s3cr3t-\"kafka\"-pw";
const DRUID_PASSWORD = "druid-pw-7781";
let spec: Json;

beforeAll(() => {
  const settings = loadStackSettings(ROOT, "staging");
  const ds = compileDirectory(path.join(ROOT, "dsl")).datasets.find((d) => d.name === "settlement_transactions")!;
  const set = buildDescriptorSet(path.join(ROOT, "dsl/proto"));
  spec = buildSupervisorSpec(ds, settings, { version: set.version, descriptorBase64: set.bytes.toString("base64") })!;
});

let fake: DruidFake;
const start = async (o: DruidFakeOptions = {}) => (fake = await startDruidFake({ username: "druid-admin", password: DRUID_PASSWORD, ...o }));
beforeEach(() => start());
afterEach(() => fake.close());

const props = (over: Partial<SupervisorProps> = {}): SupervisorProps => ({
  druidUrl: fake.url, druidUsername: "druid-admin", druidPassword: DRUID_PASSWORD, kafkaPassword: KAFKA_PASSWORD, druidVersion: "34.0.0",
  supervisorId: "settlement_transactions", spec, suspended: false, retired: null, ...over,
});
const posts = () => fake.requests.filter((r) => r.method === "POST" && r.path.startsWith("/druid/indexer/v1/supervisor") && !/\/(suspend|resume|terminate)$/.test(r.path));
const rawGet = async (id: string) => (await fetch(`${fake.url}/druid/indexer/v1/supervisor/${id}`, { headers: { authorization: fake.requests[0].authorization! } })).json();
const withTaskCount = (n: number) => {
  const s = JSON.parse(JSON.stringify(spec));
  s.spec.ioConfig.taskCount = n;
  return s as Json;
};

describe("create and the Kafka credentials", () => {
  it("posts the spec with the JAAS line taken from Druid's environment: no password reaches Druid or the state", async () => {
    const { id, outs } = await p.create!(props());
    expect(id).toBe("settlement_transactions");
    const sent = fake.supervisors.get(id)!.spec;
    const cp = sent.spec.ioConfig.consumerProperties;
    expect(cp["sasl.jaas.config"]).toBeUndefined();
    expect(cp["druid.dynamic.config.provider"]).toEqual({ type: "environment", variables: { "sasl.jaas.config": "MAPSTACK_KAFKA_SASL_JAAS_CONFIG" } });
    expect(cp["bootstrap.servers"]).toMatch(/kafka-0\.staging/);
    for (const text of [JSON.stringify(fake.requests), JSON.stringify(outs.spec)]) expect(text).not.toContain("s3cr3t");
  });

  it("names another environment variable when kafkaJaasEnv is set", async () => {
    const settings = loadStackSettings(ROOT, "staging");
    const ds = compileDirectory(path.join(ROOT, "dsl")).datasets.find((d) => d.name === "settlement_transactions")!;
    const set = buildDescriptorSet(path.join(ROOT, "dsl/proto"));
    const other = buildSupervisorSpec(ds, { ...settings, kafka: { ...settings.kafka, jaasEnv: "KAFKA_STAGING_JAAS" } }, { version: set.version, descriptorBase64: set.bytes.toString("base64") })!;
    await p.create!(props({ spec: other }));
    expect(posts()[0].body).toMatchObject({ spec: { ioConfig: { consumerProperties: { "druid.dynamic.config.provider": { variables: { "sasl.jaas.config": "KAFKA_STAGING_JAAS" } } } } } });
  });

  it("asks Druid 33+ to skip the restart of an unmodified spec, and never asks older releases", async () => {
    await p.create!(props({ druidVersion: "33.0.0" }));
    await p.create!(props({ druidVersion: "32.0.1" }));
    await p.create!(props({ druidVersion: null }));
    expect(posts().map((r) => r.path)).toEqual([
      "/druid/indexer/v1/supervisor?skipRestartIfUnmodified=true",
      "/druid/indexer/v1/supervisor",
      "/druid/indexer/v1/supervisor",
    ]);
  });
});

describe("reading back what a real Overlord returns", () => {
  it("the fake answers in Druid's own serialisation (so the next test can fail)", async () => {
    await p.create!(props());
    const live = await rawGet("settlement_transactions");
    expect(live.spec.ioConfig.taskDuration).toBe("PT3600S");
    expect(live.spec.ioConfig.type).toBeUndefined();
    expect(live.spec.ioConfig.stream).toBe(live.spec.ioConfig.topic);
    expect(live.spec.tuningConfig.appendableIndexSpec).toEqual({ type: "onheap", preserveExistingMetrics: false });
    expect(live.spec.tuningConfig.httpTimeout).toBe("PT10S");
    expect(live.dataSchema).toEqual(live.spec.dataSchema);
    expect(JSON.stringify(live)).not.toEqual(JSON.stringify(spec));
  });

  it("an unchanged supervisor reads back as exactly the applied spec: no drift, no diff", async () => {
    const { id, outs } = await p.create!(props());
    const read = await p.read!(id, outs);
    expect(read.props.state).toBe("RUNNING");
    expect(read.props.spec).toEqual(spec);
    expect(read.props.suspended).toBe(false);
    const diff = await p.diff!(id, read.props, props());
    expect(diff.changes).toBe(false);
  });

  it("periods in any spelling are the same period; a different one is a change", () => {
    expect(isoDurationSeconds("PT1H")).toBe(3600);
    expect(isoDurationSeconds("PT3600S")).toBe(3600);
    expect(isoDurationSeconds("P1DT30M")).toBe(88200);
    expect(isoDurationSeconds("P1M")).toBeNull();
    const s = JSON.parse(JSON.stringify(spec));
    s.spec.ioConfig.taskDuration = "PT60M";
    expect(sameSupervisorSpec(spec, s)).toBe(true);
    s.spec.ioConfig.taskDuration = "PT2H";
    expect(sameSupervisorSpec(spec, s)).toBe(false);
    const lower = JSON.parse(JSON.stringify(spec));
    lower.spec.dataSchema.granularitySpec.segmentGranularity = "hour";
    const upper = JSON.parse(JSON.stringify(spec));
    upper.spec.dataSchema.granularitySpec.segmentGranularity = { type: "period", period: "PT1H" };
    expect(canonicalSupervisorSpec(lower)).toEqual(canonicalSupervisorSpec({ ...upper, spec: { ...upper.spec, dataSchema: { ...upper.spec.dataSchema, granularitySpec: { ...upper.spec.dataSchema.granularitySpec, segmentGranularity: "HOUR" } } } }));
  });

  it("an out-of-band change (taskCount edited in the console) is a spec diff showing Druid's value", async () => {
    const { id, outs } = await p.create!(props());
    fake.supervisors.get(id)!.spec.spec.ioConfig.taskCount = 9;
    const read = await p.read!(id, outs);
    expect((read.props.spec as any).spec.ioConfig.taskCount).toBe(9);
    const diff = await p.diff!(id, read.props, props());
    expect(diff.changes).toBe(true);
    // The property path of what changed (provider protocol: UPDATE = 4), not just "spec".
    expect(diff.detailedDiff).toEqual({ "spec.spec.ioConfig.taskCount": { kind: 4, inputDiff: true } });
  });

  it("a supervisor POSTed with the password in its JAAS line (before the move to Druid's environment) reads as changed, without the password", async () => {
    const { id, outs } = await p.create!(props());
    const legacy = JSON.parse(JSON.stringify(spec));
    legacy.spec.ioConfig.consumerProperties["sasl.jaas.config"] = `org.apache.kafka.common.security.scram.ScramLoginModule required username="druid-staging" password="${KAFKA_PASSWORD.replace(/"/g, '\\"')}";`;
    fake.supervisors.get(id)!.spec = legacy;
    const read = await p.read!(id, outs);
    expect(JSON.stringify(read.props.spec)).not.toContain("s3cr3t");
    const diff = await p.diff!(id, read.props, props());
    // The JAAS line goes (DELETE = 2): the applied spec names Druid's environment instead.
    expect(diff.detailedDiff).toEqual({ 'spec.spec.ioConfig.consumerProperties["sasl.jaas.config"]': { kind: 2, inputDiff: true } });
    await p.update!(id, read.props, props());
    expect(fake.supervisors.get(id)!.spec.spec.ioConfig.consumerProperties["sasl.jaas.config"]).toBeUndefined();
  });

  it("a supervisor suspended by hand reads as suspended", async () => {
    const { id, outs } = await p.create!(props());
    fake.supervisors.get(id)!.suspended = true;
    const read = await p.read!(id, outs);
    expect(read.props.suspended).toBe(true);
    expect(Object.keys((await p.diff!(id, read.props, props())).detailedDiff ?? {})).toEqual(["suspended"]);
  });
});

describe("updates", () => {
  it("a changed spec is posted; Druid 34 is asked not to restart for an identical one", async () => {
    const { id, outs } = await p.create!(props());
    await p.update!(id, outs, props({ spec: withTaskCount(4) }));
    expect(fake.supervisors.get(id)!.spec.spec.ioConfig.taskCount).toBe(4);
    expect(fake.supervisors.get(id)!.restarts).toBe(1);
  });

  for (const version of ["32.0.0", "34.0.0"]) {
    it(`an unchanged spec is never re-posted (Druid ${version}): a credential change touches nothing`, async () => {
      await fake.close();
      await start({ version, password: "rotated-pw-1" });
      const { id, outs } = await p.create!(props({ druidVersion: version, druidPassword: "rotated-pw-1" }));
      const before = posts().length;
      await p.update!(id, outs, props({ druidVersion: version, druidPassword: "rotated-pw-1", kafkaPassword: "new-kafka-pw" }));
      expect(posts().length).toBe(before);
      expect(fake.supervisors.get(id)!.restarts).toBe(0);
    });
  }

  it("on Druid 32 a real change is posted without the parameter it does not know", async () => {
    await fake.close();
    await start({ version: "32.0.0" });
    const { id, outs } = await p.create!(props({ druidVersion: "32.0.0" }));
    await p.update!(id, outs, props({ druidVersion: "32.0.0", spec: withTaskCount(3) }));
    expect(posts().map((r) => r.path)).toEqual(["/druid/indexer/v1/supervisor", "/druid/indexer/v1/supervisor"]);
    expect(fake.supervisors.get(id)!.restarts).toBe(1);
  });

  it("suspends and resumes through /suspend and /resume, never by re-posting; Druid's 400 'already suspended' is done", async () => {
    const { id, outs } = await p.create!(props());
    const diff = await p.diff!(id, outs, props({ suspended: true }));
    expect(Object.keys(diff.detailedDiff ?? {})).toEqual(["suspended"]);
    await p.update!(id, outs, props({ suspended: true }));
    expect(fake.supervisors.get(id)!.suspended).toBe(true);
    expect(posts()).toHaveLength(1);
    // Stale state (someone suspended by hand too): the second suspend answers 400 and must not fail.
    await expect(p.update!(id, outs, props({ suspended: true }))).resolves.toBeDefined();
    expect(fake.requests.filter((r) => r.path.endsWith("/suspend")).length).toBe(2);
    await p.update!(id, props({ suspended: true }), props({ suspended: false }));
    expect(fake.supervisors.get(id)!.suspended).toBe(false);
    expect(posts()).toHaveLength(1);
  });

  it("a spec change together with a suspension is one POST carrying `suspended`", async () => {
    const { id, outs } = await p.create!(props());
    await p.update!(id, outs, props({ spec: withTaskCount(5), suspended: true }));
    expect(posts()).toHaveLength(2);
    expect(fake.supervisors.get(id)!.suspended).toBe(true);
    expect(fake.requests.some((r) => r.path.endsWith("/suspend"))).toBe(false);
  });

  it("replaces on a datasource change and updates for everything else", async () => {
    const base = props();
    const moved = await p.diff!("settlement_transactions", base, props({ supervisorId: "settlement_transactions_v2" }));
    expect(moved.replaces).toEqual(["supervisorId"]);
    expect(moved.detailedDiff).toEqual({ supervisorId: { kind: 5, inputDiff: true } }); // UPDATE_REPLACE
    const d = await p.diff!("settlement_transactions", base, props({ suspended: true }));
    expect(d.replaces).toEqual([]);
    expect(Object.keys(d.detailedDiff ?? {})).toEqual(["suspended"]);
    expect((await p.diff!("settlement_transactions", base, props({ druidUrl: `${fake.url}/` }))).changes).toBe(false);
  });

  it("a Druid URL change is a replacement: created on the new cluster, then terminated on the old one", async () => {
    const old = fake;
    const { id, outs } = await p.create!(props());
    const other = await startDruidFake({ username: "druid-admin", password: DRUID_PASSWORD });
    try {
      const news = props({ druidUrl: other.url });
      const diff = await p.diff!(id, outs, news);
      expect(diff).toMatchObject({ replaces: ["druidUrl"], deleteBeforeReplace: false });
      // Pulumi's order for create-before-delete replacement:
      await p.create!(news);
      await p.delete!(id, outs);
      expect(other.supervisors.get(id)!.terminated).toBe(false);
      expect(old.supervisors.get(id)!.terminated).toBe(true);
    } finally {
      await other.close();
    }
  });

  it("retires an old supervisor by suspending it and keeps its last applied spec", async () => {
    const { id, outs } = await p.create!(props());
    const r = await p.update!(id, outs, props({ spec: null, retired: "suspend" }));
    expect(fake.supervisors.get(id)!.suspended).toBe(true);
    expect(r.outs.spec).toEqual(outs.spec);
    expect(posts()).toHaveLength(1);
  });
});

describe("gone, and answers that only look like it", () => {
  for (const unknownId of ["filter-400", "404"] as const) {
    it(`terminates on delete; afterwards Druid's ${unknownId} for the id means deleted`, async () => {
      await fake.close();
      await start({ unknownId });
      const { id, outs } = await p.create!(props());
      await p.delete!(id, outs);
      expect(fake.supervisors.get(id)!.terminated).toBe(true);
      await expect(p.delete!(id, outs)).resolves.toBeUndefined();
      expect((await p.read!(id, outs)).id).toBe("");
    });
  }

  it("a proxy's HTML 404 on delete is a failure, not 'already gone'", async () => {
    const { id, outs } = await p.create!(props());
    fake.failNext(1, 404, "<html><head><title>404 Not Found</title></head><body>nginx</body></html>");
    await expect(p.delete!(id, outs)).rejects.toThrow(/answered 404 but not in Druid's own not-found format.*404 Not Found/);
    expect(fake.supervisors.get(id)!.terminated).toBe(false);
  });

  it("an empty or non-JSON 200 on read is an error, never 'deleted'", async () => {
    const { id, outs } = await p.create!(props());
    fake.failNext(1, 200, "");
    await expect(p.read!(id, outs)).rejects.toThrow(/answered 200 with an empty body/);
    fake.failNext(1, 200, { unexpected: true });
    await expect(p.read!(id, outs)).rejects.toThrow(/no 'spec' object/);
  });
});

describe("faults and errors", () => {
  it("retries 503s and then succeeds", async () => {
    fake.failNext(2, 503, { error: "Overlord is not leader" });
    await p.create!(props({ }));
    expect(posts()).toHaveLength(3);
    expect(fake.supervisors.has("settlement_transactions")).toBe(true);
  }, 20_000);

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

describe("Druid versions", () => {
  it("refuses 35.x for protobuf datasets with the upstream reason, accepts 34 and 36", async () => {
    const c = await p.check!(props(), props({ druidVersion: "35.0.0" }));
    expect(c.failures).toHaveLength(1);
    expect(c.failures![0].reason).toMatch(/Druid 35\.0\.0 is refused: .*apache\/druid#18730/);
    for (const v of ["34.0.0", "36.0.0", "30.0.0"]) expect((await p.check!(props(), props({ druidVersion: v }))).failures).toEqual([]);
    expect(druidVersionProblems("35.0.0", { inlineProtobuf: false })).toEqual([]);
    expect(druidVersionProblems("29.0.1", { inlineProtobuf: false })[0]).toMatch(/older than the oldest supported release \(30\.0\.0\)/);
    expect(druidVersionProblems("latest", { inlineProtobuf: false })[0]).toMatch(/not a Druid release number/);
  });

  it("skipRestartIfUnmodified from 33.0.0; extensions to load", () => {
    expect(["30.0.0", "32.0.1", "33.0.0", "34.0.0", null].map(hasSkipRestartIfUnmodified)).toEqual([false, false, true, true, false]);
    expect(requiredExtensions({ inlineProtobuf: true, basicAuth: true })).toEqual(["druid-kafka-indexing-service", "druid-protobuf-extensions", "druid-basic-security"]);
  });
});
