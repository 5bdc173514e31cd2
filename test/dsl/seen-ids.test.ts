import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SeenIds } from "../../src/dsl/seen-ids";
import { seededRandom } from "../seeded-random";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-seen-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Ids as runs produce them: mostly new, some repeated from long ago, of every kind of text. */
function ids(n: number, seed: number): string[] {
  const r = seededRandom(seed);
  const out: string[] = [];
  const odd = ["", "é", "日本", "😀", "\ud800", "a\u0000b", "x".repeat(300), "ORD-1"];
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.25 && out.length) out.push(out[Math.floor(r() * out.length)]);
    else if (k < 0.3) out.push(odd[Math.floor(r() * odd.length)] + (r() < 0.5 ? i : ""));
    else out.push(`ORD-${Math.floor(r() * n * 4)}:${r() < 0.1 ? "ü" : ""}${i % 7}`);
  }
  return out;
}

describe("the set of _ids a run has seen", () => {
  it("answers as a Set does on every add, across spills to disk and merges of the runs", () => {
    const seen = new SeenIds({ memoryBudget: 4096, bloomBits: 1 << 12, tmpDir: tmp });
    const reference = new Set<string>();
    for (const id of ids(30000, 1)) {
      const fresh = !reference.has(id);
      reference.add(id);
      expect(seen.add(id), id).toBe(fresh);
    }
    expect(seen.size).toBe(reference.size);
    expect(seen.spills).toBeGreaterThan(2 * 8); // so runs were merged too
    seen.close();
  });

  it("stays exact when different ids share a hash", () => {
    const seen = new SeenIds({ memoryBudget: 2048, tmpDir: tmp, weakHash: true });
    const reference = new Set<string>();
    for (const id of ids(8000, 2)) {
      const fresh = !reference.has(id);
      reference.add(id);
      expect(seen.add(id), id).toBe(fresh);
    }
    expect(seen.spills).toBeGreaterThan(0);
    seen.close();
  });

  it("leaves nothing on disk once closed", () => {
    const seen = new SeenIds({ memoryBudget: 1024, tmpDir: tmp });
    for (let i = 0; i < 2000; i++) seen.add(`id-${i}`);
    const dir = seen.directory!;
    expect(fs.readdirSync(dir).length).toBeGreaterThan(0);
    seen.close();
    expect(fs.existsSync(dir)).toBe(false);
    expect(seen.size).toBe(0);
    expect(seen.add("id-1")).toBe(true); // forgotten, not half-remembered
  });

  it("removes its runs when the process is interrupted, and still ends by the signal", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "signal-"));
    const script = `
      const { SeenIds } = require(${JSON.stringify(path.resolve(__dirname, "../../dist/dsl/seen-ids.js"))});
      const seen = new SeenIds({ memoryBudget: 1024, tmpDir: ${JSON.stringify(dir)} });
      for (let i = 0; i < 2000; i++) seen.add("id-" + i);
      console.log(require("node:fs").readdirSync(${JSON.stringify(dir)}).length);
      process.kill(process.pid, "SIGTERM");
      setTimeout(() => {}, 5000);`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("1"); // its private directory existed
    expect(r.signal).toBe("SIGTERM");
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("names the directory when the runs cannot be written, instead of failing with a stack", () => {
    const notADir = path.join(tmp, "file");
    fs.writeFileSync(notADir, "");
    const seen = new SeenIds({ memoryBudget: 1024, tmpDir: notADir });
    expect(() => {
      for (let i = 0; i < 2000; i++) seen.add(`id-${i}`);
    }).toThrow(new RegExp(`^${notADir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: cannot keep the _ids seen so far on disk \\(ENOTDIR\\)`));
  });
});
