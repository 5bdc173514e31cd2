// What the Overlord's GET /druid/indexer/v1/supervisor/<id> returns is not what was POSTed: the spec is
// deserialised into Druid's classes and serialised back, so
//   - Joda Durations come back in seconds ("PT1H" → "PT3600S", "PT30M" → "PT1800S"),
//   - ioConfig loses its "type" (KafkaSupervisorIOConfig is not a polymorphic type) and gains `stream`,
//     `useEarliestSequenceNumber`, pollTimeout, startDelay… with their defaults,
//   - tuningConfig, inputFormat, dimensions and metrics gain every server default,
//   - granularities come back as names ("hour" → "HOUR", "none" → {"type": "none"}),
//   - the whole spec is duplicated at the top level next to `spec`, with `id`, `context` and `suspended`.
// Comparing that with what we applied would show drift on every read. Both sides are brought to one
// canonical form and the live side is projected onto the keys we set, so only real changes remain.
// Plain functions and arrays only: this module is part of the provider's serialised closure.
import type { Json } from "../../dsl/types";
import { canonicalJson, sortKeys } from "../../json/canonical";

type Obj = { [k: string]: Json };

/** Properties Druid holds as Joda Duration/Period (ioConfig and tuningConfig of the Kafka supervisor). */
const DURATION_KEYS = [
  "taskDuration", "startDelay", "period", "completionTimeout", "lateMessageRejectionPeriod", "earlyMessageRejectionPeriod",
  "intermediatePersistPeriod", "httpTimeout", "shutdownTimeout", "offsetFetchPeriod", "intermediateHandoffPeriod",
  "repartitionTransitionDuration",
];

/** Druid's GranularityType names: a period granularity equal to one of these is serialised as the name. */
const GRANULARITY_PERIODS: Array<[string, string]> = [
  ["PT1S", "SECOND"], ["PT1M", "MINUTE"], ["PT5M", "FIVE_MINUTE"], ["PT10M", "TEN_MINUTE"], ["PT15M", "FIFTEEN_MINUTE"],
  ["PT30M", "THIRTY_MINUTE"], ["PT1H", "HOUR"], ["PT6H", "SIX_HOUR"], ["PT8H", "EIGHT_HOUR"], ["P1D", "DAY"], ["P1W", "WEEK"],
  ["P1M", "MONTH"], ["P3M", "QUARTER"], ["P1Y", "YEAR"],
];

const isObj = (v: Json | undefined): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** Seconds of an ISO-8601 duration without years/months (Joda's toStandardDuration); null otherwise. */
export function isoDurationSeconds(text: string): number | null {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return null;
  const [w, d, h, min, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
}

function canonicalDuration(v: Json): Json {
  if (typeof v !== "string") return v;
  const s = isoDurationSeconds(v);
  return s === null ? v : `PT${s}S`;
}

function canonicalGranularity(v: Json): Json {
  if (typeof v === "string") {
    const named = GRANULARITY_PERIODS.find(([p]) => p === v.toUpperCase());
    return named ? named[1] : v.toUpperCase();
  }
  if (isObj(v) && typeof v.type === "string") {
    const t = v.type.toLowerCase();
    if ((t === "none" || t === "all") && Object.keys(v).length === 1) return t.toUpperCase();
    if (t === "period" && typeof v.period === "string" && (v.timeZone ?? null) === null && (v.origin ?? null) === null) {
      const named = GRANULARITY_PERIODS.find(([p]) => p === (v.period as string).toUpperCase());
      if (named) return named[1];
    }
  }
  return v;
}

function mapDurations(o: Json | undefined): Json | undefined {
  if (!isObj(o)) return o;
  const out: Obj = { ...o };
  for (const k of DURATION_KEYS) if (k in out) out[k] = canonicalDuration(out[k]);
  return out;
}

/** The `{type, spec}` core of a supervisor spec, whatever envelope it came in. */
function core(spec: Json): Obj | null {
  if (!isObj(spec)) return null;
  const inner = isObj(spec.spec) ? spec.spec : isObj(spec.dataSchema) ? { dataSchema: spec.dataSchema, ioConfig: spec.ioConfig ?? null, tuningConfig: spec.tuningConfig ?? null } : null;
  if (!inner) return null;
  return { type: spec.type ?? "kafka", spec: inner };
}

/**
 * One form for both sides of a comparison: envelope and `suspended` dropped (suspension is its own
 * property), durations in seconds, granularities by name, string dimensions as objects, no ioConfig.type.
 */
export function canonicalSupervisorSpec(spec: Json): Json {
  const c = core(spec);
  if (!c) return spec;
  const inner = { ...(c.spec as Obj) };
  if (isObj(inner.ioConfig)) {
    const io: Obj = { ...inner.ioConfig };
    delete io.type;
    inner.ioConfig = mapDurations(io) ?? null;
  }
  if (isObj(inner.tuningConfig)) inner.tuningConfig = mapDurations(inner.tuningConfig) ?? null;
  if (isObj(inner.dataSchema)) {
    const ds: Obj = { ...inner.dataSchema };
    if (isObj(ds.granularitySpec)) {
      const g: Obj = { ...ds.granularitySpec };
      for (const k of ["segmentGranularity", "queryGranularity"]) if (k in g) g[k] = canonicalGranularity(g[k]);
      ds.granularitySpec = g;
    }
    if (isObj(ds.dimensionsSpec) && Array.isArray(ds.dimensionsSpec.dimensions)) {
      ds.dimensionsSpec = { ...ds.dimensionsSpec, dimensions: ds.dimensionsSpec.dimensions.map((d) => (typeof d === "string" ? { type: "string", name: d } : d)) };
    }
    inner.dataSchema = ds;
  }
  return sortKeys({ type: c.type, spec: inner });
}

/**
 * A Kafka JAAS line the applied spec no longer carries (it comes from Druid's environment now) is still a
 * difference: a supervisor POSTed with the password in its spec must be re-POSTed without it. Redacted.
 */
function keepLiveCredential(live: Obj, shape: Obj, out: Obj): void {
  const k = "sasl.jaas.config";
  if (k in live && !(k in shape) && typeof live[k] === "string") out[k] = (live[k] as string).replace(SECRET_IN_JAAS, 'password="<redacted>"');
}

/** Keeps only what `shape` has, recursively; arrays are projected element-wise by position. */
function project(live: Json | undefined, shape: Json): Json | undefined {
  if (live === undefined) return undefined;
  if (Array.isArray(shape)) {
    if (!Array.isArray(live)) return live;
    return live.map((v, i) => (i < shape.length ? project(v, shape[i]) ?? null : v));
  }
  if (isObj(shape)) {
    if (!isObj(live)) return live;
    const out: Obj = {};
    for (const [k, v] of Object.entries(shape)) {
      const p = project(live[k], v);
      if (p !== undefined) out[k] = p;
    }
    keepLiveCredential(live, shape, out);
    return out;
  }
  return live;
}

/** True when the two specs configure the same supervisor (suspension aside). */
export function sameSupervisorSpec(a: Json, b: Json): boolean {
  return canonicalJson(canonicalSupervisorSpec(a ?? null)) === canonicalJson(canonicalSupervisorSpec(b ?? null));
}

/**
 * The live spec in the applied spec's own notation: every part Druid holds unchanged (only re-serialised)
 * is the applied part, verbatim; a part changed out of band is Druid's value (canonical). So reading back
 * an unchanged supervisor gives exactly the applied spec, and a change shows only where it is.
 */
export function liveInAppliedTerms(live: Json, applied: Json): Json {
  const l = canonicalSupervisorSpec(live);
  const a = canonicalSupervisorSpec(applied);
  const projected = project(l, a) ?? null;
  const merge = (lv: Json, av: Json, raw: Json | undefined): Json => {
    if (canonicalJson(lv) === canonicalJson(av)) return raw === undefined ? av : raw;
    if (isObj(lv) && isObj(av)) {
      const out: Obj = {};
      for (const k of Object.keys(av)) if (k in lv) out[k] = merge(lv[k], av[k], isObj(raw) ? raw[k] : undefined);
      keepLiveCredential(lv, av, out);
      return out;
    }
    return lv;
  };
  // The raw applied parts are kept where equal, so the stored spec's own spelling ("PT1H") survives.
  const raw = core(applied);
  const merged = merge(projected, a, raw ? { type: raw.type, spec: raw.spec } : undefined);
  if (isObj(applied) && "suspended" in applied && isObj(merged)) return { ...merged, suspended: applied.suspended };
  return merged;
}

/** The live spec as comparable with the applied one (the drift command's view): canonical, projected, secrets redacted. */
export function normalizeSupervisorSpec(live: Json, applied?: Json): Json {
  const l = redactSpec(canonicalSupervisorSpec(live));
  return sortKeys(applied === undefined ? l : project(l, redactSpec(canonicalSupervisorSpec(applied))) ?? null);
}

// JAAS values may contain escaped quotes (\"), which must not end the match and leak the rest.
const SECRET_IN_JAAS = /password="(?:[^"\\]|\\.)*"/g;

/** Hides the password inside sasl.jaas.config values so a live spec can be compared, stored and printed. */
export function redactSpec(spec: Json, placeholder = "<secret:kafkaSaslPassword>"): Json {
  if (typeof spec === "string") return spec.includes("password=") ? spec.replace(SECRET_IN_JAAS, `password="${placeholder}"`) : spec;
  if (Array.isArray(spec)) return spec.map((v) => redactSpec(v, placeholder));
  if (spec && typeof spec === "object") return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, redactSpec(v, placeholder)]));
  return spec;
}

/** Paths (a.b.c) where two specs differ, for diffs and drift reports. */
export function specDifferences(a: Json, b: Json, at = ""): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (isObj(a) && isObj(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))].sort();
    return keys.flatMap((k) => specDifferences(a[k] ?? null, b[k] ?? null, at ? `${at}.${k}` : k));
  }
  return [at || "(root)"];
}

/** Where two supervisor specs differ once both are canonical (suspension aside). */
export function supervisorSpecDifferences(a: Json, b: Json): string[] {
  return specDifferences(canonicalSupervisorSpec(a ?? null), canonicalSupervisorSpec(b ?? null));
}
