// Drift without Pulumi state: what synth would deploy compared with what the live endpoints return.
// The live side goes through the providers' own read() (same HTTP client, same normalisers), and the
// comparison is the providers' own diff rule, so `mapstack drift` and `pulumi preview --refresh` agree on
// what counts as a change and what is a server-added default.
import * as fs from "node:fs";
import * as path from "node:path";
import { MapstackError } from "../dsl/diagnostics";
import type { CompiledDataset, Json } from "../dsl/types";
import { supervisorSpecDifferences } from "../providers/druid/normalize";
import { supervisorProvider, type SupervisorProps } from "../providers/druid/supervisor";
import { differingPaths, normalizeIlmPolicy, normalizeIndexTemplate, normalizeIngestPipeline } from "../providers/elasticsearch/normalize";
import { esProvider, type EsConnection, type EsKind, type EsResourceState } from "../providers/elasticsearch/provider";
import type { RetryPolicy } from "../providers/http";
import type { StackSettings } from "../settings/stack-settings";
import { esArtifacts } from "../targets/elasticsearch";
import { planDruid } from "../targets/druid";

export type DriftStatus = "in-sync" | "changed" | "missing" | "unreadable";

export interface DriftItem {
  target: "elasticsearch" | "druid";
  kind: string;
  name: string;
  dataset: string;
  status: DriftStatus;
  /** Paths that differ (changed) or the reason (unreadable). */
  details: string[];
}

/** Credentials from the environment: the CLI has no Pulumi state to read secrets from. Never printed. */
export interface DriftCredentials {
  esApiKey?: string;
  esPassword?: string;
  druidPassword?: string;
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv): DriftCredentials {
  return { esApiKey: env.MAPSTACK_ES_API_KEY || undefined, esPassword: env.MAPSTACK_ES_PASSWORD || undefined, druidPassword: env.MAPSTACK_DRUID_PASSWORD || undefined };
}

export interface DriftOptions {
  settings: StackSettings;
  datasets: CompiledDataset[];
  projectDir: string;
  credentials: DriftCredentials;
  /** Endpoint overrides (a port-forward, a test fake); default: the stack's esUrl / druidUrl. */
  esUrl?: string;
  druidUrl?: string;
  targets?: Array<DriftItem["target"]>;
  retry?: Partial<RetryPolicy>;
}

const ES_NORMALIZE: Record<EsKind, (raw: unknown, name?: string) => unknown> = {
  "index-template": normalizeIndexTemplate,
  "ingest-pipeline": normalizeIngestPipeline,
  "ilm-policy": normalizeIlmPolicy,
};

/** The PEM named by mapstack:esCaCertPath; a missing or unreadable file is a user error naming it. */
export function readCaCert(projectDir: string, caCertPath: string): string {
  const file = path.resolve(projectDir, caCertPath);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new MapstackError(`mapstack:esCaCertPath: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

const reason = (e: unknown) => (e as Error).message.replace(/\s+/g, " ");

async function esDrift(o: DriftOptions): Promise<DriftItem[]> {
  const es = o.settings.elasticsearch;
  const caCert = es.caCertPath ? readCaCert(o.projectDir, es.caCertPath) : undefined;
  const connection: EsConnection = {
    url: o.esUrl ?? es.url,
    ...(o.credentials.esApiKey ? { apiKey: o.credentials.esApiKey } : {}),
    ...(es.username ? { username: es.username, password: o.credentials.esPassword ?? "" } : {}),
    ...(caCert ? { caCert } : {}),
    ...(o.retry ? { retry: o.retry } : {}),
  };
  const items: DriftItem[] = [];
  for (const d of o.datasets.filter((x) => x.sinks.elasticsearch)) {
    const a = esArtifacts(d, o.settings);
    const objects: Array<[EsKind, string, unknown]> = [
      ["ilm-policy", a.names.policy, a.policy],
      ["ingest-pipeline", a.names.pipeline, a.pipeline],
      ["index-template", a.names.template, a.template],
    ];
    for (const [kind, name, body] of objects) {
      const state: EsResourceState = { kind, name, body: body as Record<string, unknown>, connection };
      const item: DriftItem = { target: "elasticsearch", kind, name, dataset: d.name, status: "in-sync", details: [] };
      try {
        const live = (await esProvider.read!(name, state)) as { props?: EsResourceState };
        if (!live.props) Object.assign(item, { status: "missing", details: ["not found"] });
        else {
          const paths = differingPaths(ES_NORMALIZE[kind](body, name), live.props.body);
          if (paths.length) Object.assign(item, { status: "changed", details: paths });
        }
      } catch (e) {
        Object.assign(item, { status: "unreadable", details: [reason(e)] });
      }
      items.push(item);
    }
  }
  return items;
}

async function druidDrift(o: DriftOptions): Promise<DriftItem[]> {
  const datasets = o.datasets.filter((d) => d.sinks.druid);
  if (!datasets.length) return [];
  const plan = planDruid(o.settings, datasets, o.projectDir);
  const items: DriftItem[] = [];
  for (const { dataset, spec } of plan.supervisors) {
    const id = dataset.sinks.druid!.datasource;
    const props: SupervisorProps = {
      druidUrl: o.druidUrl ?? o.settings.druid.url,
      druidUsername: o.settings.druid.username,
      druidPassword: o.credentials.druidPassword ?? "",
      kafkaPassword: "",
      supervisorId: id,
      spec: spec as Json,
      suspended: o.settings.druid.suspended,
      retired: null,
    };
    const item: DriftItem = { target: "druid", kind: "supervisor", name: id, dataset: dataset.name, status: "in-sync", details: [] };
    try {
      const live = (await supervisorProvider.read!(id, props)) as { id?: string; props?: SupervisorProps };
      if (!live.id) Object.assign(item, { status: "missing", details: ["not found"] });
      else {
        const paths = supervisorSpecDifferences(spec as Json, live.props!.spec).map((p) => `spec.${p}`);
        if (live.props!.suspended !== o.settings.druid.suspended) paths.push(`suspended (live ${live.props!.suspended}, desired ${o.settings.druid.suspended})`);
        if (paths.length) Object.assign(item, { status: "changed", details: paths });
      }
    } catch (e) {
      Object.assign(item, { status: "unreadable", details: [reason(e)] });
    }
    items.push(item);
  }
  return items;
}

export async function detectDrift(o: DriftOptions): Promise<DriftItem[]> {
  const want = new Set(o.targets ?? ["elasticsearch", "druid"]);
  return [...(want.has("elasticsearch") ? await esDrift(o) : []), ...(want.has("druid") ? await druidDrift(o) : [])];
}

/** A fixed-width table of the items that are not in sync (all items with `all`). */
export function driftTable(items: DriftItem[], all = false): string {
  const rows = items.filter((i) => all || i.status !== "in-sync").map((i) => [i.target, i.kind, i.name, i.dataset, i.status, i.details.join(", ")]);
  if (!rows.length) return "";
  const head = ["TARGET", "KIND", "NAME", "DATASET", "STATUS", "DIFFERENCES"];
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(width[c]))).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}
