// Overlord supervisor API calls (documented at /druid/indexer/v1/supervisor). Credentials come per call
// from the resource inputs; nothing is kept in module state so no secret ends up in a serialised closure.
import { authorizationHeader, HttpError, isNotFound, requestJson, type HttpConnection, type RetryPolicy } from "../http";
import type { Json } from "../../dsl/types";

export interface OverlordAuth {
  url: string;
  username?: string | null;
  password?: string | null;
  caCert?: string | null;
  retry?: Partial<RetryPolicy>;
}

const BASE = "/druid/indexer/v1/supervisor";

function conn(a: OverlordAuth): HttpConnection {
  return { url: a.url, authorization: authorizationHeader({ username: a.username, password: a.password }), caCert: a.caCert ?? null };
}

const opts = (a: OverlordAuth, id: string) => ({ service: "Druid", resource: `supervisor '${id}'`, retry: a.retry });

/** Creates or updates; Druid leaves running tasks alone when the spec is unchanged. */
export async function postSupervisor(a: OverlordAuth, id: string, spec: Json): Promise<void> {
  await requestJson(conn(a), "POST", `${BASE}?skipRestartIfUnmodified=true`, spec, opts(a, id));
}

export async function getSupervisor(a: OverlordAuth, id: string): Promise<Json | null> {
  try {
    return (await requestJson<Json>(conn(a), "GET", `${BASE}/${encodeURIComponent(id)}`, undefined, opts(a, id))).body;
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
}

export async function getStatus(a: OverlordAuth, id: string): Promise<SupervisorStatus | null> {
  try {
    const body = (await requestJson<{ payload?: Record<string, unknown> }>(conn(a), "GET", `${BASE}/${encodeURIComponent(id)}/status`, undefined, opts(a, id))).body;
    const p = body?.payload ?? {};
    return {
      state: String(p.state ?? "UNKNOWN"),
      detailedState: typeof p.detailedState === "string" ? p.detailedState : null,
      healthy: typeof p.healthy === "boolean" ? p.healthy : null,
      suspended: p.suspended === true,
    };
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/**
 * Suspends or resumes. Druid answers 400 when the supervisor is already in that state, which is the
 * outcome we want, so that answer counts as success.
 */
export async function setSuspended(a: OverlordAuth, id: string, suspended: boolean): Promise<void> {
  const action = suspended ? "suspend" : "resume";
  try {
    await requestJson(conn(a), "POST", `${BASE}/${encodeURIComponent(id)}/${action}`, undefined, opts(a, id));
  } catch (e) {
    if (e instanceof HttpError && e.status === 400 && /already/i.test(e.message)) return;
    throw e;
  }
}

/** Terminates; an unknown (already terminated) supervisor is success. */
export async function terminate(a: OverlordAuth, id: string): Promise<void> {
  try {
    await requestJson(conn(a), "POST", `${BASE}/${encodeURIComponent(id)}/terminate`, undefined, opts(a, id));
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
}
