// JSON over HTTP for our dynamic providers (Elasticsearch, Druid). Built on node:http/https only so a
// provider's serialised closure needs nothing outside Node itself, and so every provider shares the same
// retry and error rules. Credentials arrive per call (from the resource's secret inputs); nothing here
// keeps them in module state, which would leak them into a serialised closure.
import * as http from "node:http";
import * as https from "node:https";

export interface HttpConnection {
  /** Base URL, e.g. https://es.dev.internal:9200 (a path prefix is kept). */
  url: string;
  /** Full Authorization header value ("ApiKey …", "Basic …"), or empty for none. */
  authorization?: string | null;
  /** PEM text of the CA that signed the server certificate (not a path: the provider may run elsewhere). */
  caCert?: string | null;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
}

export interface RetryPolicy {
  /** Total attempts including the first; default 5. */
  maxAttempts: number;
  /** First backoff; doubles each retry; default 250 ms. */
  baseDelayMs: number;
  /** Cap of one backoff (also caps Retry-After); default 8 s. */
  maxDelayMs: number;
}

export interface RequestOptions {
  /** What the request is about, for error messages: e.g. "index template 'order-lines-v1'". */
  resource: string;
  /** Server name for error messages: "Elasticsearch", "Druid". */
  service: string;
  retry?: Partial<RetryPolicy>;
  /** Extra headers, e.g. Content-Type overrides. */
  headers?: Record<string, string>;
}

export type HttpErrorKind = "auth" | "bad-request" | "not-found" | "conflict" | "server" | "network";

export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: HttpErrorKind,
    readonly status: number | null,
    readonly body: unknown,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof HttpError && e.kind === "not-found";
}

export interface HttpResponse<T> {
  status: number;
  body: T;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8000 };
const RETRY_STATUS = new Set([429, 502, 503, 504]);
const RETRY_CODES = new Set(["ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ECONNREFUSED", "MAPSTACK_TIMEOUT"]);

/** The server's own explanation, from the usual JSON error shapes (ES error.reason/root_cause, Druid errorMessage). */
export function serverReason(body: unknown): string {
  if (typeof body === "string") return body.slice(0, 500);
  if (!body || typeof body !== "object") return "";
  const b = body as Record<string, unknown>;
  const err = b.error;
  if (typeof err === "string") return typeof b.errorMessage === "string" ? `${err}: ${b.errorMessage}` : err;
  if (err && typeof err === "object") {
    const e = err as Record<string, unknown>;
    const root = Array.isArray(e.root_cause) ? (e.root_cause[0] as Record<string, unknown> | undefined) : undefined;
    const reason = (e.reason ?? root?.reason ?? "") as string;
    const type = (e.type ?? root?.type ?? "") as string;
    const caused = e.caused_by && typeof e.caused_by === "object" ? (e.caused_by as Record<string, unknown>).reason : undefined;
    return [type && `${type}:`, reason, caused && `(caused by: ${caused})`].filter(Boolean).join(" ");
  }
  for (const k of ["errorMessage", "message", "reason"]) if (typeof b[k] === "string") return b[k] as string;
  return JSON.stringify(body).slice(0, 500);
}

function classify(status: number, body: unknown, method: string, path: string, opts: RequestOptions): HttpError {
  const reason = serverReason(body);
  const what = `${opts.service} ${method} ${path} for ${opts.resource}`;
  if (status === 401 || status === 403) {
    return new HttpError(
      `${what}: ${status === 401 ? "authentication failed (401)" : "permission denied (403)"}` +
        ` — check the credentials in stack config (secret) and the user's privileges${reason ? `; server said: ${reason}` : ""}`,
      "auth", status, body);
  }
  if (status === 404) return new HttpError(`${what}: not found (404)${reason ? `: ${reason}` : ""}`, "not-found", status, body);
  if (status === 409) return new HttpError(`${what}: conflict (409): ${reason}`, "conflict", status, body);
  if (status >= 400 && status < 500) return new HttpError(`${what} was rejected (${status}): ${reason}`, "bad-request", status, body);
  return new HttpError(`${what} failed (${status}): ${reason}`, "server", status, body);
}

function once(conn: HttpConnection, method: string, path: string, payload: string | undefined, opts: RequestOptions) {
  return new Promise<{ status: number; text: string; retryAfter: string | undefined }>((resolve, reject) => {
    const url = new URL(conn.url.replace(/\/+$/, "") + path);
    const lib = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = { Accept: "application/json", ...(opts.headers ?? {}) };
    if (payload !== undefined) {
      headers["Content-Type"] ??= "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(payload));
    }
    if (conn.authorization) headers.Authorization = conn.authorization;
    const req = lib.request(
      url,
      { method, headers, ...(url.protocol === "https:" && conn.caCert ? { ca: conn.caCert } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const ra = res.headers["retry-after"];
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), retryAfter: Array.isArray(ra) ? ra[0] : ra });
        });
      },
    );
    const timeout = conn.timeoutMs ?? 30_000;
    req.setTimeout(timeout, () => {
      const e = new Error(`no response within ${timeout} ms`) as NodeJS.ErrnoException;
      e.code = "MAPSTACK_TIMEOUT";
      req.destroy(e);
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * One JSON request with bounded retries: 429/502/503/504 and connection resets/timeouts are retried with
 * exponential backoff (honouring Retry-After, capped); everything else fails at once with an HttpError whose
 * message names the resource and carries the server's reason. 404 has its own kind so callers can treat
 * "already gone" as success.
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
  let lastProblem = "";
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let waitMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    try {
      const res = await once(conn, method, path, payload, opts);
      const parsed = parseBody(res.text);
      if (res.status >= 200 && res.status < 300) return { status: res.status, body: parsed as T };
      if (!RETRY_STATUS.has(res.status)) throw classify(res.status, parsed, method, path, opts);
      lastProblem = `HTTP ${res.status}${serverReason(parsed) ? ` (${serverReason(parsed)})` : ""}`;
      const ra = res.retryAfter !== undefined ? Number(res.retryAfter) : NaN;
      if (Number.isFinite(ra) && ra >= 0) waitMs = Math.min(policy.maxDelayMs, ra * 1000);
    } catch (e) {
      if (e instanceof HttpError) throw e;
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (!RETRY_CODES.has(code)) {
        throw new HttpError(`${opts.service} ${method} ${path} for ${opts.resource}: ${(e as Error).message}`, "network", null, null);
      }
      lastProblem = code === "MAPSTACK_TIMEOUT" ? (e as Error).message : `${code} (${(e as Error).message})`;
    }
    if (attempt < policy.maxAttempts) await new Promise((r) => setTimeout(r, waitMs));
  }
  throw new HttpError(
    `${opts.service} ${method} ${path} for ${opts.resource}: gave up after ${policy.maxAttempts} attempts; last: ${lastProblem}`,
    "server", null, null);
}

/** Authorization header from an API key (preferred) or basic credentials; null when neither is set. */
export function authorizationHeader(auth: { apiKey?: string | null; username?: string | null; password?: string | null }): string | null {
  if (auth.apiKey) return `ApiKey ${auth.apiKey}`;
  if (auth.username) return `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ""}`).toString("base64")}`;
  return null;
}
