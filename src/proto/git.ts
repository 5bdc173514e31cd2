// Files of a directory as they were at a git ref, extracted to a temp dir (offline: the local repository).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MapstackError } from "../dsl/diagnostics";

export function isGitRef(repoDir: string, ref: string): boolean {
  const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: repoDir, encoding: "utf8" });
  return r.status === 0;
}

/** Extracts `dir` (relative to the repository root) at `ref` into a new temp directory; returns the copy of `dir`. */
export function checkoutDir(repoDir: string, ref: string, dir: string): { path: string; cleanup: () => void } {
  const top = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: repoDir, encoding: "utf8" });
  if (top.status !== 0) throw new MapstackError(`${repoDir}: not a git repository, so '${ref}' cannot be read`);
  const root = top.stdout.trim();
  const rel = path.relative(root, path.resolve(repoDir, dir)).split(path.sep).join("/");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mapstack-ref-"));
  const archive = spawnSync("git", ["archive", "--format=tar", ref, "--", rel], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  if (archive.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new MapstackError(`git archive ${ref} -- ${rel}: ${archive.stderr.toString().trim() || "failed"} (does ${rel} exist at ${ref}?)`);
  }
  const untar = spawnSync("tar", ["-x", "-C", tmp], { input: archive.stdout });
  if (untar.status !== 0) throw new MapstackError(`cannot extract ${rel} at ${ref}: ${untar.stderr.toString().trim()}`);
  return { path: path.join(tmp, rel), cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}
