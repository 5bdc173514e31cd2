// One dynamic provider for the three ES resource kinds (they differ only in REST path and normaliser).
// Credentials are read from the resource's own inputs on every call (Pulumi keeps them secret in state);
// nothing here captures a credential, so the serialised closure is safe to store. The closure is what
// state keeps and what refresh/destroy run, so it holds plain functions and plain objects only: no
// module-level Set, Map or class instance (the closure serialiser does not carry their contents).
import type * as pulumi from "@pulumi/pulumi";
import { authorizationHeader, HttpError, isNotFound, requestJson, type HttpConnection, type RetryPolicy } from "../http";
import { canonicalJson, normalizeIlmPolicy, normalizeIndexTemplate, normalizeIngestPipeline, propertyDiff, type PropertyDiffKind } from "./normalize";

export type EsKind = "index-template" | "ingest-pipeline" | "ilm-policy";

export interface EsConnection {
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
  /** PEM text of the CA (read from esCaCertPath by the program). */
  caCert?: string;
  /** Test hook: faster retries against the fake. */
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

export interface EsResourceState {
  kind: EsKind;
  name: string;
  /** Desired (inputs) or normalised live body (outputs). */
  body: Record<string, unknown>;
  connection: EsConnection;
  /**
   * mapstack:esAdoptExisting. Without it, create refuses to overwrite an existing object whose content
   * differs from the DSL's (it belongs to someone else, or to lost state); with it, create takes it over.
   */
  adopt?: boolean;
}

const KINDS: Record<EsKind, { path: string; label: string; normalize: (raw: unknown, name?: string) => unknown }> = {
  "index-template": { path: "/_index_template/", label: "index template", normalize: normalizeIndexTemplate },
  "ingest-pipeline": { path: "/_ingest/pipeline/", label: "ingest pipeline", normalize: normalizeIngestPipeline },
  "ilm-policy": { path: "/_ilm/policy/", label: "ILM policy", normalize: normalizeIlmPolicy },
};

function call(s: EsResourceState, method: "GET" | "PUT" | "DELETE", body?: unknown) {
  const k = KINDS[s.kind];
  const conn: HttpConnection = {
    url: s.connection.url,
    authorization: authorizationHeader(s.connection),
    caCert: s.connection.caCert || null,
    timeoutMs: s.connection.timeoutMs,
  };
  return requestJson(conn, method, k.path + encodeURIComponent(s.name), body, {
    service: "Elasticsearch",
    resource: `${k.label} '${s.name}'`,
    retry: s.connection.retry,
  });
}

function normalized(s: EsResourceState, raw: unknown): Record<string, unknown> {
  return KINDS[s.kind].normalize(raw, s.name) as Record<string, unknown>;
}

/** Connection fields whose change must be applied (new credentials) but never forces a replacement. */
function credentialsChanged(a: EsConnection, b: EsConnection): boolean {
  return (a.apiKey ?? "") !== (b.apiKey ?? "") || (a.username ?? "") !== (b.username ?? "") ||
    (a.password ?? "") !== (b.password ?? "") || (a.caCert ?? "") !== (b.caCert ?? "");
}

/** The live object, or null when ES has none under this name. */
async function existing(s: EsResourceState): Promise<Record<string, unknown> | null> {
  try {
    return normalized(s, (await call(s, "GET")).body);
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** Pulumi's DetailedPropertyDiff kinds (provider.proto): ADD 0, ADD_REPLACE 1, DELETE 2, DELETE_REPLACE 3, UPDATE 4, UPDATE_REPLACE 5. */
const DIFF_KIND: Record<PropertyDiffKind, number> = { add: 0, delete: 2, update: 4 };

export const esProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: EsResourceState, news: EsResourceState) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!KINDS[news.kind]) failures.push({ property: "kind", reason: `unknown kind ${JSON.stringify(news.kind)}` });
    if (!news.name || /[\s,/*?"<>|\\#]/.test(news.name)) failures.push({ property: "name", reason: `invalid Elasticsearch name ${JSON.stringify(news.name)}` });
    if (!news.connection?.url || !/^https?:\/\//.test(news.connection.url)) failures.push({ property: "connection", reason: "connection.url must be an http(s) URL (mapstack:esUrl)" });
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: EsResourceState, news: EsResourceState) {
    const replaces: string[] = [];
    const detailedDiff: Record<string, { kind: number; inputDiff: boolean }> = {};
    const mark = (path: string, kind: PropertyDiffKind, replace: boolean) => void (detailedDiff[path] = { kind: DIFF_KIND[kind] + (replace ? 1 : 0), inputDiff: true });
    if (olds.kind !== news.kind) (replaces.push("kind"), mark("kind", "update", true));
    if (olds.name !== news.name) (replaces.push("name"), mark("name", "update", true));
    if ((olds.connection?.url ?? "").replace(/\/+$/, "") !== news.connection.url.replace(/\/+$/, "")) (replaces.push("connection"), mark("connection.url", "update", true));
    // Both sides normalised: a re-serialised provider (__provider) or ES's GET defaults never show as a change.
    for (const [path, kind] of Object.entries(propertyDiff(normalized(olds, olds.body), normalized(news, news.body), "body"))) mark(path, kind, false);
    if (!replaces.includes("connection") && credentialsChanged(olds.connection ?? { url: "" }, news.connection)) mark("connection", "update", false);
    // detailedDiff follows the provider protocol (property paths, numeric kinds). The dynamic-provider host of
    // @pulumi/pulumi (3.248 installed, and still 3.270) forwards only changes/replaces/deleteBeforeReplace, so
    // the CLI shows its own input diff until the SDK passes it on; the paths are tested here either way.
    const result = { changes: Object.keys(detailedDiff).length > 0, replaces, deleteBeforeReplace: false, detailedDiff };
    return result;
  },

  async create(inputs: EsResourceState) {
    const live = await existing(inputs);
    if (live && !inputs.adopt) {
      const paths = Object.keys(propertyDiff(live, normalized(inputs, inputs.body), "body"));
      if (paths.length) {
        const k = KINDS[inputs.kind];
        throw new Error(
          `${k.label} '${inputs.name}' already exists in Elasticsearch and differs from the DSL's (${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", …" : ""}); ` +
            "this stack does not manage it. To take it over with the DSL's version, set `pulumi config set mapstack:esAdoptExisting true`, " +
            "run `pulumi up`, then unset it (docs/pulumi-cli.md, importing existing objects).",
        );
      }
    }
    await call(inputs, "PUT", inputs.body);
    return { id: inputs.name, outs: { ...inputs, body: normalized(inputs, inputs.body) } };
  },

  async update(_id: string, _olds: EsResourceState, news: EsResourceState) {
    await call(news, "PUT", news.body);
    return { outs: { ...news, body: normalized(news, news.body) } };
  },

  async read(id: string, props: EsResourceState) {
    const state = { ...props, name: props?.name ?? id };
    try {
      const res = await call(state, "GET");
      return { id, props: { ...state, body: normalized(state, res.body) } };
    } catch (e) {
      // Gone out of band: an empty read tells Pulumi to drop it from state (refresh shows a delete).
      if (isNotFound(e)) return {};
      throw e;
    }
  },

  async delete(_id: string, props: EsResourceState) {
    try {
      await call(props, "DELETE");
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  },
};

export { HttpError, canonicalJson };
