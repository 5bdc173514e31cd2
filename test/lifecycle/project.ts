// A throwaway copy of the bundled project (Pulumi.yaml, stack files, dsl/) that tests may edit.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { main } from "../../src/cli/main";
import type { MockRunOptions, MockRunResult } from "./mock-program";

export const REPO = path.resolve(__dirname, "../..");

export function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-lifecycle-"));
  for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  fs.cpSync(path.join(REPO, "dsl"), path.join(dir, "dsl"), { recursive: true });
  fs.cpSync(path.join(REPO, "certs"), path.join(dir, "certs"), { recursive: true });
  return dir;
}

export async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { cwd, out: (t) => void (out += t.endsWith("\n") ? t : t + "\n"), err: (t) => void (err += t.endsWith("\n") ? t : t + "\n") });
  return { code, out, err };
}

/** Edits a DSL file's description, which changes the dataset's content hash and nothing else. */
export function touchDataset(projectDir: string, file: string, description: string): void {
  const p = path.join(projectDir, "dsl", file);
  const doc = parseDocument(fs.readFileSync(p, "utf8"));
  doc.set("description", description);
  fs.writeFileSync(p, String(doc));
}

/**
 * Runs the Pulumi program under mocks in a plain `node` child (dynamic-provider closures serialise there
 * as under the Pulumi CLI, unlike under vitest's transforms), one fresh process per call.
 */
export function mockRuns(runs: MockRunOptions[]): MockRunResult[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-mock-")), "result.json");
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "mock-program-main.ts"), JSON.stringify(runs), out], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, "tsconfig.json") },
  });
  if (r.status !== 0) throw new Error(`mock run failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(fs.readFileSync(out, "utf8")) as MockRunResult[];
}
