// Live Elasticsearch GET bodies → the form we PUT, so `pulumi refresh` / `preview --refresh` and
// `mapstack drift` report real drift and never a false one. Every function accepts either the GET
// response (with ES's wrappers) or a body we would PUT, and is idempotent: normalize(normalize(x)) equals
// normalize(x). The defaults filled in here are the ones ES adds on GET (the elasticstack Terraform
// provider's perpetual-diff bugs are the checklist): ILM version/modified_date/in_use_by and
// `min_age: "0ms"`, `delete_searchable_snapshot: true`; template settings as nested strings with an
// `index.` prefix, `composed_of: []`, data_stream flags, `type: object` dropped next to properties.

import { canonicalJson, sortKeys } from "../../json/canonical";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

export { canonicalJson };

/** Dotted paths (depth-limited) where two normalised bodies differ, for detailed diffs and drift reports. */
export function differingPaths(a: unknown, b: unknown, prefix = "", depth = 3): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  if (depth === 0 || !isObj(a) || !isObj(b)) return [prefix || "."];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => differingPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k, depth - 1));
}

export type PropertyDiffKind = "add" | "delete" | "update";

/**
 * Property-level paths where `b` differs from `a`, in Pulumi's property-path syntax (`processors[3].set.value`).
 * Arrays are aligned on their common prefix and suffix, so one inserted or removed element (an ingest
 * processor) is one add or delete, not an update of every element after it.
 */
export function propertyDiff(a: unknown, b: unknown, prefix = ""): Record<string, PropertyDiffKind> {
  const out: Record<string, PropertyDiffKind> = {};
  const walk = (x: unknown, y: unknown, at: string): void => {
    if (canonicalJson(x) === canonicalJson(y)) return;
    if (x === undefined) return void (out[at] = "add");
    if (y === undefined) return void (out[at] = "delete");
    if (Array.isArray(x) && Array.isArray(y)) {
      const same = (i: number, j: number) => canonicalJson(x[i]) === canonicalJson(y[j]);
      let head = 0;
      while (head < x.length && head < y.length && same(head, head)) head++;
      let tail = 0;
      while (tail < x.length - head && tail < y.length - head && same(x.length - 1 - tail, y.length - 1 - tail)) tail++;
      const xs = x.length - head - tail;
      const ys = y.length - head - tail;
      for (let k = 0; k < Math.max(xs, ys); k++) {
        if (k < xs && k < ys) walk(x[head + k], y[head + k], `${at}[${head + k}]`);
        else if (k < ys) out[`${at}[${head + k}]`] = "add";
        else out[`${at}[${head + k}]`] = "delete";
      }
      return;
    }
    if (isObj(x) && isObj(y)) {
      for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
        walk(x[k], y[k], /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? (at ? `${at}.${k}` : k) : `${at}[${JSON.stringify(k)}]`);
      }
      return;
    }
    out[at || "."] = "update";
  };
  walk(a, b, prefix);
  return out;
}

/** Unwraps `{ <name>: body }` (ILM, pipelines) when the caller passes the GET response. */
function unwrapById(raw: unknown, name: string | undefined, marker: string): Obj {
  if (!isObj(raw)) return {};
  if (marker in raw) return raw;
  const keys = Object.keys(raw);
  const key = name !== undefined && name in raw ? name : keys.length === 1 ? keys[0] : undefined;
  return key !== undefined && isObj(raw[key]) ? (raw[key] as Obj) : raw;
}

// --- ILM ---------------------------------------------------------------------------------------------

const ILM_ACTION_DEFAULTS: Record<string, Obj> = {
  delete: { delete_searchable_snapshot: true },
};

/** GET _ilm/policy/<name> (or a PUT body `{policy:{…}}`) → `{ policy: { phases, _meta? } }`. */
export function normalizeIlmPolicy(raw: unknown, name?: string): { policy: Obj } {
  const entry = unwrapById(raw, name, "policy");
  // GET wraps as {name: {version, modified_date, policy, in_use_by}}; PUT bodies are {policy}.
  const policy = isObj(entry.policy) ? entry.policy : entry;
  const phases: Obj = {};
  for (const [phase, def] of Object.entries(isObj(policy.phases) ? policy.phases : {})) {
    if (!isObj(def)) continue;
    const actions: Obj = {};
    for (const [action, cfg] of Object.entries(isObj(def.actions) ? def.actions : {})) {
      actions[action] = { ...(ILM_ACTION_DEFAULTS[action] ?? {}), ...(isObj(cfg) ? cfg : {}) };
    }
    phases[phase] = { min_age: def.min_age ?? "0ms", actions };
  }
  const out: Obj = { phases };
  if (isObj(policy._meta) && Object.keys(policy._meta).length) out._meta = policy._meta;
  return { policy: sortKeys(out) as Obj };
}

// --- Ingest pipelines ----------------------------------------------------------------------------------

const PIPELINE_KEYS = ["description", "processors", "on_failure", "version", "_meta", "deprecated"] as const;

/** GET _ingest/pipeline/<id> (`{id: body}`) or a PUT body → the PUT body; ES's created/modified dates are dropped. */
export function normalizeIngestPipeline(raw: unknown, name?: string): Obj {
  const body = unwrapById(raw, name, "processors");
  const out: Obj = {};
  for (const k of PIPELINE_KEYS) {
    const v = body[k];
    if (v === undefined || v === null) continue;
    if (k === "on_failure" && Array.isArray(v) && v.length === 0) continue;
    if (k === "deprecated" && v === false) continue;
    out[k] = v;
  }
  out.processors ??= [];
  return sortKeys(out) as Obj;
}

// --- Index templates -----------------------------------------------------------------------------------

/** Settings in any form (nested, dotted, with or without `index.`, numbers or strings) → flat `index.*` strings. */
export function flattenSettings(settings: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, prefix: string): void => {
    if (isObj(v)) {
      for (const [k, child] of Object.entries(v)) walk(child, prefix ? `${prefix}.${k}` : k);
    } else if (v !== null && v !== undefined) {
      const key = prefix.startsWith("index.") ? prefix : `index.${prefix}`;
      out[key] = Array.isArray(v) ? v.map(String).join(",") : String(v);
    }
  };
  walk(settings, "");
  return sortKeys(out) as Record<string, string>;
}

function normalizeMapping(m: unknown): unknown {
  if (!isObj(m)) return m;
  const out: Obj = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === "properties" && isObj(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([f, def]) => [f, normalizeMapping(def)]));
    } else if (k === "dynamic" && typeof v === "boolean") {
      out.dynamic = String(v);
    } else {
      out[k] = v;
    }
  }
  // ES omits the default `type: object` of a field that has properties.
  if (out.type === "object" && "properties" in out) delete out.type;
  return out;
}

/**
 * GET _index_template/<name> (`{index_templates:[{name, index_template}]}`) or a PUT body → the PUT body
 * with settings flattened to `index.*` strings and ES's defaults made explicit.
 */
export function normalizeIndexTemplate(raw: unknown, name?: string): Obj {
  let body: Obj = isObj(raw) ? raw : {};
  if (Array.isArray(body.index_templates)) {
    const list = body.index_templates as Obj[];
    const hit = list.find((t) => name === undefined || t.name === name) ?? list[0];
    body = isObj(hit?.index_template) ? hit.index_template : {};
  }
  const out: Obj = {
    index_patterns: Array.isArray(body.index_patterns) ? body.index_patterns : body.index_patterns ? [body.index_patterns] : [],
    composed_of: Array.isArray(body.composed_of) ? body.composed_of : [],
  };
  for (const k of ["priority", "version", "allow_auto_create"]) if (body[k] !== undefined && body[k] !== null) out[k] = body[k];
  if (isObj(body._meta) && Object.keys(body._meta).length) out._meta = body._meta;
  if (Array.isArray(body.ignore_missing_component_templates) && body.ignore_missing_component_templates.length) {
    out.ignore_missing_component_templates = body.ignore_missing_component_templates;
  }
  if (isObj(body.data_stream)) out.data_stream = { hidden: false, allow_custom_routing: false, ...body.data_stream };
  const t = isObj(body.template) ? body.template : {};
  const template: Obj = {};
  const settings = flattenSettings(t.settings ?? {});
  if (Object.keys(settings).length) template.settings = settings;
  if (isObj(t.mappings) && Object.keys(t.mappings).length) template.mappings = normalizeMapping(t.mappings);
  if (isObj(t.aliases) && Object.keys(t.aliases).length) template.aliases = t.aliases;
  if (isObj(t.lifecycle)) template.lifecycle = t.lifecycle;
  out.template = template;
  return sortKeys(out) as Obj;
}
