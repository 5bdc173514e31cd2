// Overlord supervisor API calls (/druid/indexer/v1/supervisor, SupervisorResource in Druid's source).
// Credentials come per call from the resource inputs; nothing is kept in module state so no secret ends
// up in a serialised closure.
import { authorizationHeader, druidGone, isHttpError, isNotFound, requestJson, shapes, type HttpConnection, type RequestOptions, type RetryPolicy } from "../http";
import type { Json } from "../../dsl/types";

export interface OverlordAuth {
  url: string;
  username?: string | null;
  password?: string | null;
  caCert?: string | null;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

const BASE = "/druid/indexer/v1/supervisor";

export function druidConnection(a: OverlordAuth): HttpConnection {
  return { url: a.url, authorization: authorizationHeader({ username: a.username, password: a.password }), caCert: a.caCert ?? null, timeoutMs: a.timeoutMs };
}

function opts(a: OverlordAuth, id: string, expect: RequestOptions["expect"]): RequestOptions {
  return { service: "Druid", resource: `supervisor '${id}'`, retry: a.retry, expect, gone: druidGone };
}

/** GET /supervisor/<id> answers the spec (wrapped as {type, spec, …}); anything else is not a supervisor. */
const supervisorShape = (body: unknown): string | null => {
  const o = shapes.object(body);
  if (o) return o;
  const b = body as Record<string, unknown>;
  return b.spec && typeof b.spec === "object" ? null : "no 'spec' object (not a supervisor spec)";
};

/** Creates or updates. `skipRestartIfUnmodified` only where the Druid release knows it (33+). */
export async function postSupervisor(a: OverlordAuth, id: string, spec: Json, skipRestartIfUnmodified: boolean): Promise<void> {
  const query = skipRestartIfUnmodified ? "?skipRestartIfUnmodified=true" : "";
  await requestJson(druidConnection(a), "POST", `${BASE}${query}`, spec, opts(a, id, shapes.field("id", "string")));
}

/** The live spec, or null when Druid itself says the supervisor does not exist. */
export async function getSupervisor(a: OverlordAuth, id: string): Promise<Json | null> {
  try {
    return (await requestJson<Json>(druidConnection(a), "GET", `${BASE}/${encodeURIComponent(id)}`, undefined, opts(a, id, supervisorShape))).body;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export interface SupervisorStatus {
  state: string;
  detailedState: string | null;
  healthy: boolean | null;
  suspended: boolean;
  /** The whole `payload` of GET /supervisor/<id>/status (activeTasks, aggregateLag, recentErrors…). */
  payload: Record<string, unknown>;
}

export async function getStatus(a: OverlordAuth, id: string): Promise<SupervisorStatus | null> {
  try {
    const body = (await requestJson<{ payload: Record<string, unknown> }>(druidConnection(a), "GET", `${BASE}/${encodeURIComponent(id)}/status`, undefined, opts(a, id, shapes.field("payload", "object")))).body;
    const p = body.payload;
    return {
      state: typeof p.state === "string" ? p.state : "UNKNOWN",
      detailedState: typeof p.detailedState === "string" ? p.detailedState : null,
      healthy: typeof p.healthy === "boolean" ? p.healthy : null,
      suspended: p.suspended === true,
      payload: p,
    };
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** Druid's 400 for a suspend/resume that is already in effect: {"error": "[<id>] is already suspended|running"}. */
function alreadyInState(e: unknown, suspended: boolean): boolean {
  if (!isHttpError(e) || e.status !== 400 || !e.body || typeof e.body !== "object") return false;
  const msg = (e.body as Record<string, unknown>).error;
  return typeof msg === "string" && msg.endsWith(`is already ${suspended ? "suspended" : "running"}`);
}

/** Suspends or resumes through /suspend and /resume; "already in that state" counts as done. */
export async function setSuspended(a: OverlordAuth, id: string, suspended: boolean): Promise<void> {
  const action = suspended ? "suspend" : "resume";
  try {
    await requestJson(druidConnection(a), "POST", `${BASE}/${encodeURIComponent(id)}/${action}`, undefined, opts(a, id, shapes.object));
  } catch (e) {
    if (alreadyInState(e, suspended)) return;
    throw e;
  }
}

/** Terminates; a supervisor Druid says does not exist counts as terminated. */
export async function terminate(a: OverlordAuth, id: string): Promise<void> {
  try {
    await requestJson(druidConnection(a), "POST", `${BASE}/${encodeURIComponent(id)}/terminate`, undefined, opts(a, id, shapes.object));
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
}
