// The compiled program the Pulumi host runs (Pulumi.yaml main: dist/index.js). Tests that load it rebuild
// it first when a source is newer: tsc type-checks and, with noEmitOnError, emits nothing on error.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "..", "..");

export function ensureDist(): void {
  const newest = (dir: string, ext: string): number => fs.readdirSync(dir, { recursive: true }).map(String)
    .filter((f) => f.endsWith(ext)).reduce((m, f) => Math.max(m, fs.statSync(path.join(dir, f)).mtimeMs), 0);
  const dist = path.join(REPO, "dist");
  if (fs.existsSync(path.join(dist, "index.js")) && newest(dist, ".js") >= newest(path.join(REPO, "src"), ".ts")) return;
  const r = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: REPO, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.json failed:\n${r.stdout}${r.stderr}`);
}
