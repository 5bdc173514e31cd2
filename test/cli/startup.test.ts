// Commands load only what they use: `--help` and `validate` must not load the Pulumi SDK (1,200+ modules,
// over a second of CPU). Checked in a fresh node process, where require.cache shows what was loaded.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands";
import { REPO } from "./io";

function loadedBy(argv: string[]): { code: number; modules: string[] } {
  const script = `
    const { main } = require("./src/cli/main.ts");
    main(${JSON.stringify(argv)}, { out() {}, err() {}, cwd: process.cwd() }).then((code) => {
      process.stdout.write(JSON.stringify({ code, modules: Object.keys(require.cache) }));
    });`;
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: `${REPO}/tsconfig.json` },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const pulumi = (modules: string[]) => modules.filter((m) => /node_modules[\\/](@pulumi|@pulumiverse)[\\/]/.test(m));

describe("CLI start-up", () => {
  it("--help loads no command module and no Pulumi SDK", () => {
    const r = loadedBy(["--help"]);
    expect(r.code).toBe(0);
    expect(pulumi(r.modules)).toEqual([]);
    expect(r.modules.filter((m) => /src[\\/]cli[\\/]commands[\\/](?!index)/.test(m))).toEqual([]);
  });

  // The SDK belongs to the Pulumi program; drift and status drive the same dynamic providers without it.
  it.each(COMMANDS.map((c) => [c.name] as const))("%s --help loads no Pulumi SDK", (name) => {
    const r = loadedBy([name, "--help"]);
    expect(r.code).toBe(0);
    expect(pulumi(r.modules)).toEqual([]);
  });

  it("validate loads no Pulumi SDK", () => {
    const r = loadedBy(["validate", "dsl/order_lines.yaml"]);
    expect(r.code).toBe(0);
    expect(pulumi(r.modules)).toEqual([]);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))("the index's summary of %s is the command's own", async (_name, entry) => {
    const cmd = await entry.load();
    expect(cmd.name).toBe(entry.name);
    expect(entry.summary).toBe(cmd.summary);
  });
});
