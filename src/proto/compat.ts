// Breaking-change checks. Protobuf: `buf breaking` with category WIRE_JSON (Druid decodes the wire format
// and addresses fields by their JSON names, so a rename breaks as much as a renumbering). Elasticsearch:
// a mapped field whose type changes cannot be written to the existing index.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MapstackError } from "../dsl/diagnostics";
import type { CompiledDataset } from "../dsl/types";
import { runBuf } from "./descriptor-set";

export interface BreakingVerdict {
  /** buf rule ID, e.g. FIELD_NO_DELETE, FIELD_SAME_TYPE. */
  rule: string;
  /** Proto file (relative to the proto directory) and position, when buf gives one. */
  file: string;
  line: number;
  col: number;
  /** Message or enum the change is in, and the field or enum value. */
  message: string | null;
  field: string | null;
  text: string;
}

// WIRE_JSON does not flag a deleted message or enum (the wire has no message names), but Druid's
// protoMessageType names one, and the seed counts a removed message as breaking: add those two rules.
export const BREAKING_RULES = ["WIRE_JSON", "MESSAGE_NO_DELETE", "ENUM_NO_DELETE"];
const BUF_CONFIG = JSON.stringify({ version: "v2", breaking: { use: BREAKING_RULES } });

/** An input for buf: a directory of .proto files or a descriptor set file. */
function bufInput(p: string): { input: string; cwd: string | null } {
  const abs = path.resolve(p);
  if (!fs.existsSync(abs)) throw new MapstackError(`${abs}: no such proto directory or descriptor set`);
  if (fs.statSync(abs).isDirectory()) return { input: ".", cwd: abs };
  return { input: `${abs}#format=binpb`, cwd: null };
}

export function parseBufLine(line: string): BreakingVerdict | null {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof j.type !== "string") return null;
  const text = String(j.message ?? "");
  const message = /(?:on message|Previously present message|on enum|Previously present enum) "([^"]+)"/.exec(text)?.[1] ?? null;
  const fieldByName = /[Ff]ield "\d+" with name "([^"]+)"/.exec(text)?.[1];
  const renamed = /Field "(\d+)" on message "[^"]+" changed name from "([^"]+)"/.exec(text);
  const enumValue = /enum value "(\d+)"(?: on enum "[^"]+" was deleted without reserving the name "([^"]+)")?/.exec(text);
  const field = fieldByName ?? (renamed ? renamed[2] : null) ?? (enumValue ? enumValue[2] ?? enumValue[1] : null);
  return { rule: j.type, file: String(j.path ?? ""), line: Number(j.start_line ?? 0), col: Number(j.start_column ?? 0), message, field, text };
}

/**
 * Runs `buf breaking <current> --against <previous>` (each a proto directory or a descriptor set) and
 * returns one verdict per violated WIRE_JSON rule; an empty list means compatible.
 */
export function checkWireCompat(current: string, previous: string): BreakingVerdict[] {
  const cur = bufInput(current);
  const prev = bufInput(previous);
  const cwd = cur.cwd ?? os.tmpdir();
  const args = ["breaking", cur.input, "--against", prev.cwd ? prev.cwd : prev.input, "--error-format", "json", "--config", BUF_CONFIG];
  if (prev.cwd) args.push("--against-config", '{"version":"v2"}');
  const r = runBuf(args, cwd);
  const verdicts = r.stdout.split("\n").filter((l) => l.trim()).map(parseBufLine).filter((v): v is BreakingVerdict => !!v);
  if (r.status !== 0 && !verdicts.length) {
    throw new MapstackError(`buf breaking failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  }
  // Several rules can flag one change (e.g. the name- and number-reservation variants): keep each once per rule.
  const seen = new Set<string>();
  return verdicts
    .filter((v) => {
      const k = `${v.rule}|${v.file}|${v.message}|${v.field}|${v.text}`;
      return seen.has(k) ? false : (seen.add(k), true);
    })
    .sort((a, b) => (a.file + a.rule + a.text < b.file + b.rule + b.text ? -1 : 1));
}

export function formatVerdict(v: BreakingVerdict, protoDir?: string): string {
  const where = v.line ? `${protoDir ? path.join(protoDir, v.file) : v.file}:${v.line}:${v.col}` : protoDir ? path.join(protoDir, v.file) : v.file;
  const what = [v.message && `message ${v.message}`, v.field && `field ${v.field}`].filter(Boolean).join(", ");
  return `${where}: ${v.rule}${what ? ` (${what})` : ""}: ${v.text}`;
}

export interface EsTypeChange {
  dataset: string;
  file: string;
  index: string;
  version: number;
  field: string;
  from: string;
  to: string;
}

/**
 * Mapped fields whose Elasticsearch type changed while the index (name + version) stayed the same: the
 * existing backing index cannot take the new type, so the sink's version must be bumped.
 */
export function compareEsFieldTypes(previous: CompiledDataset[], current: CompiledDataset[]): EsTypeChange[] {
  const prevByName = new Map(previous.map((d) => [d.name, d]));
  const changes: EsTypeChange[] = [];
  for (const cur of current) {
    const prev = prevByName.get(cur.name);
    const a = prev?.sinks.elasticsearch;
    const b = cur.sinks.elasticsearch;
    if (!prev || !a || !b || a.index !== b.index || a.version !== b.version) continue;
    const prevTypes = new Map(prev.fields.map((f) => [f.target, f.type]));
    for (const f of cur.fields) {
      const from = prevTypes.get(f.target);
      if (from && from !== f.type) changes.push({ dataset: cur.name, file: cur.file, index: b.index, version: b.version, field: f.target, from, to: f.type });
    }
  }
  return changes;
}

export function formatEsChange(c: EsTypeChange): string {
  return (
    `${c.file}: dataset ${c.dataset}, field ${c.field}: Elasticsearch type changed from ${c.from} to ${c.to} but index ` +
    `${c.index} stays at version ${c.version}; the existing backing index cannot take it — bump sinks.elasticsearch.version`
  );
}
