// The stack program under Pulumi mocks in a plain node child (vitest's transforms break closure
// serialisation): S3 objects and supervisors with the expected inputs, secrets kept secret and out of the
// serialised provider, and the breaking-change gate failing preview before any resource is registered.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { startDruidFake, type DruidFake } from "../fakes/druid-fake";

const REPO = path.resolve(__dirname, "..", "..");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const VERSION = buildDescriptorSet(path.join(REPO, "dsl/proto")).version;

async function mockRun(stack: string, druidUrl = "-", projectDir?: string) {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, "mock-run.js"), stack, druidUrl, ...(projectDir ? [projectDir] : [])], { cwd: REPO, maxBuffer: 64 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

let fake: DruidFake;
beforeAll(async () => (fake = await startDruidFake({ username: "mapstack-dev", password: "druid-password-SECRET-3" })));
afterAll(() => fake.close());

describe.each(["dev", "prod"])("stack %s under mocks", (stack) => {
  let run: any;
  beforeAll(async () => (run = await mockRun(stack, stack === "dev" ? fake.url : "-")), 120_000);
  const find = (name: string) => run.registrations.find((r: any) => r.name === name);

  it("uploads the descriptor set under <prefix>/<version>/ and records the version the stack runs", () => {
    const set = find(`schema-${VERSION}`).inputs;
    expect(set.bucket).toBe(`acme-data-schemas-${stack}`);
    expect(set.key).toBe(`schemas/${VERSION}/descriptors.binpb`);
    expect(Buffer.from(set.contentBase64, "base64").equals(buildDescriptorSet(path.join(REPO, "dsl/proto")).bytes)).toBe(true);
    const record = JSON.parse(find(`schema-record-${stack}`).inputs.content);
    expect(find(`schema-record-${stack}`).inputs.key).toBe(`schemas/stacks/${stack}.json`);
    expect(record).toMatchObject({ stack, version: VERSION, alias: stack === "prod" ? "stable" : "develop-latest" });
    // The replaced repository's pointer folder holds a copy of the version the stack runs.
    const pointer = find(`schema-pointer-${stack}`).inputs;
    expect(pointer.key).toBe(`schemas/${record.alias}/descriptors.binpb`);
    expect(pointer.contentBase64).toBe(set.contentBase64);
  });

  it("registers one Druid component per dataset with a druid sink, holding its Kafka supervisor", () => {
    const names = run.registrations.filter((r: any) => r.type.includes("druid")).map((r: any) => `${r.type}::${r.name}`).sort();
    expect(names).toEqual([
      "mapstack:druid:Dataset::settlement_transactions",
      "pulumi-nodejs:dynamic/druid:KafkaSupervisor::druid-supervisor-settlement_transactions",
    ]);
    const sup = find("druid-supervisor-settlement_transactions").inputs;
    expect(sup.supervisorId).toBe("settlement_transactions");
    expect(sup.spec.spec.ioConfig.taskCount).toBe(stack === "prod" ? 6 : 1);
    expect(sup.spec.spec.ioConfig.inputFormat.protoBytesDecoder.descriptorString).toBe(buildDescriptorSet(path.join(REPO, "dsl/proto")).bytes.toString("base64"));
    expect(run.outputs.settlement_transactions).toMatchObject({ datasource: "settlement_transactions", schemaVersion: VERSION });
  });

  it("passes the Druid password as a secret; no Kafka credential anywhere (Druid reads it from its environment)", () => {
    const sup = find("druid-supervisor-settlement_transactions");
    expect(sup.inputs.druidPassword[SECRET_SIG]).toBeDefined();
    expect(sup.inputs.kafkaPassword).toBeUndefined();
    expect(JSON.stringify(sup.inputs)).not.toContain("kafka-password-SECRET-4");
    expect(JSON.stringify(sup.inputs.spec)).not.toContain("SECRET-");
    expect(sup.providerChars).toBeGreaterThan(0);
    expect(sup.providerHasSecret).toBe(false);
  });

  if (stack === "dev") {
    it("the serialised provider, loaded as Pulumi's host does, creates the supervisor on a Druid", () => {
      expect(run.created).toEqual(["settlement_transactions"]);
      expect(fake.supervisors.get("settlement_transactions")!.spec.spec.dataSchema.dataSource).toBe("settlement_transactions");
    });
  }
});

describe("breaking-change gate in the program", () => {
  let project: string;
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-gate-"));
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(REPO, f), path.join(project, f));
    fs.cpSync(path.join(REPO, "dsl"), path.join(project, "dsl"), { recursive: true });
    fs.mkdirSync(path.join(project, "schemas"));
    fs.copyFileSync(path.join(REPO, "schemas", `${VERSION}.binpb`), path.join(project, "schemas", `${VERSION}.binpb`));
    fs.writeFileSync(path.join(project, "schemas/lock.json"), JSON.stringify({ stacks: { dev: { version: VERSION, history: [VERSION] } } }));
    const proto = path.join(project, "dsl/proto/settlement_transaction.proto");
    fs.writeFileSync(proto, fs.readFileSync(proto, "utf8").replace("  string iban = 3;\n", ""));
  });

  it("fails preview with buf's rule and the field, before any resource is registered", async () => {
    const run = await mockRun("dev", "-", project);
    expect(run.registrations).toBe(0);
    expect(run.error).toMatch(/FIELD_NO_DELETE/);
    expect(run.error).toMatch(/message Party, field iban/);
    expect(run.error).toMatch(/settlement_transactions\.yaml:1:1: dataset settlement_transactions: .*needs a new datasource/);
  }, 120_000);

  it("lets the change through when the DSL moves to a new datasource, suspending the old supervisor", async () => {
    const dsl = path.join(project, "dsl/settlement_transactions.yaml");
    fs.writeFileSync(dsl, fs.readFileSync(dsl, "utf8").replace(
      "    datasource: settlement_transactions\n",
      "    datasource: settlement_transactions_v2\n    replaces: {datasource: settlement_transactions, old_supervisor: suspend}\n"));
    const run = await mockRun("dev", "-", project);
    expect(run.error).toBeUndefined();
    const sups = run.registrations.filter((r: any) => r.type.endsWith("KafkaSupervisor"));
    expect(sups.map((r: any) => [r.name, r.inputs.supervisorId, r.inputs.retired]).sort()).toEqual([
      ["druid-supervisor-settlement_transactions", "settlement_transactions", "suspend"],
      ["druid-supervisor-settlement_transactions_v2", "settlement_transactions_v2", null],
    ]);
  }, 120_000);
});
