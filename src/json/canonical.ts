// One canonical JSON form for everything that compares or hashes JSON: DSL content hashes, provider
// diffs, drift checks. Keys sorted at every level; undefined members dropped, as JSON.stringify does.

export function sortKeys<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  // Indexed loops rather than map/for-of: this runs on every compile (the content hash) and every diff.
  if (Array.isArray(value)) {
    const arr = new Array(value.length);
    for (let i = 0; i < value.length; i++) arr[i] = sortKeys(value[i]);
    return arr as T;
  }
  const src = value as Record<string, unknown>;
  const keys = Object.keys(src);
  if (keys.length > 1) keys.sort();
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const v = src[keys[i]];
    if (v !== undefined) out[keys[i]] = sortKeys(v);
  }
  return out as T;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
