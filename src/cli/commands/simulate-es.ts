// `mapstack simulate --es <url>`: runs the compiled ingest pipeline on a real cluster
// (POST _ingest/pipeline/_simulate, nothing is stored) and compares every document, field by field,
// with the local evaluator. Credentials come from the environment, never from the command line.
import * as fs from "node:fs";
import { MapstackError } from "../../dsl/diagnostics";
import type { SampleDocument } from "../../dsl/documents";
import { createEvaluator } from "../../dsl/evaluate";
import type { CompiledDataset } from "../../dsl/types";
import { authorizationHeader, HttpError, requestJson } from "../../providers/http";
import { canonicalJson } from "../../providers/elasticsearch/normalize";
import { esNames } from "../../targets/elasticsearch/names";
import { buildIngestPipeline } from "../../targets/elasticsearch/pipeline";

export const SIMULATE_ES_HELP = `
  --es URL        also run the compiled ingest pipeline on that Elasticsearch cluster
                  (POST _ingest/pipeline/_simulate; nothing is stored) and compare each document with the
                  local result, field by field. Credentials from the environment: MAPSTACK_ES_API_KEY, or
                  MAPSTACK_ES_USERNAME + MAPSTACK_ES_PASSWORD; MAPSTACK_ES_CA_CERT = PEM file of the CA.
                  @timestamp (set to ingest time in data_stream mode) is not compared.
                  Exit 1 when any document differs.`;

export interface EsComparison {
  lines: string[];
  compared: number;
  mismatched: number;
}

interface SimulatedDoc {
  doc?: { _index: string; _source: Record<string, unknown> };
  error?: { type?: string; reason?: string };
}

export async function compareWithEs(ds: CompiledDataset, docs: SampleDocument[], url: string, env: NodeJS.ProcessEnv = process.env): Promise<EsComparison> {
  if (!ds.sinks.elasticsearch) throw new MapstackError(`${ds.file}:1:1: dataset ${ds.name} has no elasticsearch sink to simulate`);
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new MapstackError(`--es must be an http(s) URL, got ${JSON.stringify(url)}`);
  const caFile = env.MAPSTACK_ES_CA_CERT;
  const conn = {
    url,
    authorization: authorizationHeader({ apiKey: env.MAPSTACK_ES_API_KEY, username: env.MAPSTACK_ES_USERNAME, password: env.MAPSTACK_ES_PASSWORD }),
    caCert: caFile ? fs.readFileSync(caFile, "utf8") : null,
  };
  const names = esNames(ds);
  const res = await requestJson<{ docs: SimulatedDoc[] }>(conn, "POST", "/_ingest/pipeline/_simulate", {
    pipeline: buildIngestPipeline(ds),
    docs: docs.map((d, i) => ({ _index: names.index, _id: String(i + 1), _source: d.doc })),
  }, { service: "Elasticsearch", resource: `pipeline simulation of ${ds.name}` }).catch((e: unknown) => {
    // A cluster problem is the user's to fix (URL, credentials): report it like any other bad input.
    throw e instanceof HttpError ? new MapstackError(e.message) : e;
  });
  const ev = createEvaluator(ds);
  const lines: string[] = [];
  let mismatched = 0;
  docs.forEach((d, i) => {
    const local = ev.map(d.doc);
    const remote = res.body.docs[i] ?? {};
    const problems: string[] = [];
    const failedRemotely = !remote.doc || remote.doc._index === names.failureIndex;
    if (!local.ok) {
      if (!failedRemotely) problems.push(`local mapping failed (${local.errors.map((e) => e.field).join(", ")}) but Elasticsearch indexed it into ${remote.doc!._index}`);
    } else if (failedRemotely) {
      const why = remote.error?.reason ?? (remote.doc?._source?.error as Record<string, unknown> | undefined)?.message ?? "unknown";
      problems.push(`Elasticsearch sent it to the failure index: ${why}`);
    } else {
      const { "@timestamp": _ts, ...got } = remote.doc!._source;
      void _ts;
      for (const k of [...new Set([...Object.keys(local.doc), ...Object.keys(got)])].sort()) {
        const a = k in local.doc ? canonicalJson(local.doc[k]) : "(absent)";
        const b = k in got ? canonicalJson(got[k]) : "(absent)";
        if (a !== b) problems.push(`field ${k}: local ${a}, elasticsearch ${b}`);
      }
    }
    if (problems.length) {
      mismatched++;
      lines.push(...problems.map((p) => `line ${d.line}: ${p}`));
    }
  });
  lines.push(`elasticsearch ${url}: ${docs.length} documents compared, ${docs.length - mismatched} identical, ${mismatched} different`);
  return { lines, compared: docs.length, mismatched };
}
