// Stack settings read from Pulumi.<stack>.yaml: typed values, and every problem at file:line:col.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isMapstackError } from "../../src/dsl/diagnostics";
import { loadStackSettings } from "../../src/settings/stack-settings";
import { cli, REPO } from "../cli/io";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A temporary project: a copy of the real Pulumi.yaml and dsl/, and one stack file with `config` lines. */
function project(stack: string, configLines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-settings-"));
  dirs.push(dir);
  fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.cpSync(path.join(REPO, "dsl"), path.join(dir, "dsl"), { recursive: true });
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), ["config:", ...configLines.map((l) => `  ${l}`)].join("\n") + "\n");
  return dir;
}

const REQUIRED = [
  "mapstack:environment: dev",
  "mapstack:esUrl: https://es.test.internal:9200",
  "mapstack:druidUrl: https://druid.test.internal:8888",
  "mapstack:kafkaBootstrapServers: kafka:9092",
  "mapstack:schemaBucket: bucket",
  "mapstack:grafanaUrl: https://grafana.test.internal",
  "mapstack:awsRegion: eu-west-3",
  "mapstack:kubernetesContext: test-cluster",
];

function problems(dir: string, stack = "test"): string[] {
  try {
    loadStackSettings(dir, stack);
  } catch (e) {
    if (!isMapstackError(e)) throw e;
    if (!e.diagnostics.length) return e.message.split("\n").map((l) => l.replace(`${dir}${path.sep}`, ""));
    return e.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.col}: ${d.message}`);
  }
  throw new Error("expected the settings to be rejected");
}

describe("stack settings", () => {
  it("a complete stack file gives typed settings with the declared defaults", () => {
    const s = loadStackSettings(project("test", [...REQUIRED, "mapstack:esShards: 3", 'mapstack:druidSuspended: "true"', "aws:region: eu-west-3"]), "test");
    expect(s.environment).toBe("dev");
    expect(s.elasticsearch).toMatchObject({ url: "https://es.test.internal:9200", shards: 3, replicas: 1, refreshInterval: "1s" });
    expect(s.druid.suspended).toBe(true);
    expect(s.kafka.securityProtocol).toBe("PLAINTEXT");
    expect(s.dslDir).toBe("dsl");
  });

  it("the cluster versions are checked against what the pipeline and the supervisors need", () => {
    const es = problems(project("test", [...REQUIRED, 'mapstack:esVersion: "7.17.0"']));
    expect(es).toEqual([expect.stringMatching(/^Pulumi\.test\.yaml:10:\d+: mapstack:esVersion .*Elasticsearch 7\.17\.0 is not supported: .*8\.0 or later/)]);
    const druid = problems(project("test", [...REQUIRED, 'mapstack:druidVersion: "35.0.0"']));
    expect(druid).toEqual([expect.stringMatching(/^Pulumi\.test\.yaml:10:\d+: mapstack:druidVersion .*35\.0\.0 is refused: .*18730/)]);
    expect(loadStackSettings(project("test", [...REQUIRED, 'mapstack:esVersion: "8.12.2"', 'mapstack:druidVersion: "33.0.0"']), "test").elasticsearch.version).toBe("8.12.2");
  });

  it("the bundled stacks load", () => {
    for (const stack of ["dev", "staging", "prod"]) expect(loadStackSettings(REPO, stack).stack).toBe(stack);
  });

  it("a bad integer: at its value", () => {
    // line 1 is "config:", REQUIRED is lines 2-9, so the extra line is line 10; the value starts at col 22
    expect(problems(project("test", [...REQUIRED, "mapstack:esShards: three"]))).toEqual(['Pulumi.test.yaml:10:22: mapstack:esShards must be an integer, got "three"']);
    expect(problems(project("test", [...REQUIRED, "mapstack:esShards: 1.5"]))).toEqual(["Pulumi.test.yaml:10:22: mapstack:esShards must be an integer, got 1.5"]);
    expect(problems(project("test", [...REQUIRED, "mapstack:esShards: 0"]))).toEqual(["Pulumi.test.yaml:10:22: mapstack:esShards must be at least 1, got 0"]);
  });

  it("an unknown key: at the key's value, listing the declared settings", () => {
    const p = problems(project("test", [...REQUIRED, "mapstack:esShard: 2"]));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^Pulumi\.test\.yaml:10:21: mapstack:esShard is not a setting of this project \(declared in Pulumi\.yaml: environment, dslDir, esUrl, /);
  });

  it("a bad URL: at its value", () => {
    const lines = REQUIRED.map((l) => (l.startsWith("mapstack:druidUrl") ? "mapstack:druidUrl: druid.test.internal:8888" : l));
    expect(problems(project("test", lines))).toEqual(['Pulumi.test.yaml:4:22: mapstack:druidUrl must be an http(s) URL, got "druid.test.internal:8888"']);
  });

  it("several problems are all reported; a missing required setting points at line 1", () => {
    const lines = REQUIRED.filter((l) => !l.startsWith("mapstack:esUrl")).concat(["mapstack:druidSuspended: maybe", "mapstack:kafkaSecurityProtocol: SASL_SSL"]);
    const p = problems(project("test", lines));
    expect(p).toContain("Pulumi.test.yaml:1:1: mapstack:esUrl is required: Elasticsearch URL, e.g. https://es.dev.internal:9200. Set it with: pulumi config set mapstack:esUrl <value>");
    expect(p).toContain('Pulumi.test.yaml:9:28: mapstack:druidSuspended must be true or false, got "maybe"');
    expect(p).toContain("Pulumi.test.yaml:1:1: mapstack:kafkaSaslUsername is required when kafkaSecurityProtocol is SASL_SSL");
    expect(p).toHaveLength(3);
  });

  it("an unknown stack names the stacks there are", () => {
    expect(problems(project("test", REQUIRED), "prod")).toEqual(["Pulumi.prod.yaml:1:1: no such stack 'prod' (stacks: test)"]);
  });

  it("a stack file that is not YAML", () => {
    const dir = project("test", REQUIRED);
    fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), "config:\n  mapstack:esUrl: [oops\n");
    expect(problems(dir)[0]).toMatch(/^Pulumi\.test\.yaml:\d+:\d+: not valid YAML/);
  });

  it("synth reports settings problems as file:line:col and exits 1", async () => {
    const dir = project("test", [...REQUIRED, "mapstack:esReplicas: many"]);
    const r = await cli(["synth", "--stack", "test", "--out", path.join(dir, "out")], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${path.join(dir, "Pulumi.test.yaml")}:10:24: mapstack:esReplicas must be an integer, got "many"\n`);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });
});
