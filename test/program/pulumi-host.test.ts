// The program must load as Pulumi's Node.js host loads it (plain node + ts-node, CommonJS), and bad
// input must stop it before any resource is registered.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { REPO, stackConfig } from "../support/stack-config";

function loadAsPulumi(stack: string) {
  const r = spawnSync(process.execPath, [path.join(REPO, "test/program/load-as-pulumi.js"), stack], { encoding: "utf8", cwd: REPO });
  return { status: r.status, stderr: r.stderr, result: r.status === 0 ? JSON.parse(r.stdout.trim().split("\n").pop()!) : null };
}

describe("stack program under Pulumi's Node.js host", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`loads for ${stack} and exports the stack outputs`, () => {
      const r = loadAsPulumi(stack);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.status).toBe(0);
      expect(r.result.exports).toEqual(expect.arrayContaining(["stack", "environment", "datasets", "compileReport"]));
      const count = (type: string) => r.result.registered.filter((x: { type: string }) => x.type === type).length;
      // Bundled example: two datasets to Elasticsearch, one of them to Druid, both observed.
      expect(count("pulumi-nodejs:dynamic/elasticsearch:IndexTemplate")).toBe(2);
      expect(count("pulumi-nodejs:dynamic/elasticsearch:IngestPipeline")).toBe(2);
      expect(count("pulumi-nodejs:dynamic/elasticsearch:IlmPolicy")).toBe(2);
      expect(count("pulumi-nodejs:dynamic/druid:KafkaSupervisor")).toBe(1);
      expect(count("grafana:oss/dashboard:Dashboard")).toBe(2);
      expect(count("grafana:oss/folder:Folder")).toBe(1);
      expect(count("kubernetes:monitoring.coreos.com/v1:PrometheusRule")).toBe(3);
    });
  }
});

describe("bad input registers nothing", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function project(mutate: (dir: string) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-bad-"));
    dirs.push(dir);
    fs.cpSync(path.join(REPO, "dsl"), path.join(dir, "dsl"), { recursive: true });
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
    mutate(dir);
    return dir;
  }

  async function run(dir: string, config: Record<string, string>) {
    const registered: string[] = [];
    pulumi.runtime.setAllConfig(config, Object.keys(config).filter((k) => /Password|ApiKey|Token/.test(k)));
    await pulumi.runtime.setMocks(
      { newResource: (a) => (registered.push(`${a.type}::${a.name}`), { id: a.name, state: a.inputs }), call: (a) => a.inputs },
      "mapstack", "dev", true,
    );
    const { runProgram } = await import("../../src/program");
    let error: Error | null = null;
    try {
      runProgram(dir);
    } catch (e) {
      error = e as Error;
    }
    return { registered, error };
  }

  it("an invalid DSL file fails with file:line:col and no resource", async () => {
    const dir = project((d) => {
      const f = path.join(d, "dsl", "order_lines.yaml");
      fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace("- trim\n", "- trimm\n"));
    });
    const { registered, error } = await run(dir, stackConfig("dev").config);
    expect(error?.message).toMatch(/order_lines\.yaml:\d+:\d+: unknown op 'trimm'/);
    expect(registered).toEqual([]);
  });

  it("an ill-typed setting fails naming the key and no resource", async () => {
    const dir = project(() => undefined);
    const { config } = stackConfig("dev");
    const { registered, error } = await run(dir, { ...config, "mapstack:esShards": "three" });
    expect(error?.message).toMatch(/mapstack:esShards must be an integer, got "three"/);
    expect(registered).toEqual([]);
  });

  it("a missing required setting fails naming the key", async () => {
    const dir = project(() => undefined);
    const { config } = stackConfig("dev");
    delete config["mapstack:esUrl"];
    const { error } = await run(dir, config);
    expect(error?.message).toMatch(/mapstack:esUrl is required/);
  });
});
