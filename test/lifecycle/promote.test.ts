import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileDirectory } from "../../src/dsl/compile";
import { buildDescriptorSet } from "../../src/proto/descriptor-set";
import { storeDescriptorSet } from "../../src/proto/store";
import { cli, copyProject, touchDataset } from "./project";

let dir: string;
const stackFile = (stack: string) => fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");
const config = (stack: string) => parse(stackFile(stack)).config as Record<string, unknown>;
const hashes = () => Object.fromEntries(compileDirectory(path.join(dir, "dsl")).datasets.map((d) => [d.name, d.contentHash]));
let version: string;

beforeEach(() => {
  dir = copyProject();
  version = storeDescriptorSet(dir, buildDescriptorSet(path.join(dir, "dsl/proto"))).match(/([0-9a-f]{12})\.binpb$/)![1];
});

describe("mapstack promote", () => {
  it("pins every dataset, the schema version and the source into the target file, keeping comments, and prints the diff", async () => {
    const before = stackFile("staging");
    const r = await cli(dir, "promote", "--from", "dev", "--to", "staging");
    expect(r.code).toBe(0);
    const h = hashes();
    const pins = Object.keys(h).sort().map((n) => `${n}@${h[n]}`);
    expect(config("staging")["mapstack:datasetPins"]).toEqual(pins);
    expect(config("staging")["mapstack:schemaVersion"]).toBe(version);
    expect(config("staging")["mapstack:promotedFrom"]).toBe("dev");
    const after = stackFile("staging");
    // Every original line (comments included) is still there, in order, as the first lines of the file.
    expect(after.startsWith(before)).toBe(true);
    expect(r.out).toContain("--- a/Pulumi.staging.yaml");
    for (const p of pins) expect(r.out).toContain(`+    - ${p}`);
    expect(r.out).toContain(`+  mapstack:schemaVersion: ${version}`);
    // Promoting again changes nothing.
    const again = await cli(dir, "promote", "--from", "dev", "--to", "staging");
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/nothing to change/);
    expect(stackFile("staging")).toBe(after);
  });

  it("--dry-run prints the diff and writes nothing", async () => {
    const before = stackFile("staging");
    const r = await cli(dir, "promote", "--from", "dev", "--to", "staging", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toContain("+  mapstack:promotedFrom: dev");
    expect(stackFile("staging")).toBe(before);
  });

  it("refuses to skip a stage or go backwards unless forced", async () => {
    const before = stackFile("prod");
    const skip = await cli(dir, "promote", "--from", "dev", "--to", "prod");
    expect(skip.code).toBe(1);
    expect(skip.err).toMatch(/skips a stage \(dev → prod\).*--force/);
    expect(stackFile("prod")).toBe(before);
    expect((await cli(dir, "promote", "--from", "staging", "--to", "dev")).err).toMatch(/goes backwards/);
    const forced = await cli(dir, "promote", "--from", "dev", "--to", "prod", "--force");
    expect(forced.code).toBe(0);
    expect(config("prod")["mapstack:promotedFrom"]).toBe("dev");
  });

  it("refuses when the source stack's settings or dsl/ are invalid", async () => {
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackFile("dev").replace("mapstack:esShards: 1", "mapstack:esShards: one"));
    const bad = await cli(dir, "promote", "--from", "dev", "--to", "staging");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Pulumi\.dev\.yaml:\d+:\d+: mapstack:esShards must be an integer/);
    expect(bad.err).toMatch(/source stack 'dev' has invalid settings/);
    fs.copyFileSync(path.join(__dirname, "../../Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    const ol = path.join(dir, "dsl/order_lines.yaml");
    fs.writeFileSync(ol, fs.readFileSync(ol, "utf8").replace("pipeline: [{op: trim}, {op: upper}]", "pipeline: [{op: trimm}]"));
    const badDsl = await cli(dir, "promote", "--from", "dev", "--to", "staging");
    expect(badDsl.code).toBe(1);
    expect(badDsl.err).toMatch(/order_lines\.yaml:\d+:\d+/);
    expect(badDsl.err).toMatch(/dsl\/ does not validate/);
    expect(config("staging")["mapstack:datasetPins"]).toBeUndefined();
  });

  it("staging → prod moves what staging pins, and refuses when dsl/ changed since", async () => {
    expect((await cli(dir, "promote", "--from", "dev", "--to", "staging")).code).toBe(0);
    expect((await cli(dir, "promote", "--from", "staging", "--to", "prod")).code).toBe(0);
    expect(config("prod")["mapstack:datasetPins"]).toEqual(config("staging")["mapstack:datasetPins"]);
    expect(config("prod")["mapstack:promotedFrom"]).toBe("staging");
    touchDataset(dir, "order_lines.yaml", "changed after staging validated it");
    const r = await cli(dir, "promote", "--from", "staging", "--to", "prod");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/order_lines: staging pins [0-9a-f]{16}, dsl\/ holds [0-9a-f]{16}/);
  });

  it("refuses to drop a dataset from a stack that does not allow deletion", async () => {
    expect((await cli(dir, "promote", "--from", "dev", "--to", "staging")).code).toBe(0);
    expect((await cli(dir, "promote", "--from", "staging", "--to", "prod")).code).toBe(0);
    // Removing a dataset: dev and staging see it go first, then prod must opt in.
    fs.rmSync(path.join(dir, "dsl/order_lines.yaml"));
    expect((await cli(dir, "promote", "--from", "dev", "--to", "staging")).code).toBe(0);
    const r = await cli(dir, "promote", "--from", "staging", "--to", "prod");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/remove dataset\(s\) order_lines from prod.*allowDatasetDeletion false/);
  });

  it("refuses a schema version that is not committed under schemas/", async () => {
    fs.rmSync(path.join(dir, "schemas"), { recursive: true });
    const r = await cli(dir, "promote", "--from", "dev", "--to", "staging");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not committed/);
  });
});
