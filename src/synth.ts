// synth: every target's artifacts for one stack plus a summary, in a stable order, and writing them out.
import * as fs from "node:fs";
import * as path from "node:path";
import { MapstackError } from "./dsl/diagnostics";
import type { Artifact, SynthContext } from "./targets/artifacts";
import { TARGETS } from "./targets";

export function synthesize(ctx: SynthContext): Artifact[] {
  const artifacts = TARGETS.flatMap((t) => t.synth(ctx));
  const seen = new Set<string>();
  for (const a of artifacts) {
    if (seen.has(a.path)) throw new Error(`internal: two targets write ${a.path}`);
    seen.add(a.path);
  }
  artifacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [...artifacts, { path: "summary.txt", content: summary(ctx, artifacts) }];
}

function summary(ctx: SynthContext, artifacts: Artifact[]): string {
  const s = ctx.settings;
  const lines = [
    `mapstack synth — stack ${s.stack} (${s.environment})`,
    `elasticsearch ${s.elasticsearch.url}  shards ${s.elasticsearch.shards}  replicas ${s.elasticsearch.replicas}`,
    `druid ${s.druid.url}  taskCount ${s.druid.taskCount}  replicas ${s.druid.replicas}${s.druid.suspended ? "  SUSPENDED" : ""}`,
    "",
    "datasets:",
  ];
  for (const d of ctx.datasets) {
    const sinks = [d.sinks.elasticsearch && `elasticsearch:${d.sinks.elasticsearch.index}`, d.sinks.druid && `druid:${d.sinks.druid.datasource}`].filter(Boolean);
    lines.push(`  ${d.name}  ${d.contentHash}  ${d.fields.length} fields  source ${d.source.format}  → ${sinks.join(", ")}`);
  }
  lines.push("", `files (${artifacts.length}):`, ...artifacts.map((a) => `  ${a.path}`));
  return lines.join("\n") + "\n";
}

/** Written last into <out>/<stack>/: what this synth wrote, so the next run deletes exactly that. */
export const SYNTH_MANIFEST = ".mapstack-synth.json";

interface SynthManifest {
  tool: "mapstack synth";
  stack: string;
  files: string[];
}

/** A manifest path that stays inside dir (a hand-edited "../x" or absolute path is never followed). */
function inside(dir: string, rel: unknown): string | null {
  if (typeof rel !== "string" || !rel || path.isAbsolute(rel)) return null;
  const full = path.resolve(dir, rel);
  return full.startsWith(dir + path.sep) ? full : null;
}

function readManifest(dir: string, stack: string): SynthManifest | null {
  const file = path.join(dir, SYNTH_MANIFEST);
  if (!fs.existsSync(file)) return null;
  let m: Partial<SynthManifest>;
  try {
    m = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<SynthManifest>;
  } catch {
    throw new MapstackError(`${file}: not a mapstack synth manifest (invalid JSON); refusing to write into ${dir} — remove it or choose another --out`);
  }
  if (m.tool !== "mapstack synth" || !Array.isArray(m.files)) {
    throw new MapstackError(`${file}: not a mapstack synth manifest; refusing to write into ${dir} — choose another --out`);
  }
  if (m.stack !== stack) throw new MapstackError(`${dir} holds the synth output of stack '${String(m.stack)}', not '${stack}'; choose another --out`);
  return m as SynthManifest;
}

/**
 * Writes a synth's artifacts into dir (<out>/<stack>). A directory that exists must be empty or hold a
 * previous synth's manifest; then only files that manifest lists and this run does not write are deleted
 * (and the directories they leave empty). Anything else in dir — a note, a .git — is left alone.
 */
export function writeSynthOutput(dir: string, stack: string, artifacts: Artifact[]): { written: number; removed: string[] } {
  const root = path.resolve(dir);
  let previous: SynthManifest | null = null;
  if (fs.existsSync(root)) {
    if (!fs.lstatSync(root).isDirectory()) throw new MapstackError(`${root} exists and is not a directory; choose another --out`);
    previous = readManifest(root, stack);
    if (!previous && fs.readdirSync(root).length > 0) {
      throw new MapstackError(`${root} is not empty and was not written by mapstack synth (no ${SYNTH_MANIFEST}); refusing to overwrite it — choose another --out or empty it`);
    }
  }
  const next = new Set(artifacts.map((a) => a.path));
  const removed: string[] = [];
  for (const rel of previous?.files ?? []) {
    const full = inside(root, rel);
    if (!full || next.has(rel)) continue;
    const st = fs.lstatSync(full, { throwIfNoEntry: false });
    if (!st || st.isDirectory()) continue;
    fs.unlinkSync(full);
    removed.push(rel);
    // Parent directories the deletion left empty, up to (not including) the stack directory.
    for (let d = path.dirname(full); d.startsWith(root + path.sep) && fs.readdirSync(d).length === 0; d = path.dirname(d)) fs.rmdirSync(d);
  }
  fs.mkdirSync(root, { recursive: true });
  for (const a of artifacts) {
    const file = inside(root, a.path);
    if (!file) throw new Error(`internal: artifact path ${a.path} leaves the output directory`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, a.content);
  }
  const manifest: SynthManifest = { tool: "mapstack synth", stack, files: [...next].sort() };
  const tmp = path.join(root, `${SYNTH_MANIFEST}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(manifest, null, 2) + "\n");
  fs.renameSync(tmp, path.join(root, SYNTH_MANIFEST));
  return { written: artifacts.length, removed: removed.sort() };
}
