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

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
