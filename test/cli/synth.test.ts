// `mapstack synth`: deterministic output trees, different per stack, and its exit codes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, REPO } from "./io";

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

  it("differs per stack; a rerun rewrites the stack's files and keeps files synth did not write", async () => {
    expect((await cli(["synth", "--stack", "prod", "--out", path.join(tmp, "a")])).code).toBe(0);
    const dev = tree(path.join(tmp, "a", "dev"));
    const prod = tree(path.join(tmp, "a", "prod"));
    expect(prod["summary.txt"]).not.toBe(dev["summary.txt"]);
    expect(Buffer.from(prod["summary.txt"], "base64").toString()).toMatch(/stack prod \(prod\)/);
    fs.writeFileSync(path.join(tmp, "a", "dev", "NOTES.md"), "my review notes");
    fs.writeFileSync(path.join(tmp, "a", "dev", "summary.txt"), "edited by hand");
    expect((await cli(["synth", "--stack", "dev", "--out", path.join(tmp, "a")])).code).toBe(0);
    expect(tree(path.join(tmp, "a", "dev"))).toEqual({ ...dev, "NOTES.md": Buffer.from("my review notes").toString("base64") });
  });

  it("deletes what an earlier synth wrote and no longer writes (a dataset removed), and the directories it leaves empty", async () => {
    const project = fs.mkdtempSync(path.join(tmp, "project-"));
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(REPO, f), path.join(project, f));
    for (const d of ["dsl", "schemas"]) fs.cpSync(path.join(REPO, d), path.join(project, d), { recursive: true });
    const out = path.join(tmp, "removal");
    expect((await cli(["synth", "--stack", "dev", "--out", out, "--project-dir", project])).code).toBe(0);
    fs.rmSync(path.join(project, "dsl", "order_lines.yaml"));
    const r = await cli(["synth", "--stack", "dev", "--out", out, "--project-dir", project]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/removed \d+ file\(s\) an earlier synth wrote: order_lines\//);
    const after = Object.keys(tree(path.join(out, "dev")));
    expect(after.filter((f) => f.startsWith("order_lines/"))).toEqual([]);
    expect(fs.existsSync(path.join(out, "dev", "order_lines"))).toBe(false);
    expect(after).toContain("settlement_transactions/compiled.json");
  });

  it("refuses a non-empty directory it did not create, and leaves it untouched", async () => {
    const out = path.join(tmp, "foreign");
    fs.mkdirSync(path.join(out, "dev", "src"), { recursive: true });
    fs.writeFileSync(path.join(out, "dev", "src", "important.ts"), "export {};");
    const r = await cli(["synth", "--stack", "dev", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/foreign\/dev is not empty and was not written by mapstack synth \(no \.mapstack-synth\.json\); refusing/);
    expect(Object.keys(tree(path.join(out, "dev")))).toEqual(["src/important.ts"]);
    fs.mkdirSync(path.join(tmp, "empty", "dev"), { recursive: true });
    expect((await cli(["synth", "--stack", "dev", "--out", path.join(tmp, "empty")])).code).toBe(0);
  });

  it("never follows a manifest out of the directory, and refuses another stack's or a foreign manifest", async () => {
    const out = path.join(tmp, "tampered");
    expect((await cli(["synth", "--stack", "dev", "--out", out])).code).toBe(0);
    const victim = path.join(tmp, "victim.txt");
    fs.writeFileSync(victim, "outside");
    const manifest = path.join(out, "dev", ".mapstack-synth.json");
    const m = JSON.parse(fs.readFileSync(manifest, "utf8"));
    fs.writeFileSync(manifest, JSON.stringify({ ...m, files: [...m.files, "../../victim.txt", victim] }));
    expect((await cli(["synth", "--stack", "dev", "--out", out])).code).toBe(0);
    expect(fs.readFileSync(victim, "utf8")).toBe("outside");
    fs.writeFileSync(manifest, JSON.stringify({ ...m, stack: "prod" }));
    const other = await cli(["synth", "--stack", "dev", "--out", out]);
    expect([other.code, other.stderr]).toEqual([1, expect.stringMatching(/holds the synth output of stack 'prod', not 'dev'/)]);
    fs.writeFileSync(manifest, "{not json");
    expect((await cli(["synth", "--stack", "dev", "--out", out])).stderr).toMatch(/not a mapstack synth manifest \(invalid JSON\)/);
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
