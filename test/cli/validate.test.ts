// `mapstack validate` exit codes and output, and `--help` on every command.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands";
import { cli, REPO } from "./io";

const BROKEN = "test/fixtures/dsl/broken/orders_broken.yaml";

describe("validate", () => {
  it("exits 0 on the bundled dsl/ (explicitly, or by default from the project directory)", async () => {
    for (const argv of [["validate", "dsl"], ["validate"], ["validate", "dsl/order_lines.yaml", "dsl/settlement_transactions.yaml"]]) {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^ok: 2 dataset\(s\) valid/);
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
      ["25:5", "8:17", "11:31", "16:9", "22:11", "23:11", "33:28"].map((p) => `${BROKEN}:${p}`).sort(),
    );
    expect(lines[lines.length - 1]).toBe("7 problem(s)");
  });

  it("--json reports the same problems as data", async () => {
    const r = await cli(["validate", BROKEN, "--dsl-dir", "dsl", "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.valid).toBe(false);
    expect(j.diagnostics).toContainEqual({ file: BROKEN, line: 8, col: 17, message: expect.stringMatching(/^unknown op 'shout'/) });
    expect(j.diagnostics).toHaveLength(7);
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
