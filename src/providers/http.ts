// JSON over HTTP for our dynamic providers (Elasticsearch, Druid) and the CLI commands that read the same
// servers. Built on node:http/https only so a provider's serialised closure needs nothing outside Node
// itself, and so every caller shares the same retry and error rules.
//
// Pulumi serialises a dynamic provider's closure, including every module-level value it reaches; Sets,
// Maps and class instances do not survive that (pulumi/pulumi#2704), so module state here is plain
// arrays, objects and functions only. Credentials arrive per call and are never kept in module state.
import * as http from "node:http";
import * as https from "node:https";

export interface HttpConnection {
  /** Base URL, e.g. https://es.dev.internal:9200 (a path prefix is kept; user:password@ becomes Basic auth). */
  url: string;
  /** Full Authorization header value ("ApiKey …", "Basic …"), or empty for none. */
  authorization?: string | null;
  /** PEM text of the CA that signed the server certificate (not a path: the provider may run elsewhere). */
  caCert?: string | null;
  /** Deadline of one attempt, from connect to the last body byte; default 30 s. */
  timeoutMs?: number;
  /** Largest response body accepted; default 32 MiB. */
  maxResponseBytes?: number;
}

export interface RetryPolicy {
  /** Total attempts including the first; default 5. */
  maxAttempts: number;
  /** First backoff; doubles each retry; default 250 ms. */
  baseDelayMs: number;
  /** Cap of one backoff (also caps Retry-After); default 8 s. */
  maxDelayMs: number;
}

/** What is wrong with a 2xx body (e.g. "no 'id' field"), or null when it has the expected shape. */
export type ShapeCheck = (body: unknown) => string | null;

/** True when a 4xx answer is the service's own "no such object" answer (and not, say, a proxy's 404 page). */
export type GoneCheck = (status: number, body: unknown) => boolean;

export interface RequestOptions {
  /** What the request is about, for error messages: e.g. "index template 'order-lines-v1'". */
  resource: string;
  /** Server name for error messages: "Elasticsearch", "Druid". */
  service: string;
  retry?: Partial<RetryPolicy>;
  /** Extra headers, e.g. Content-Type overrides. */
  headers?: Record<string, string>;
  /** Shape a 2xx body must have; default: any JSON value (an empty or non-JSON body is an error). */
  expect?: ShapeCheck;
  /** Which 4xx answers mean "gone"; default: Elasticsearch's and Druid's own not-found shapes. */
  gone?: GoneCheck;
}

export type HttpErrorKind = "auth" | "bad-request" | "not-found" | "conflict" | "server" | "network" | "bad-response";

export interface HttpError extends Error {
  readonly kind: HttpErrorKind;
  readonly status: number | null;
  readonly body: unknown;
}

/**
 * A plain Error with its fields, not a subclass: Pulumi's closure serialiser rewrites `class … extends
 * Error` so that instances lose their message in the serialised provider (what refresh/destroy run).
 */
export function httpError(message: string, kind: HttpErrorKind, status: number | null, body: unknown): HttpError {
  return Object.assign(new Error(message), { name: "HttpError", kind, status, body });
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof Error && e.name === "HttpError" && typeof (e as { kind?: unknown }).kind === "string";
}

/** True only for the service's own "no such object" answer (see RequestOptions.gone). */
export function isNotFound(e: unknown): boolean {
  return isHttpError(e) && e.kind === "not-found";
}

export interface HttpResponse<T> {
  status: number;
  body: T;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8000 };
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const RETRY_STATUS = [429, 502, 503, 504];
const RETRY_CODES = ["ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ECONNREFUSED", "MAPSTACK_TIMEOUT"];

const ES_NOT_FOUND_TYPES = [
  "resource_not_found_exception",
  "index_not_found_exception",
  "index_template_missing_exception",
  "resource_already_gone_exception",
];

/**
 * Elasticsearch's own not-found answers: `{"error":{"type":"resource_not_found_exception",…},"status":404}`
 * (and index_not_found_exception…), or the bare `{}` with 404 that GET _ingest/pipeline/<id> returns.
 */
export function elasticsearchGone(status: number, body: unknown): boolean {
  if (status !== 404 || !body || typeof body !== "object" || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  if (Object.keys(b).length === 0) return true;
  const err = b.error as Record<string, unknown> | undefined;
  return b.status === 404 && !!err && typeof err === "object" && typeof err.type === "string" && ES_NOT_FOUND_TYPES.includes(err.type);
}

/**
 * Druid Overlord's own not-found answers (SupervisorResource / SupervisorResourceFilter): 404 with
 * `{"error":"[<id>] does not exist"}`, or — from the resource filter that runs first on /supervisor/<id>/… —
 * 400 with the plain text `Cannot find any supervisor with id: [<id>]`.
 */
export function druidGone(status: number, body: unknown): boolean {
  if (status === 404 && body && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    return Object.keys(b).length === 1 && typeof b.error === "string" && /^\[.*\] does not exist$/s.test(b.error);
  }
  return status === 400 && typeof body === "string" && /^Cannot find any supervisor with id: \[.*\]$/s.test(body.trim());
}

export const defaultGone: GoneCheck = (status, body) => elasticsearchGone(status, body) || druidGone(status, body);

/**
 * Removes credentials from text meant for people: user:password@ in URLs, Authorization header values a
 * server echoed back, and every literal secret given (header value, its token, decoded Basic user:password).
 */
export function redact(text: string, secrets: Array<string | null | undefined> = []): string {
  let out = text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1***@")
    .replace(/(authorization["']?\s*[:=]\s*["']?)(?:(basic|bearer|apikey|token|digest|negotiate)\s+)?[^\s"',;}\]]+/gi, (_m, head: string, scheme?: string) => `${head}${scheme ? `${scheme} ` : ""}***`)
    .replace(/\b(password|passwd|pwd|api[_-]?key|secret|token)(["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^\s"',;}&\]]+)/gi,
      (_m, key: string, sep: string, value: string) => `${key}${sep}${value[0] === '"' || value[0] === "'" ? `${value[0]}***${value[0]}` : "***"}`);
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("***");
  return out;
}

/** The literal secrets inside an Authorization header value, longest first. */
function secretsOf(authorization: string | null | undefined): string[] {
  if (!authorization) return [];
  const out = [authorization];
  const m = /^(\w+)\s+(.+)$/.exec(authorization);
  if (m) {
    out.push(m[2]);
    if (m[1].toLowerCase() === "basic") {
      const decoded = Buffer.from(m[2], "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      out.push(decoded);
      if (colon >= 0) out.push(decoded.slice(colon + 1));
    }
  }
  return out.sort((a, b) => b.length - a.length);
}

/** A short readable excerpt of a non-JSON body (an HTML page's title or text, never the whole page). */
function describeText(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, " ").replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

/** The server's own explanation, from the usual JSON error shapes (ES error.reason/root_cause, Druid error/errorMessage). */
export function serverReason(body: unknown): string {
  if (typeof body === "string") return describeText(body);
  if (!body || typeof body !== "object") return body === null || body === undefined ? "" : String(body);
  const b = body as Record<string, unknown>;
  const err = b.error;
  if (typeof err === "string") return typeof b.errorMessage === "string" ? `${err}: ${b.errorMessage}` : err;
  if (err && typeof err === "object") {
    const e = err as Record<string, unknown>;
    const root = Array.isArray(e.root_cause) ? (e.root_cause[0] as Record<string, unknown> | undefined) : undefined;
    const reason = typeof e.reason === "string" ? e.reason : typeof root?.reason === "string" ? root.reason : "";
    const type = typeof e.type === "string" ? e.type : typeof root?.type === "string" ? root.type : "";
    const causedBy = e.caused_by && typeof e.caused_by === "object" ? (e.caused_by as Record<string, unknown>).reason : undefined;
    const caused = typeof causedBy === "string" ? causedBy : "";
    return [type && `${type}:`, reason, caused && `(caused by: ${caused})`].filter(Boolean).join(" ");
  }
  for (const k of ["errorMessage", "message", "reason"]) if (typeof b[k] === "string") return b[k] as string;
  const json = JSON.stringify(body);
  return json.length > 500 ? `${json.slice(0, 500)}…` : json;
}

interface Raw {
  status: number;
  text: string;
  contentType: string;
  retryAfter: string | undefined;
  location: string | undefined;
}

interface Attempt {
  what: string;
  secrets: string[];
}

/** `what: message`, or `what message` when the message reads as a continuation ("was rejected …"). */
function fail(a: Attempt, message: string, kind: HttpErrorKind, status: number | null, body: unknown): HttpError {
  const sep = message.startsWith("was ") ? " " : ": ";
  return httpError(redact(`${a.what}${sep}${message}`, a.secrets), kind, status, body);
}

function classify(res: Raw, body: unknown, a: Attempt, opts: RequestOptions): HttpError {
  const { status } = res;
  const reason = serverReason(body);
  const said = reason ? `; server said: ${reason}` : "";
  const gone = opts.gone ?? defaultGone;
  if (status >= 400 && status < 500 && gone(status, body)) return fail(a, `not found (${status})${said}`, "not-found", status, body);
  if (status === 401 || status === 403) {
    return fail(a, `${status === 401 ? "authentication failed (401)" : "permission denied (403)"} — check the credentials in stack config (secret) and the user's privileges${said}`, "auth", status, body);
  }
  if (status === 404) {
    // Not the service's own "no such object": a proxy, a wrong base URL or a missing route. Never "already gone".
    return fail(a, `answered 404 but not in ${opts.service}'s own not-found format (a proxy or a wrong URL?)${said}`, "bad-response", status, body);
  }
  if (status === 409) return fail(a, `conflict (409)${said}`, "conflict", status, body);
  if (status >= 300 && status < 400) {
    const to = res.location ? ` to ${res.location}` : "";
    return fail(a, `redirected (${status})${to}; redirects are not followed (credentials would go to another address) — configure the final URL`, "bad-response", status, body);
  }
  if (status >= 400 && status < 500) return fail(a, `was rejected (${status})${reason ? `: ${reason}` : ""}`, "bad-request", status, body);
  return fail(a, `failed (${status})${said}`, "server", status, body);
}

/**
 * Splits user:password@ off a URL: the URL without it (safe to print) and the Basic header it stood for,
 * plus the literal secrets to redact. For any client that takes a URL from a user (e.g. a Pushgateway).
 */
export function credentialsFromUrl(raw: string): { url: string; authorization: string | null; secrets: string[] } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw httpError(`invalid URL ${JSON.stringify(redact(raw))}`, "network", null, null);
  }
  if (!url.username && !url.password) return { url: url.toString(), authorization: null, secrets: [] };
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
  url.username = "";
  url.password = "";
  return { url: url.toString(), authorization, secrets: [`${user}:${pass}`, pass, ...secretsOf(authorization)] };
}

/** The request URL without userinfo, the Authorization to send (an explicit one wins) and every secret to redact. */
function target(conn: HttpConnection, path: string): { url: URL; authorization: string | null; secrets: string[] } {
  const fromUrl = credentialsFromUrl(conn.url.replace(/\/+$/, "") + path);
  const authorization = conn.authorization || fromUrl.authorization;
  return { url: new URL(fromUrl.url), authorization, secrets: [...secretsOf(conn.authorization), ...fromUrl.secrets] };
}

function timeoutError(ms: number): NodeJS.ErrnoException {
  const e = new Error(`no complete response within ${ms} ms`) as NodeJS.ErrnoException;
  e.code = "MAPSTACK_TIMEOUT";
  return e;
}

function tooLargeError(limit: number): NodeJS.ErrnoException {
  const e = new Error(`response body larger than ${limit} bytes`) as NodeJS.ErrnoException;
  e.code = "MAPSTACK_TOO_LARGE";
  return e;
}

function once(conn: HttpConnection, url: URL, authorization: string | null, method: string, payload: string | undefined, opts: RequestOptions): Promise<Raw> {
  return new Promise<Raw>((resolve, reject) => {
    const lib = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = { Accept: "application/json", ...(opts.headers ?? {}) };
    if (payload !== undefined) {
      headers["Content-Type"] ??= "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(payload));
    }
    if (authorization) headers.Authorization = authorization;
    const deadline = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const limit = conn.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const req = lib.request(
      url,
      { method, headers, agent: false, ...(url.protocol === "https:" && conn.caCert ? { ca: conn.caCert } : {}) },
      (res) => {
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > limit) {
          req.destroy();
          return settle(() => reject(tooLargeError(limit)));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > limit) {
            req.destroy();
            settle(() => reject(tooLargeError(limit)));
          } else chunks.push(c);
        });
        res.on("error", (e) => settle(() => reject(e)));
        res.on("aborted", () => settle(() => reject(Object.assign(new Error("connection closed before the response was complete"), { code: "ECONNRESET" }))));
        res.on("end", () => {
          const ra = res.headers["retry-after"];
          settle(() => resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            contentType: String(res.headers["content-type"] ?? ""),
            retryAfter: Array.isArray(ra) ? ra[0] : ra,
            location: typeof res.headers.location === "string" ? res.headers.location : undefined,
          }));
        });
      },
    );
    timer = setTimeout(() => {
      const e = timeoutError(deadline);
      req.destroy(e);
      settle(() => reject(e));
    }, deadline);
    req.on("error", (e) => settle(() => reject(e)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** JSON body, or the raw text when it is not JSON (an HTML error page, a plain-text Druid message). */
function parseBody(text: string): { json: boolean; value: unknown } {
  if (!text.trim()) return { json: false, value: "" };
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false, value: text };
  }
}

/**
 * One JSON request with bounded retries: 429/502/503/504, connection resets and attempt deadlines are
 * retried with exponential backoff (honouring Retry-After, capped); everything else fails at once with an
 * HttpError whose message names the resource, carries the server's reason and never a credential.
 * A 2xx must be JSON of the expected shape; a 4xx is "not-found" only in the service's own format.
 */
export async function requestJson<T = unknown>(
  conn: HttpConnection,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  body: unknown,
  opts: RequestOptions,
): Promise<HttpResponse<T>> {
  const policy = { ...DEFAULT_RETRY, ...(opts.retry ?? {}) };
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const { url, authorization, secrets } = target(conn, path);
  const a: Attempt = { what: `${opts.service} ${method} ${redact(path)} for ${opts.resource}`, secrets };
  let lastProblem = "";
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let waitMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    let res: Raw;
    try {
      res = await once(conn, url, authorization, method, payload, opts);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      const message = (e as Error).message || code || "unknown network error";
      if (code === "MAPSTACK_TOO_LARGE") throw fail(a, message, "bad-response", null, null);
      if (!RETRY_CODES.includes(code)) throw fail(a, message, "network", null, null);
      lastProblem = code === "MAPSTACK_TIMEOUT" ? message : `${code} (${message})`;
      if (attempt < policy.maxAttempts) await new Promise((r) => setTimeout(r, waitMs));
      continue;
    }
    const parsed = parseBody(res.text);
    if (res.status >= 200 && res.status < 300) {
      if (!parsed.json) {
        const what = parsed.value === "" ? "an empty body" : `a body that is not JSON (${res.contentType || "no content type"}: ${describeText(res.text)})`;
        throw fail(a, `answered ${res.status} with ${what}; expected ${opts.service}'s JSON`, "bad-response", res.status, parsed.value);
      }
      const problem = opts.expect?.(parsed.value) ?? null;
      if (problem) throw fail(a, `answered ${res.status} with JSON of an unexpected shape: ${problem}`, "bad-response", res.status, parsed.value);
      return { status: res.status, body: parsed.value as T };
    }
    if (!RETRY_STATUS.includes(res.status)) throw classify(res, parsed.value, a, opts);
    const reason = serverReason(parsed.value);
    lastProblem = `HTTP ${res.status}${reason ? ` (${reason})` : ""}`;
    const ra = res.retryAfter !== undefined ? Number(res.retryAfter) : NaN;
    if (Number.isFinite(ra) && ra >= 0) waitMs = Math.min(policy.maxDelayMs, ra * 1000);
    if (attempt < policy.maxAttempts) await new Promise((r) => setTimeout(r, waitMs));
  }
  throw fail(a, `gave up after ${policy.maxAttempts} attempts; last: ${lastProblem}`, "server", null, null);
}

/** Authorization header from an API key (preferred) or basic credentials; null when neither is set. */
export function authorizationHeader(auth: { apiKey?: string | null; username?: string | null; password?: string | null }): string | null {
  if (auth.apiKey) return `ApiKey ${auth.apiKey}`;
  if (auth.username) return `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ""}`).toString("base64")}`;
  return null;
}

/** Shape checks for `expect`: small, composable, message names the path that is wrong. */
export const shapes = {
  object: (body: unknown): string | null => (body && typeof body === "object" && !Array.isArray(body) ? null : `expected a JSON object, got ${kindOf(body)}`),
  array: (body: unknown): string | null => (Array.isArray(body) ? null : `expected a JSON array, got ${kindOf(body)}`),
  /** An object whose `key` has the given JSON kind ("object", "string", "array", "number", "boolean"). */
  field: (key: string, kind: string): ShapeCheck => (body) => {
    if (!body || typeof body !== "object" || Array.isArray(body)) return `expected a JSON object with '${key}', got ${kindOf(body)}`;
    const got = kindOf((body as Record<string, unknown>)[key]);
    return got === kind ? null : `'${key}' should be ${kind}, got ${got}`;
  },
};

function kindOf(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}
