// Deploy metrics for the Prometheus Pushgateway. The Pushgateway keeps the last value pushed per group and
// never adds, so `mapstack_apply_total` is made a real counter here: read the group's current counts,
// add one for this result, push both result series back. increase()/rate() over it then count applies,
// which is what the "apply success > 95 %" alert (src/targets/prometheus/rules.ts) computes.
//
// A Pushgateway behind basic auth is reached with the credentials of the URL (http://user:pass@host)
// or of MAPSTACK_PUSHGATEWAY_USER / MAPSTACK_PUSHGATEWAY_PASSWORD. They travel only in the
// Authorization header: every message this module produces goes through the redactor first, so neither
// the password, nor the header, nor a server reason that echoes them is ever printed.
import { MapstackError } from "../dsl/diagnostics";
import { METRICS } from "../observability/metric-catalogue";

export type ApplyResult = "success" | "failure";
export const RESULTS: ApplyResult[] = ["success", "failure"];

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition (what GET /metrics returns); comments and malformed lines are skipped. */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    for (let l = re.exec(m[3] ?? ""); l; l = re.exec(m[3] ?? "")) labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
    const value = Number(m[4]);
    if (Number.isFinite(value)) out.push({ name: m[1], labels, value });
  }
  return out;
}

export interface ApplyReport {
  stack: string;
  result: ApplyResult;
  durationSeconds: number;
  changedResources: number | null;
  /** Unix seconds of the apply's end. */
  at: number;
}

export const JOB = "mapstack";

/** The group's body: counters carried forward from `previous` (what the Pushgateway held) plus this apply. */
export function applyMetricsText(report: ApplyReport, previous: Sample[]): string {
  const prior = (result: ApplyResult) =>
    previous.find((s) => s.name === METRICS.mapstackApplyTotal.name && s.labels.job === JOB && s.labels.stack === report.stack && s.labels.result === result)?.value ?? 0;
  const lines = [
    `# HELP ${METRICS.mapstackApplyTotal.name} pulumi up runs of the stack by result (counter kept across pushes by mapstack report).`,
    `# TYPE ${METRICS.mapstackApplyTotal.name} counter`,
    // Both series always exist, so the first failure is an increase from 0 that increase() can see.
    ...RESULTS.map((r) => `${METRICS.mapstackApplyTotal.name}{result="${r}"} ${prior(r) + (r === report.result ? 1 : 0)}`),
    "# HELP mapstack_apply_last_duration_seconds Duration of the last pulumi up of the stack.",
    "# TYPE mapstack_apply_last_duration_seconds gauge",
    `mapstack_apply_last_duration_seconds ${report.durationSeconds}`,
    "# HELP mapstack_apply_last_success 1 when the last pulumi up of the stack succeeded, else 0.",
    "# TYPE mapstack_apply_last_success gauge",
    `mapstack_apply_last_success ${report.result === "success" ? 1 : 0}`,
    "# HELP mapstack_apply_last_timestamp_seconds When the last pulumi up of the stack ended (Unix seconds).",
    "# TYPE mapstack_apply_last_timestamp_seconds gauge",
    `mapstack_apply_last_timestamp_seconds ${report.at}`,
  ];
  if (report.changedResources !== null) {
    lines.push(
      "# HELP mapstack_apply_last_changed_resources Resources created, updated, replaced or deleted by the last pulumi up.",
      "# TYPE mapstack_apply_last_changed_resources gauge",
      `mapstack_apply_last_changed_resources ${report.changedResources}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Compile figures of one dataset (one DSL file compiled on its own, so the cache counts are its own). */
export interface DatasetCompileFigures {
  jsonpathCacheHits: number;
  jsonpathCacheMisses: number;
  compileMillis: number;
}

/** Gauges of the last compile per dataset, in the same group as the apply counters. */
export function compileMetricsText(perDataset: Record<string, DatasetCompileFigures>): string {
  const names = Object.keys(perDataset).sort();
  if (!names.length) return "";
  const label = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  const gauge = (name: string, help: string, value: (f: DatasetCompileFigures) => number) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...names.map((d) => `${name}{dataset="${label(d)}"} ${value(perDataset[d])}`),
  ];
  return [
    ...gauge(METRICS.mapstackCompileDuration.name, METRICS.mapstackCompileDuration.help, (f) => f.compileMillis / 1000),
    ...gauge(METRICS.mapstackJsonpathCacheHits.name, METRICS.mapstackJsonpathCacheHits.help, (f) => f.jsonpathCacheHits),
    ...gauge(METRICS.mapstackJsonpathCacheMisses.name, METRICS.mapstackJsonpathCacheMisses.help, (f) => f.jsonpathCacheMisses),
  ].join("\n") + "\n";
}

export function groupUrl(base: string, stack: string): string {
  return `${base.replace(/\/+$/, "")}/metrics/job/${JOB}/stack/${encodeURIComponent(stack)}`;
}

export interface PushgatewayTarget {
  /** Base URL without credentials: safe to print. */
  url: string;
  authorization: string | null;
  /** Replaces every credential (and encodings of it) in a text with "***". */
  redact(text: string): string;
}

export const PUSHGATEWAY_USER_ENV = "MAPSTACK_PUSHGATEWAY_USER";
export const PUSHGATEWAY_PASSWORD_ENV = "MAPSTACK_PUSHGATEWAY_PASSWORD";

/**
 * Splits the credentials off the URL. The environment variables win over the URL's userinfo (as with
 * elasticsearch_exporter's ES_USERNAME/ES_PASSWORD), so CI can keep the password out of the command line.
 */
export function pushgatewayTarget(raw: string, env: NodeJS.ProcessEnv = process.env): PushgatewayTarget {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new MapstackError("--pushgateway is not a valid URL (expected http(s)://[user:password@]host[:port][/path])");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new MapstackError("--pushgateway must be an http:// or https:// URL");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const urlUser = decode(parsed.username);
  const urlPassword = decode(parsed.password);
  const secrets = [parsed.password, urlPassword, parsed.username && parsed.password ? parsed.username + ":" + parsed.password : ""];
  const user = env[PUSHGATEWAY_USER_ENV] || urlUser;
  const password = env[PUSHGATEWAY_PASSWORD_ENV] || urlPassword;
  if (password && !user) throw new MapstackError(`a Pushgateway password needs a user name: set ${PUSHGATEWAY_USER_ENV} or put user:password@ in the URL`);
  secrets.push(password);
  let authorization: string | null = null;
  if (user) {
    const token = Buffer.from(`${user}:${password}`).toString("base64");
    authorization = `Basic ${token}`;
    secrets.push(token, encodeURIComponent(password));
  }
  parsed.username = "";
  parsed.password = "";
  const url = parsed.toString().replace(/\/+$/, "");
  const list = [...new Set(secrets.filter((s) => s && s.length > 0))].sort((a, b) => b.length - a.length);
  const redact = (text: string) => {
    let out = text.replace(/(authorization\s*[:=]\s*)(basic|bearer)\s+[A-Za-z0-9+/=._~-]+/gi, "$1$2 ***");
    out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, "$1***@");
    for (const s of list) out = out.split(s).join("***");
    return out;
  };
  return { url, authorization, redact };
}

async function request(target: PushgatewayTarget, url: string, init: RequestInit, what: string): Promise<Response> {
  const headers = { ...(init.headers as Record<string, string> | undefined), ...(target.authorization ? { authorization: target.authorization } : {}) };
  try {
    return await fetch(url, { ...init, headers, redirect: "error", signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    const reason = (e as Error).cause ? String(((e as Error).cause as Error).message) : (e as Error).message;
    throw new MapstackError(target.redact(`${what} ${url}: ${reason}`));
  }
}

async function refused(target: PushgatewayTarget, what: string, res: Response): Promise<MapstackError> {
  const hint = res.status === 401 || res.status === 403 ? ` (the Pushgateway wants credentials: user:password@ in the URL, or ${PUSHGATEWAY_USER_ENV}/${PUSHGATEWAY_PASSWORD_ENV})` : "";
  const text = (await res.text().catch(() => "")).slice(0, 300).trim();
  return new MapstackError(target.redact(`${what}: HTTP ${res.status}${hint}${text ? ` ${text}` : ""}`));
}

export interface PushOptions {
  /** Per-dataset compile figures pushed as gauges next to the apply counters. */
  compile?: Record<string, DatasetCompileFigures>;
}

/** Reads the current counts, pushes the group with PUT (replaces it whole), returns what was pushed. */
export async function pushApplyReport(pushgateway: string | PushgatewayTarget, report: ApplyReport, opts: PushOptions = {}): Promise<string> {
  const target = typeof pushgateway === "string" ? pushgatewayTarget(pushgateway) : pushgateway;
  const base = target.url;
  const current = await request(target, `${base}/metrics`, { method: "GET" }, "cannot read the Pushgateway's metrics at");
  if (!current.ok) throw await refused(target, `GET ${base}/metrics`, current);
  const body = applyMetricsText(report, parseExposition(await current.text())) + compileMetricsText(opts.compile ?? {});
  const url = groupUrl(base, report.stack);
  const put = await request(target, url, { method: "PUT", headers: { "content-type": "text/plain; version=0.0.4" }, body }, "cannot push to");
  if (!put.ok) throw await refused(target, `PUT ${url}`, put);
  return body;
}
