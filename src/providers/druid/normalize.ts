// Druid's GET returns a supervisor spec filled with server defaults (tuningConfig, ioConfig timings,
// dataSchema.parser: null, a duplicated top level…). Comparing that with what we applied would show
// drift on every read, so the live spec is projected onto the keys of the spec we applied.
import type { Json } from "../../dsl/types";
import { canonicalJson, sortKeys } from "../../json/canonical";

// JAAS values may contain escaped quotes (\"), which must not end the match and leak the rest.
const SECRET_IN_JAAS = /password="(?:[^"\\]|\\.)*"/g;

/** Hides the password inside sasl.jaas.config values so a live spec can be compared, stored and printed. */
export function redactSpec(spec: Json, placeholder = "<secret:kafkaSaslPassword>"): Json {
  if (typeof spec === "string") return spec.includes("password=") ? spec.replace(SECRET_IN_JAAS, `password="${placeholder}"`) : spec;
  if (Array.isArray(spec)) return spec.map((v) => redactSpec(v, placeholder));
  if (spec && typeof spec === "object") return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, redactSpec(v, placeholder)]));
  return spec;
}

/** Keeps only what `shape` has, recursively; arrays are projected element-wise by position. */
function project(live: Json | undefined, shape: Json): Json | undefined {
  if (live === undefined) return undefined;
  if (Array.isArray(shape)) {
    if (!Array.isArray(live)) return live;
    return live.map((v, i) => (i < shape.length ? project(v, shape[i]) ?? null : v));
  }
  if (shape && typeof shape === "object") {
    if (!live || typeof live !== "object" || Array.isArray(live)) return live;
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(shape)) {
      const p = project((live as Record<string, Json>)[k], v);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  return live;
}

/**
 * The live spec as comparable with the applied one: the `spec` envelope Druid returns, secrets redacted,
 * server-added defaults dropped (when `applied` is given), keys sorted. The lifecycle drift command uses it.
 */
export function normalizeSupervisorSpec(live: Json, applied?: Json): Json {
  let s = live as Record<string, Json>;
  // Druid answers with {type, id, spec: {dataSchema, ioConfig, tuningConfig}, dataSchema, ioConfig, …, suspended}.
  if (s && typeof s === "object" && !Array.isArray(s) && s.spec && typeof s.spec === "object") {
    s = { type: s.type ?? "kafka", spec: s.spec, suspended: s.suspended ?? false };
  }
  const redacted = redactSpec(s);
  const projected = applied === undefined ? redacted : project(redacted, redactSpec(applied)) ?? null;
  return sortKeys(projected);
}


/** Paths (a.b.c) where two specs differ, for diffs and drift reports. */
export function specDifferences(a: Json, b: Json, at = ""): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => specDifferences((a as Record<string, Json>)[k] ?? null, (b as Record<string, Json>)[k] ?? null, at ? `${at}.${k}` : k));
  }
  return [at || "(root)"];
}
