// Edits config values of a Pulumi.<stack>.yaml in place, keeping every comment, blank line, quote style
// and other key byte-for-byte: promote and rollback produce a reviewable diff of only the pinned lines.
// The yaml Document API locates the nodes (source ranges); the edit splices only their text, because
// re-stringifying the whole document (String(doc)) normalises spacing around comments.
import { isMap, isScalar, isSeq, parseDocument, stringify, type Pair, type YAMLMap } from "yaml";
import { MapstackError } from "../dsl/diagnostics";
import { PROJECT } from "../settings/declarations";

export type ConfigValue = string | boolean | number | string[];

type Splice = { start: number; end: number; text: string };

const scalarText = (v: string | boolean | number) => stringify(v).trimEnd();
const lineStart = (text: string, i: number) => text.lastIndexOf("\n", i - 1) + 1;
const lineEnd = (text: string, i: number) => {
  const n = text.indexOf("\n", i);
  return n < 0 ? text.length : n + 1;
};

/**
 * Returns the file text with each `mapstack:<key>` set to its value (undefined removes the key).
 * New keys are appended at the end of `config:`.
 */
export function editStackConfig(file: string, text: string, changes: Record<string, ConfigValue | undefined>): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new MapstackError(`${file}:1:1: cannot edit: ${doc.errors[0].message}`);
  const config = doc.get("config", true);
  if (config === undefined || config === null || (isScalar(config) && config.value === null)) {
    const added = Object.entries(changes).filter(([, v]) => v !== undefined);
    if (!added.length) return text;
    const body = added.map(([k, v]) => `  ${PROJECT}:${k}:${valueText(v as ConfigValue, 4)}\n`).join("");
    return `${text}${text && !text.endsWith("\n") ? "\n" : ""}config:\n${body}`;
  }
  if (!isMap(config) || (config as YAMLMap).flow) throw new MapstackError(`${file}:1:1: 'config' must be a block mapping to be edited in place`);
  const map = config as YAMLMap;
  const pairs = map.items as Pair[];
  const keyCol = pairs.length && isScalar(pairs[0].key) && pairs[0].key.range ? pairs[0].key.range[0] - lineStart(text, pairs[0].key.range[0]) : 2;
  const splices: Splice[] = [];
  const appended: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    const full = `${PROJECT}:${key}`;
    const pair = pairs.find((p) => isScalar(p.key) && p.key.value === full);
    if (!pair) {
      if (value !== undefined) appended.push(`${" ".repeat(keyCol)}${full}:${valueText(value, keyCol + 2)}\n`);
      continue;
    }
    const k = (pair.key as { range: [number, number, number] }).range;
    const v = (pair.value as { range?: [number, number, number] } | null)?.range;
    if (value === undefined) {
      splices.push({ start: lineStart(text, k[0]), end: lineEnd(text, Math.max(k[2], v ? v[2] - 1 : k[2])), text: "" });
      continue;
    }
    let end = v ? v[1] : k[1];
    while (end > k[1] && /\s/.test(text[end - 1])) end--;
    // A block sequence keeps its item indentation; everything else gets the file's key indentation + 2.
    const seqCol = isSeq(pair.value) && !pair.value.flow && v ? v[0] - lineStart(text, v[0]) : keyCol + 2;
    splices.push({ start: k[1], end, text: `:${valueText(value, seqCol)}` });
  }
  if (appended.length) {
    const last = pairs[pairs.length - 1];
    const lastEnd = (last?.value as { range?: number[] } | null)?.range?.[2] ?? (last?.key as { range?: number[] } | undefined)?.range?.[2] ?? map.range![1];
    const at = lineEnd(text, Math.max(0, lastEnd - 1));
    const prefix = at === text.length && !text.endsWith("\n") ? "\n" : "";
    splices.push({ start: at, end: at, text: prefix + appended.join("") });
  }
  let out = text;
  for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/** The text after `key:` — a scalar on the same line, or a block sequence on the following lines. */
function valueText(value: ConfigValue, seqCol: number): string {
  if (!Array.isArray(value)) return ` ${scalarText(value)}`;
  if (!value.length) return " []";
  return value.map((v) => `\n${" ".repeat(seqCol)}- ${scalarText(v)}`).join("");
}

/** The plain config values of a stack file's text, keys without the project prefix (as readStackFile gives). */
export function configValues(text: string): { values: Record<string, unknown>; secretKeys: Set<string> } {
  const doc = parseDocument(text);
  const config = ((doc.toJS() as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [k, v] of Object.entries(config)) {
    if (!k.startsWith(`${PROJECT}:`)) continue;
    const key = k.slice(PROJECT.length + 1);
    if (v && typeof v === "object" && !Array.isArray(v) && "secure" in v) secretKeys.add(key);
    else values[key] = v;
  }
  return { values, secretKeys };
}
