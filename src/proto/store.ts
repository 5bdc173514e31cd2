// The committed schema store: schemas/<version>.binpb (every descriptor set a stack may run, so a rollback
// pin works offline at preview time) and schemas/lock.json (the version each stack runs, the breaking-change
// baseline). S3 holds the same sets for Druid operators; the repo copy is what the program reads.
import * as fs from "node:fs";
import * as path from "node:path";
import { MapstackError } from "../dsl/diagnostics";
import type { StackSettings } from "../settings/stack-settings";
import { buildDescriptorSet, readDescriptorSetFile, type DescriptorSet } from "./descriptor-set";

/** The seed runbook's names for what each environment runs. */
export const STACK_ALIASES: Record<string, string> = { dev: "develop-latest", staging: "staging-latest", prod: "stable" };

export const SCHEMA_DIR = "schemas";
export const LOCK_FILE = "lock.json";

export interface StackLock {
  /** The version the stack runs (recorded after a successful `pulumi up`). */
  version: string;
  /** Every version the stack ran, oldest first: a pin to one of them is a rollback. */
  history: string[];
}

export interface SchemaLock {
  stacks: Record<string, StackLock>;
}

export function schemaDir(projectDir: string): string {
  return path.join(projectDir, SCHEMA_DIR);
}

export function protoDirOf(projectDir: string, settings: Pick<StackSettings, "dslDir">): string {
  return path.resolve(projectDir, settings.dslDir, "proto");
}

export function readLock(projectDir: string): SchemaLock {
  const file = path.join(schemaDir(projectDir), LOCK_FILE);
  if (!fs.existsSync(file)) return { stacks: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new MapstackError(`${file}:1:1: not valid JSON: ${(e as Error).message}`);
  }
  const stacks = (raw as SchemaLock)?.stacks;
  if (!stacks || typeof stacks !== "object") throw new MapstackError(`${file}:1:1: expected {"stacks": {<stack>: {"version": …, "history": […]}}}`);
  return { stacks };
}

export function writeLock(projectDir: string, lock: SchemaLock): void {
  const sorted = Object.fromEntries(Object.entries(lock.stacks).sort(([a], [b]) => (a < b ? -1 : 1)));
  fs.mkdirSync(schemaDir(projectDir), { recursive: true });
  fs.writeFileSync(path.join(schemaDir(projectDir), LOCK_FILE), JSON.stringify({ stacks: sorted }, null, 2) + "\n");
}

/** Records that a stack now runs `version` (what CI does after a successful `pulumi up`). */
export function recordStackVersion(projectDir: string, stack: string, version: string): StackLock {
  if (!fs.existsSync(committedSetPath(projectDir, version))) {
    throw new MapstackError(`${committedSetPath(projectDir, version)}: version ${version} is not in ${SCHEMA_DIR}/; run 'mapstack schemas build' first`);
  }
  const lock = readLock(projectDir);
  const prev = lock.stacks[stack];
  const history = [...(prev?.history ?? []).filter((v) => v !== version), version];
  lock.stacks[stack] = { version, history };
  writeLock(projectDir, lock);
  return lock.stacks[stack];
}

export function committedSetPath(projectDir: string, version: string): string {
  return path.join(schemaDir(projectDir), `${version}.binpb`);
}

/** Versions committed under schemas/, sorted. */
export function listCommittedVersions(projectDir: string): string[] {
  const dir = schemaDir(projectDir);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /^[0-9a-f]{12}\.binpb$/.test(f)).map((f) => f.slice(0, 12)).sort();
}

/** Writes schemas/<version>.binpb (idempotent: the name is the content hash). */
export function storeDescriptorSet(projectDir: string, set: DescriptorSet): string {
  const file = committedSetPath(projectDir, set.version);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, set.bytes);
  return file;
}

export function loadCommittedSet(projectDir: string, version: string, why: string): DescriptorSet {
  const matches = listCommittedVersions(projectDir).filter((v) => v.startsWith(version));
  if (matches.length !== 1) {
    throw new MapstackError(
      `${path.join(schemaDir(projectDir), `${version}.binpb`)}: ${why} ${version} ${matches.length ? "is ambiguous" : "is not committed"}` +
        ` (committed: ${listCommittedVersions(projectDir).join(", ") || "none"}); build it with 'mapstack schemas build' at the git ref that had it`,
    );
  }
  const set = readDescriptorSetFile(committedSetPath(projectDir, matches[0]));
  if (set.version !== matches[0]) throw new MapstackError(`${committedSetPath(projectDir, matches[0])}: content hash is ${set.version}, the file was edited by hand`);
  return set;
}

export interface StackSchema {
  /** The set this stack deploys: the pinned version, or what dsl/proto builds. */
  deployed: DescriptorSet;
  source: "pinned" | "built";
  /** The set the stack runs now (lock.json), the breaking-change baseline; null on first deploy. */
  baseline: DescriptorSet | null;
  /** True when the pin names a version this stack ran before (a rollback). */
  rollback: boolean;
}

/** The set a stack deploys: its schemaVersion pin (read from schemas/, offline) or a fresh build of dsl/proto. */
export function deployedDescriptorSet(projectDir: string, settings: StackSettings): DescriptorSet {
  const pin = settings.schemas.pinnedVersion;
  return pin ? loadCommittedSet(projectDir, pin, "schemaVersion") : buildDescriptorSet(protoDirOf(projectDir, settings));
}

export function resolveStackSchema(projectDir: string, settings: StackSettings): StackSchema {
  const pin = settings.schemas.pinnedVersion;
  const deployed = deployedDescriptorSet(projectDir, settings);
  const entry = readLock(projectDir).stacks[settings.stack];
  const baseline = entry ? loadCommittedSet(projectDir, entry.version, `${LOCK_FILE} version of stack ${settings.stack}`) : null;
  return { deployed, source: pin ? "pinned" : "built", baseline, rollback: !!pin && !!entry?.history.includes(deployed.version) };
}
