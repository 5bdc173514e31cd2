// `mapstack simulate --es <url>`: runs the compiled ingest pipeline on a real cluster (nothing is stored)
// and compares every document — `_source` and `_id` — with the local evaluator. On Elasticsearch 8.12+
// it uses POST _ingest/_simulate, which also applies the index mapping (a value the mapping rejects shows
// up as a failed document, as it would at indexing time); older clusters get POST _ingest/pipeline/_simulate,
// and the output says the mapping was not checked. Credentials come from the environment, never argv.
import * as fs from "node:fs";
import { MapstackError } from "../../dsl/diagnostics";
import type { SampleDocument } from "../../dsl/documents";
import { createEvaluator } from "../../dsl/evaluate";
import type { CompiledDataset } from "../../dsl/types";
import { authorizationHeader, isHttpError, requestJson, type HttpConnection } from "../../providers/http";
import { canonicalJson } from "../../providers/elasticsearch/normalize";
import { esNames } from "../../targets/elasticsearch/names";
import { documentMappingProblem } from "../../targets/elasticsearch/mapping-check";
import { addsIngestTimestamp, buildIngestPipeline, failureIndexOf } from "../../targets/elasticsearch/pipeline";

export { SIMULATE_ES_HELP } from "./simulate-es-help";

export interface EsComparison {
  lines: string[];
  compared: number;
  mismatched: number;
  /** Which API ran: the 8.12+ one (mappings applied) or the pipeline-only one. */
  api: "_ingest/_simulate" | "_ingest/pipeline/_simulate";
}

interface SimulatedDoc {
  doc?: { _index: string; _id?: string; _source: Record<string, unknown>; error?: { type?: string; reason?: string } };
  error?: { type?: string; reason?: string };
}

export interface CompareOptions {
  /** The dataset's index template body (with its mapping), substituted on 8.12+ so the mapping is checked. */
  indexTemplate?: unknown;
}

/** "8.12.1" → true when at least major.minor. */
export function versionAtLeast(version: string | null | undefined, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? "");
  if (!m) return false;
  return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}

async function simulate(conn: HttpConnection, ds: CompiledDataset, docs: SampleDocument[], opts: CompareOptions): Promise<{ docs: SimulatedDoc[]; api: EsComparison["api"] }> {
  const names = esNames(ds);
  const pipeline = buildIngestPipeline(ds);
  const simDocs = docs.map((d, i) => ({ _index: names.index, _id: `line-${d.line || i + 1}`, _source: d.doc }));
  const service = { service: "Elasticsearch", resource: `pipeline simulation of ${ds.name}` };
  const root = await requestJson<{ version?: { number?: string } }>(conn, "GET", "/", undefined, { ...service, retry: { maxAttempts: 1 } }).catch(() => null);
  if (versionAtLeast(root?.body.version?.number, 8, 12)) {
    const body: Record<string, unknown> = { docs: simDocs, pipeline_substitutions: { [names.pipeline]: pipeline } };
    if (opts.indexTemplate) body.index_template_substitutions = { [names.template]: opts.indexTemplate };
    const res = await requestJson<{ docs: SimulatedDoc[] }>(conn, "POST", `/_ingest/_simulate?pipeline=${encodeURIComponent(names.pipeline)}`, body, service);
    return { docs: res.body.docs, api: "_ingest/_simulate" };
  }
  const res = await requestJson<{ docs: SimulatedDoc[] }>(conn, "POST", "/_ingest/pipeline/_simulate", { pipeline, docs: simDocs }, service);
  return { docs: res.body.docs, api: "_ingest/pipeline/_simulate" };
}

export async function compareWithEs(ds: CompiledDataset, docs: SampleDocument[], url: string, env: NodeJS.ProcessEnv = process.env, opts: CompareOptions = {}): Promise<EsComparison> {
  if (!ds.sinks.elasticsearch) throw new MapstackError(`${ds.file}:1:1: dataset ${ds.name} has no elasticsearch sink to simulate`);
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new MapstackError(`--es must be an http(s) URL, got ${JSON.stringify(url)}`);
  const caFile = env.MAPSTACK_ES_CA_CERT;
  const conn: HttpConnection = {
    url,
    authorization: authorizationHeader({ apiKey: env.MAPSTACK_ES_API_KEY, username: env.MAPSTACK_ES_USERNAME, password: env.MAPSTACK_ES_PASSWORD }),
    caCert: caFile ? fs.readFileSync(caFile, "utf8") : null,
  };
  const sim = await simulate(conn, ds, docs, opts).catch((e: unknown) => {
    // A cluster problem is the user's to fix (URL, credentials): report it like any other bad input.
    throw isHttpError(e) ? new MapstackError(e.message) : e;
  });
  const failureIndex = failureIndexOf(ds);
  const lines: string[] = [];
  if (sim.api === "_ingest/pipeline/_simulate") lines.push(`elasticsearch ${url}: cluster older than 8.12 (or version unknown): pipeline simulated without the index mapping`);
  let mismatched = 0;
  docs.forEach((d, i) => {
    // A fresh evaluator per document: _id conflicts are a property of a batch, which _simulate does not have.
    const local = createEvaluator(ds).map(d.doc);
    const remote = sim.docs[i] ?? {};
    const problems: string[] = [];
    const failedRemotely = !remote.doc || !!remote.doc.error || remote.doc._index === failureIndex;
    const rejected = local.ok ? documentMappingProblem(ds.fields, local.doc._source) : null;
    if (!local.ok) {
      problems.push("local mapping skipped the document");
    } else if (rejected) {
      // The mapping would reject it: the pipeline must have sent it to the failure index instead.
      if (!failedRemotely) problems.push(`the mapping rejects it (${rejected}) but Elasticsearch indexed it into ${remote.doc!._index}`);
    } else if (failedRemotely) {
      const why = remote.error?.reason ?? remote.doc?.error?.reason ?? (remote.doc?._source?.error as Record<string, unknown> | undefined)?.message ?? "unknown";
      problems.push(`Elasticsearch did not index it as mapped: ${why}`);
    } else {
      const got = { ...remote.doc!._source };
      if (addsIngestTimestamp(ds)) delete got["@timestamp"];
      const want = local.doc._source;
      for (const k of [...new Set([...Object.keys(want), ...Object.keys(got)])].sort()) {
        const a = k in want ? canonicalJson(want[k]) : "(absent)";
        const b = k in got ? canonicalJson(got[k]) : "(absent)";
        if (a !== b) problems.push(`field ${k}: local ${a}, elasticsearch ${b}`);
      }
      if (local.doc._id !== null && remote.doc!._id !== local.doc._id) problems.push(`_id: local ${JSON.stringify(local.doc._id)}, elasticsearch ${JSON.stringify(remote.doc!._id ?? null)}`);
    }
    if (problems.length) {
      mismatched++;
      lines.push(...problems.map((p) => `line ${d.line}: ${p}`));
    }
  });
  lines.push(`elasticsearch ${url} (${sim.api}): ${docs.length} documents compared, ${docs.length - mismatched} identical, ${mismatched} different`);
  return { lines, compared: docs.length, mismatched, api: sim.api };
}
