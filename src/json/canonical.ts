// One canonical JSON form for everything that compares or hashes JSON: DSL content hashes, provider
// diffs, drift checks. Keys sorted at every level; undefined members dropped, as JSON.stringify does.

export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== "object") return value;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src).sort()) if (src[k] !== undefined) out[k] = sortKeys(src[k]);
  return out as T;
}

/**
 * `JSON.stringify(sortKeys(value))`, written directly: no sorted copy of the tree is built, which halved
 * the cost of hashing a compiled dataset. The text must stay byte-identical to that definition, because
 * pinned content hashes in stack files were computed with it: objects are walked by their own keys (a
 * `toJSON` on a nested object is not called, as in the sorted copy), `__proto__` keys vanish (assigning
 * one to the copy set its prototype instead), values JSON has no form for are dropped from objects
 * and written as null in arrays, and integer keys come first in numeric order (the copy's own order).
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === "object") return write(value) as string;
  return JSON.stringify(value);
}

function write(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + (write(value[i]) ?? "null");
    return out + "]";
  }
  const src = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const k of sortedKeys(src)) {
    if (k === "__proto__") continue;
    const v = src[k];
    if (v === undefined) continue;
    const text = write(v);
    if (text === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(k) + ":" + text;
    first = false;
  }
  return out + "}";
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;
const isArrayIndex = (k: string): boolean => ARRAY_INDEX.test(k) && Number(k) < 4294967295;

/** Object.keys lists array-index keys first, ascending; the rest keep insertion order and get sorted. */
function sortedKeys(src: Record<string, unknown>): string[] {
  const keys = Object.keys(src);
  let n = 0;
  while (n < keys.length && isArrayIndex(keys[n])) n++;
  if (n === 0) return keys.sort();
  return keys.slice(0, n).concat(keys.slice(n).sort());
}
