import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { recordStackVersion, storeDescriptorSet } from "../../src/proto/store";
import type { MockRunOptions, MockRunResult } from "./mock-program";
import { cli, copyProject, mockRuns, touchDataset } from "./project";

let dir: string;
const prodFile = () => fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");

function storeCurrentProto(): string {
  const set = buildDescriptorSet(path.join(dir, "dsl/proto"));
  storeDescriptorSet(dir, set);
  return set.version;
}

describe("mapstack rollback (schema only)", () => {
  let v1: string;
  let v2: string;
  beforeEach(() => {
    dir = copyProject();
    v1 = storeCurrentProto();
    recordStackVersion(dir, "prod", v1);
    fs.appendFileSync(path.join(dir, "dsl/proto/settlement_transaction.proto"), "\nmessage SettlementAudit { string note = 1; }\n");
    v2 = storeCurrentProto();
    recordStackVersion(dir, "prod", v2);
  });

  it("pins an older stored version by prefix, keeping the file's comments, and prints the diff", async () => {
    expect(v1).not.toBe(v2);
    const before = prodFile();
    const r = await cli(dir, "rollback", "--stack", "prod", "--schema-version", v1.slice(0, 7));
    expect(r.code).toBe(0);
    expect(parse(prodFile()).config["mapstack:schemaVersion"]).toBe(v1);
    expect(prodFile().startsWith(before)).toBe(true);
    expect(r.out).toContain(`+  mapstack:schemaVersion: ${v1}`);
    expect(r.out).toContain("pulumi up --stack prod");
    expect(r.err).toBe("");
    // Forward again replaces the pin in place: a one-line diff.
    const fwd = await cli(dir, "rollback", "--stack", "prod", "--schema-version", v2);
    expect(fwd.out.split("\n").filter((l) => /^[-+] /.test(l))).toEqual([`-  mapstack:schemaVersion: ${v1}`, `+  mapstack:schemaVersion: ${v2}`]);
  });

  it("refuses a version that is not stored, naming the stored ones", async () => {
    const before = prodFile();
    const r = await cli(dir, "rollback", "--stack", "prod", "--schema-version", "abc123f");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/abc123f is not committed/);
    expect(r.err).toContain(v1);
    expect(prodFile()).toBe(before);
    expect((await cli(dir, "rollback", "--stack", "prod", "--schema-version", "not-hex")).code).toBe(2);
  });

  it("--list shows the stack's history and the stored versions", async () => {
    const r = await cli(dir, "rollback", "--stack", "prod", "--list");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`deploy history (oldest first): ${v1} ${v2}`);
  });
});

const mockRun = (projectDir: string, stack: string, extra: Partial<MockRunOptions> = {}) => mockRuns([{ projectDir, stack, ...extra }])[0];

/** What a deployment of a commit consists of: every registration plus the exported outputs, minus timing. */
function deployed(r: MockRunResult): unknown {
  expect(r.error).toBeUndefined();
  const key = (x: { type: string; name: string }) => `${x.type}::${x.name}`;
  const registrations = r.registrations.map(({ type, name, inputs, protect }) => ({ type, name, inputs, protect })).sort((x, y) => (key(x) < key(y) ? -1 : 1));
  expect(registrations.length).toBeGreaterThan(0);
  return { registrations, outputs: r.outputs };
}

describe("whole-stack rollback = redeploying an earlier commit", () => {
  it("state A, then B, then A again registers exactly what A registered", () => {
    dir = copyProject();
    const stateA = path.join(dir, "dsl-a");
    fs.cpSync(path.join(dir, "dsl"), stateA, { recursive: true });
    const a = deployed(mockRun(dir, "dev"));
    touchDataset(dir, "order_lines.yaml", "state B");
    const text = fs.readFileSync(path.join(dir, "dsl/order_lines.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, "dsl/order_lines.yaml"), text.replace("fields:\n", "fields:\n  - target: channel\n    type: keyword\n    input: [{kind: jsonpath, expr: $.order.channel}]\n    pipeline: []\n"));
    const b = deployed(mockRun(dir, "dev"));
    fs.rmSync(path.join(dir, "dsl"), { recursive: true });
    fs.cpSync(stateA, path.join(dir, "dsl"), { recursive: true });
    const a2 = deployed(mockRun(dir, "dev"));
    expect(b).not.toEqual(a);
    expect(a2).toEqual(a);
  });
});
