// `mapstack validate` exit codes and output, and `--help` on every command.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands";
import { cli, REPO } from "./io";

const BROKEN = "test/fixtures/dsl/broken/orders_broken.yaml";

describe("validate", () => {
  it("exits 0 on the bundled dsl/ (explicitly, or by default from the project directory)", async () => {
    for (const [argv, n] of [[["validate", "dsl"], 3], [["validate"], 3], [["validate", "dsl/order_lines.yaml", "dsl/settlement_transactions.yaml"], 2]] as const) {
      const r = await cli([...argv]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(new RegExp(`^ok: ${n} dataset\\(s\\) valid`));
    }
  });
  it("finds the project from a subdirectory", async () => {
    const r = await cli(["validate"], path.join(REPO, "dsl", "samples"));
    expect(r.code).toBe(0);
  });

  it("exits 1 on a broken file, printing every problem as file:line:col", async () => {
    const r = await cli(["validate", BROKEN, "--dsl-dir", "dsl"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.slice(0, -1).map((l) => l.split(": ")[0]).sort()).toEqual(
      ["11:15", "19:21", "20:13", "22:28", "22:13", "26:45", "27:31", "31:38"].map((p) => `${BROKEN}:${p}`).sort(),
    );
    expect(lines[lines.length - 1]).toBe("8 problem(s)");
  });

  it("--json reports the same problems as data", async () => {
    const r = await cli(["validate", BROKEN, "--dsl-dir", "dsl", "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.valid).toBe(false);
    expect(j.diagnostics).toContainEqual({ file: BROKEN, line: 19, col: 21, message: expect.stringMatching(/^unknown op 'shout'/) });
    expect(j.diagnostics).toHaveLength(8);
  });

  it("exits 1 on a directory that does not exist", async () => {
    const r = await cli(["validate", "--dsl-dir", "no-such-dir"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no-such-dir:1:1: cannot read: ENOENT");
  });

  it("exits 2 on bad flags", async () => {
    const r = await cli(["validate", "--strict"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mapstack validate: .*--strict/);
    expect((await cli(["validate", "--dsl-dir"])).code).toBe(2);
  });
});

describe("target checks at validate time", () => {
  it("an op the Druid sink cannot express exactly fails validate at the op, only for datasets with a Druid sink", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-validate-"));
    const doc = fs.readFileSync(path.join(REPO, "dsl", "settlement_transactions.yaml"), "utf8").replace("pipeline: [{op: trim}, {op: upper}]", "pipeline: [{op: trim}, {op: phonetic, algorithm: soundex}]");
    fs.mkdirSync(path.join(dir, "proto"));
    fs.copyFileSync(path.join(REPO, "dsl", "proto", "settlement_transaction.proto"), path.join(dir, "proto", "settlement_transaction.proto"));
    fs.writeFileSync(path.join(dir, "st.yaml"), doc);
    const line = doc.split("\n").findIndex((l) => l.includes("op: phonetic")) + 1;
    const r = await cli(["validate", path.join(dir, "st.yaml")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`st\\.yaml:${line}:\\d+: .*phonetic`));
    fs.writeFileSync(path.join(dir, "st.yaml"), doc.replace(/\n  druid:[\s\S]*?\n\n/, "\n\n"));
    expect((await cli(["validate", path.join(dir, "st.yaml")])).code).toBe(0);
  });
});

describe("monitoring thresholds at validate time", () => {
  it("a threshold Prometheus cannot load is an error at its place; a convertible fraction is accepted", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-thresholds-"));
    fs.mkdirSync(path.join(dir, "proto"));
    fs.copyFileSync(path.join(REPO, "dsl", "proto", "settlement_transaction.proto"), path.join(dir, "proto", "settlement_transaction.proto"));
    const doc = fs.readFileSync(path.join(REPO, "dsl", "settlement_transactions.yaml"), "utf8");
    const line = doc.split("\n").findIndex((l) => l.includes("no_ingest_minutes")) + 1;
    fs.writeFileSync(path.join(dir, "st.yaml"), doc.replace("no_ingest_minutes: 10", "no_ingest_minutes: 0.001"));
    const r = await cli(["validate", path.join(dir, "st.yaml")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`st\\.yaml:${line}:24: .*whole number of seconds`));
    fs.writeFileSync(path.join(dir, "st.yaml"), doc.replace("no_ingest_minutes: 10", "no_ingest_minutes: 2.5"));
    expect((await cli(["validate", path.join(dir, "st.yaml")])).code).toBe(0);
  });
});

describe("infer, size and schema", () => {
  it("infer proposes a document that validates and types columns from the values", async () => {
    const r = await cli(["infer", "dsl/samples/store_sales.csv", "--delimiter", ";", "--decimal-sep", ",", "--thousands-sep", " ", "--date-format", "%d/%m/%Y %H:%M", "--date-format", "%d/%m/%Y"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const types = Object.fromEntries(doc.fields.map((f: { target: string; type: string }) => [f.target, f.type]));
    expect(types).toMatchObject({ magasin: "keyword", date_vente: "date", montant: "double" });
    const fs = await import("node:fs");
    const os = await import("node:os");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-infer-")), "store.json");
    fs.writeFileSync(file, r.stdout);
    expect((await cli(["validate", file])).code).toBe(0);
  });

  it("size follows the seed's formula: 100 B + field bytes, shards under the target size", async () => {
    const r = await cli(["size", "dsl/store_sales.json", "--docs", "1000000000", "--json"]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    // 4 keyword fields (default length 16, +16 doc values), date/double/long (8 each), one boolean (1)
    expect(e.perDocBytes).toBe(100 + 4 * 32 + 3 * 8 + 1);
    expect(e.shards).toBe(Math.ceil((e.perDocBytes * 1e9) / (30 * 1024 ** 3)));
    expect((await cli(["size", "dsl/store_sales.json"])).code).toBe(2);
  });

  it("the committed editor schema is what the op catalogue generates", async () => {
    const r = await cli(["schema", "--check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("help and dispatch", () => {
  it.each(COMMANDS.map((c) => c.name))("%s --help prints its usage and exits 0", async (name) => {
    for (const flag of ["--help", "-h"]) {
      const r = await cli([name, flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: mapstack ${name}`);
      expect(r.stdout).toMatch(/Exit codes:/);
    }
  });
  it("mapstack --help lists every command and exits 0; no command exits 2; an unknown command exits 2", async () => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toContain(c.name);
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(["deploy"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^mapstack: unknown command 'deploy'/);
  });
});
