// `mapstack synth`: deterministic output trees, different per stack, and its exit codes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./io";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-synth-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under dir, relative path → bytes (base64), sorted. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString("base64");
    }
  };
  walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe("synth", () => {
  it("is byte-identical when run twice into two directories", async () => {
    const a = await cli(["synth", "--stack", "dev", "--out", path.join(tmp, "a")]);
    const b = await cli(["synth", "--stack", "dev", "--out", path.join(tmp, "b")]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toMatch(/^wrote \d+ files to /);
    const ta = tree(path.join(tmp, "a", "dev"));
    expect(Object.keys(ta)).toContain("summary.txt");
    expect(Object.keys(ta)).toContain("order_lines/compiled.json");
    expect(Object.keys(ta)).toContain("settlement_transactions/compiled.json");
    expect(tree(path.join(tmp, "b", "dev"))).toEqual(ta);
  });

  it("differs per stack, and a rerun replaces the stack's directory (no stale files)", async () => {
    expect((await cli(["synth", "--stack", "prod", "--out", path.join(tmp, "a")])).code).toBe(0);
    const dev = tree(path.join(tmp, "a", "dev"));
    const prod = tree(path.join(tmp, "a", "prod"));
    expect(prod["summary.txt"]).not.toBe(dev["summary.txt"]);
    expect(Buffer.from(prod["summary.txt"], "base64").toString()).toMatch(/stack prod \(prod\)/);
    fs.writeFileSync(path.join(tmp, "a", "dev", "stale.json"), "{}");
    expect((await cli(["synth", "--stack", "dev", "--out", path.join(tmp, "a")])).code).toBe(0);
    expect(tree(path.join(tmp, "a", "dev"))).toEqual(dev);
  });

  it("exit 2 without --stack or with a positional argument; exit 1 for an unknown stack", async () => {
    const none = await cli(["synth", "--out", path.join(tmp, "c")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^mapstack synth: synth needs --stack <name>/);
    expect((await cli(["synth", "dev"])).code).toBe(2);
    const unknown = await cli(["synth", "--stack", "qa", "--out", path.join(tmp, "c")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Pulumi\.qa\.yaml:1:1: no such stack 'qa' \(stacks: dev, prod, staging\)/);
  });
});
