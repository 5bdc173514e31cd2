// In-process fake Elasticsearch (node:http on 127.0.0.1:0) for the ILM, ingest-pipeline and
// index-template APIs. GET responses carry what a real cluster adds (ILM version/modified_date/in_use_by
// and min_age "0ms", delete_searchable_snapshot; pipelines wrapped by id with created/modified dates;
// templates wrapped in index_templates[], settings nested with string values, composed_of: [], data_stream
// flags, `type: object` dropped), so normalisation is proven against it. Fault modes are queued per test.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

type Obj = Record<string, any>;
/** Injected answers: a JSON status, a raw body (an HTML proxy page, a truncated JSON), a hang or a reset. */
export type Fault = { status: number; body?: unknown; retryAfter?: string } | { status: number; raw: string; contentType?: string } | "timeout" | "reset";

export interface RequestLog {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export class FakeElasticsearch {
  readonly policies = new Map<string, { policy: Obj; version: number; modified: string }>();
  readonly pipelines = new Map<string, Obj>();
  readonly templates = new Map<string, Obj>();
  readonly log: RequestLog[] = [];
  /** Faults served (one each) before normal handling, in order. */
  readonly faults: Fault[] = [];
  /** When set, every request must carry exactly this Authorization header, else 401. */
  requiredAuth: string | null = null;
  /** Data streams GET _data_stream/<name> reports, with their health (for `mapstack status`). */
  readonly dataStreams = new Map<string, { status: "GREEN" | "YELLOW" | "RED"; template: string; ilmPolicy?: string; generation?: number }>();
  /** Health of indices/aliases as GET _cluster/health/<name> reports it (for rollover-alias datasets). */
  readonly indexHealth = new Map<string, "green" | "yellow" | "red">();
  /** POST _ingest/pipeline/_simulate handler (see es-ingest-sim.ts). */
  simulate: ((pipeline: Obj, docs: Obj[]) => Obj) | null = null;
  private server = http.createServer((req, res) => this.handle(req, res));
  url = "";

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return this.send(res, 400, esError(400, "parse_exception", "request body is not valid JSON"));
      }
      const url = new URL(req.url ?? "/", "http://x");
      this.log.push({ method: req.method ?? "", path: url.pathname, authorization: req.headers.authorization, body });
      const fault = this.faults.shift();
      if (fault === "timeout") return; // never answer: the client's timeout must fire
      if (fault === "reset") return void req.socket.destroy();
      if (fault && "raw" in fault) {
        res.writeHead(fault.status, { "Content-Type": fault.contentType ?? "text/html" });
        return void res.end(fault.raw);
      }
      if (fault) {
        if (fault.retryAfter) res.setHeader("Retry-After", fault.retryAfter);
        return this.send(res, fault.status, fault.body ?? esError(fault.status, "fault", `injected ${fault.status}`));
      }
      if (this.requiredAuth !== null && req.headers.authorization !== this.requiredAuth) {
        return this.send(res, 401, esError(401, "security_exception", "unable to authenticate user [mapstack] for REST request"));
      }
      const [status, out] = this.route(req.method ?? "GET", decodeURIComponent(url.pathname), body as Obj);
      this.send(res, status, out);
    });
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private route(method: string, path: string, body: Obj): [number, unknown] {
    let m: RegExpExecArray | null;
    if (method === "POST" && path === "/_ingest/pipeline/_simulate") {
      if (!this.simulate) return [500, esError(500, "fake", "simulate not configured")];
      return [200, this.simulate(body.pipeline, body.docs)];
    }
    if (method === "GET" && (m = /^\/_data_stream\/([^/]+)$/.exec(path))) return this.dataStream(m[1]);
    if (method === "GET" && (m = /^\/_cluster\/health\/([^/]+)$/.exec(path))) return this.health(m[1]);
    if ((m = /^\/_ilm\/policy\/([^/]+)$/.exec(path))) return this.ilm(method, m[1], body);
    if ((m = /^\/_ingest\/pipeline\/([^/]+)$/.exec(path))) return this.pipeline(method, m[1], body);
    if ((m = /^\/_index_template\/([^/]+)$/.exec(path))) return this.template(method, m[1], body);
    return [400, esError(400, "illegal_argument_exception", `no handler found for uri [${path}] and method [${method}]`)];
  }

  private ilm(method: string, name: string, body: Obj): [number, unknown] {
    const have = this.policies.get(name);
    if (method === "PUT") {
      if (!body?.policy?.phases) return [400, esError(400, "x_content_parse_exception", "[put_lifecycle_request] failed to parse field [policy]")];
      this.policies.set(name, { policy: clone(body.policy), version: (have?.version ?? 0) + 1, modified: new Date().toISOString() });
      return [200, { acknowledged: true }];
    }
    if (!have) return [404, esError(404, "resource_not_found_exception", `Lifecycle policy not found: ${name}`)];
    if (method === "DELETE") {
      this.policies.delete(name);
      return [200, { acknowledged: true }];
    }
    const policy = clone(have.policy);
    for (const phase of Object.values<Obj>(policy.phases)) {
      phase.min_age ??= "0ms";
      if (phase.actions?.delete) phase.actions.delete = { delete_searchable_snapshot: true, ...phase.actions.delete };
    }
    const usedBy = [...this.templates].filter(([, t]) => settingOf(t, "lifecycle.name") === name).map(([n]) => n);
    return [200, { [name]: { version: have.version, modified_date: have.modified, policy, in_use_by: { indices: [], data_streams: [], composable_templates: usedBy } } }];
  }

  private pipeline(method: string, id: string, body: Obj): [number, unknown] {
    if (method === "PUT") {
      if (!Array.isArray(body?.processors)) return [400, esError(400, "parse_exception", "[processors] required property is missing")];
      const now = Date.now();
      this.pipelines.set(id, { ...clone(body), created_date_millis: this.pipelines.get(id)?.created_date_millis ?? now, modified_date_millis: now });
      return [200, { acknowledged: true }];
    }
    const have = this.pipelines.get(id);
    if (!have) return [404, {}]; // real ES answers a missing pipeline with an empty object and 404
    if (method === "DELETE") {
      this.pipelines.delete(id);
      return [200, { acknowledged: true }];
    }
    return [200, { [id]: clone(have) }];
  }

  private template(method: string, name: string, body: Obj): [number, unknown] {
    if (method === "PUT") {
      if (!Array.isArray(body?.index_patterns) || body.index_patterns.length === 0) {
        return [400, esError(400, "action_request_validation_exception", "Validation Failed: 1: index patterns are missing;")];
      }
      for (const [other, t] of this.templates) {
        if (other !== name && t.priority === body.priority && t.index_patterns.some((p: string) => body.index_patterns.includes(p))) {
          return [400, esError(400, "illegal_argument_exception", `index template [${name}] has index patterns ${JSON.stringify(body.index_patterns)} matching patterns from existing templates [${other}] with the same priority`)];
        }
      }
      this.templates.set(name, clone(body));
      return [200, { acknowledged: true }];
    }
    const have = this.templates.get(name);
    if (!have) return [404, esError(404, "resource_not_found_exception", `index template matching [${name}] not found`)];
    if (method === "DELETE") {
      this.templates.delete(name);
      return [200, { acknowledged: true }];
    }
    const t = clone(have);
    const tpl: Obj = { ...(t.template ?? {}) };
    if (tpl.settings) tpl.settings = nestSettings(tpl.settings);
    if (tpl.mappings) tpl.mappings = dropObjectType(tpl.mappings);
    const out: Obj = { ...t, template: tpl, composed_of: t.composed_of ?? [] };
    if (t.data_stream) out.data_stream = { hidden: false, allow_custom_routing: false, ...t.data_stream };
    return [200, { index_templates: [{ name, index_template: out }] }];
  }

  private dataStream(name: string): [number, unknown] {
    const d = this.dataStreams.get(name);
    if (!d) return [404, { ...esError(404, "index_not_found_exception", `no such index [${name}]`), status: 404 }];
    const generation = d.generation ?? 1;
    const indices = Array.from({ length: generation }, (_, i) => ({ index_name: `.ds-${name}-2026.01.01-${String(i + 1).padStart(6, "0")}`, index_uuid: `uuid-${i}` }));
    return [200, { data_streams: [{ name, timestamp_field: { name: "@timestamp" }, indices, generation, status: d.status, template: d.template, ...(d.ilmPolicy ? { ilm_policy: d.ilmPolicy } : {}), hidden: false, system: false, allow_custom_routing: false, replicated: false }] }];
  }

  /** A missing index makes ES wait for the timeout, then answer 408 with status red and timed_out. */
  private health(name: string): [number, unknown] {
    const status = this.indexHealth.get(name);
    const base = { cluster_name: "fake", number_of_nodes: 1, number_of_data_nodes: 1, active_primary_shards: status ? 1 : 0, active_shards: status ? 1 : 0, relocating_shards: 0, initializing_shards: 0, unassigned_shards: status === "green" ? 0 : 1 };
    if (!status) return [408, { ...base, status: "red", timed_out: true }];
    return [200, { ...base, status, timed_out: false }];
  }

  /** Out-of-band edit, as someone with Kibana would do. */
  edit(kind: "template" | "pipeline" | "policy", name: string, fn: (body: Obj) => void): void {
    const v = kind === "template" ? this.templates.get(name) : kind === "pipeline" ? this.pipelines.get(name) : this.policies.get(name)?.policy;
    if (!v) throw new Error(`fake: no ${kind} ${name}`);
    fn(v);
  }
}

export function esError(status: number, type: string, reason: string): Obj {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** {"index.number_of_shards": 1} → {index: {number_of_shards: "1"}}, as ES returns settings. */
function nestSettings(s: Obj): Obj {
  const out: Obj = {};
  const put = (key: string, v: unknown) => {
    const parts = (key.startsWith("index.") ? key : `index.${key}`).split(".");
    let cur = out;
    for (const p of parts.slice(0, -1)) cur = cur[p] ??= {};
    cur[parts[parts.length - 1]] = String(v);
  };
  const walk = (v: unknown, prefix: string) => {
    if (v && typeof v === "object" && !Array.isArray(v)) for (const [k, c] of Object.entries(v)) walk(c, prefix ? `${prefix}.${k}` : k);
    else put(prefix, v);
  };
  walk(s, "");
  return out;
}

function dropObjectType(m: Obj): Obj {
  const out: Obj = { ...m };
  if (out.properties) out.properties = Object.fromEntries(Object.entries<Obj>(out.properties).map(([k, v]) => [k, dropObjectType(v)]));
  if (out.type === "object" && out.properties) delete out.type;
  return out;
}

function settingOf(t: Obj, key: string): unknown {
  const s = t.template?.settings ?? {};
  return s[`index.${key}`] ?? key.split(".").reduce<any>((c, k) => c?.[k], s.index ?? {});
}
