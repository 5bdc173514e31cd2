// `mapstack status`: the post-deploy checklist of the Druid GitOps procedure it replaces, automated —
// supervisor RUNNING, tasks present and not failing, rows flowing, unparseable events ≈ 0, rows queryable
// over the last hour — plus the health of each Elasticsearch data stream (or rollover alias). A table,
// and a non-zero exit when a check fails, so CI can run it after `pulumi up`.
import * as path from "node:path";
import { compileDirectory } from "../../dsl/compile";
import type { CompiledDataset } from "../../dsl/types";
import { credentialsFromEnv, readCaCert, type DriftCredentials } from "../../lifecycle/drift";
import { countRecentRows, getRowStats, listTasks } from "../../providers/druid/health";
import { getStatus, type OverlordAuth } from "../../providers/druid/overlord";
import { authorizationHeader, isHttpError, requestJson, shapes, type HttpConnection, type RetryPolicy } from "../../providers/http";
import { loadStackSettings, type StackSettings } from "../../settings/stack-settings";
import { esNames } from "../../targets/elasticsearch/names";
import { effectiveThresholds } from "../../targets/prometheus/thresholds";
import { parse, UsageError, type Command } from "../command";
import { findProjectDir } from "../project";

export const STATUS_EXIT = { healthy: 0, failed: 3, unreadable: 4 } as const;

export type CheckResult = "ok" | "warn" | "fail" | "skip" | "unreadable";

export interface StatusCheck {
  dataset: string;
  target: "druid" | "elasticsearch";
  check: string;
  result: CheckResult;
  detail: string;
}

export interface StatusOptions {
  settings: StackSettings;
  datasets: CompiledDataset[];
  projectDir: string;
  credentials: DriftCredentials;
  druidUrl?: string;
  esUrl?: string;
  targets?: Array<StatusCheck["target"]>;
  retry?: Partial<RetryPolicy>;
}

const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 3 : 1)}%`;
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ");

async function druidChecks(ds: CompiledDataset, o: StatusOptions): Promise<StatusCheck[]> {
  const id = ds.sinks.druid!.datasource;
  const a: OverlordAuth = { url: o.druidUrl ?? o.settings.druid.url, username: o.settings.druid.username, password: o.credentials.druidPassword ?? "", retry: o.retry };
  const limits = effectiveThresholds(ds, o.settings).druid;
  const expectSuspended = o.settings.druid.suspended;
  const out: StatusCheck[] = [];
  const add = (check: string, result: CheckResult, detail: string): void => void out.push({ dataset: ds.name, target: "druid", check, result, detail });
  const attempt = async (check: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      add(check, "unreadable", reason(e));
    }
  };

  let running = false;
  let activeTasks = 0;
  let exists = true;
  await attempt("supervisor state", async () => {
    const s = await getStatus(a, id);
    exists = s !== null;
    if (!s) return add("supervisor state", "fail", `supervisor '${id}' does not exist`);
    running = s.state === "RUNNING";
    activeTasks = Array.isArray(s.payload.activeTasks) ? s.payload.activeTasks.length : 0;
    const detail = `${s.state}${s.detailedState && s.detailedState !== s.state ? ` (${s.detailedState})` : ""}${s.healthy === false ? ", unhealthy" : ""}`;
    if (expectSuspended) add("supervisor state", s.suspended ? "ok" : "warn", `${detail}; the stack sets druidSuspended`);
    else add("supervisor state", running && s.healthy !== false ? "ok" : "fail", running ? detail : `${detail}; expected RUNNING`);
  });
  // Without a supervisor the other checks can only repeat that; a suspended stack ingests nothing by design.
  if (expectSuspended || !exists) return out;

  const expected = o.settings.druid.taskCount * o.settings.druid.replicas;
  await attempt("tasks", async () => {
    const tasks = await listTasks(a, id);
    const done = tasks.filter((t) => t.statusCode === "SUCCESS" || t.statusCode === "FAILED");
    const failed = done.filter((t) => t.statusCode === "FAILED");
    const ratio = done.length ? failed.length / done.length : 0;
    const counts = `${activeTasks} active of ${expected} (taskCount × replicas); ${failed.length}/${done.length} completed tasks failed (${pct(ratio)}, limit ${pct(limits.taskFailureRatio)})`;
    const lastError = failed.find((t) => t.errorMsg)?.errorMsg;
    if (ratio > limits.taskFailureRatio || activeTasks === 0) add("tasks", "fail", counts + (lastError ? `; last error: ${lastError}` : ""));
    else add("tasks", activeTasks < expected ? "warn" : "ok", counts);
  });

  await attempt("ingestion rate", async () => {
    const s = await getRowStats(a, id);
    const rate = `${s.processedPerSecond.toFixed(1)} rows/s over the last minute (${s.tasks} task(s))`;
    add("ingestion rate", s.processedPerSecond > 0 ? "ok" : "fail", s.processedPerSecond > 0 ? rate : `${rate}; nothing ingested`);
    const seen = s.processed + s.processedWithError + s.unparseable;
    const ratio = seen ? s.unparseable / seen : 0;
    add("unparseable events", ratio <= limits.parseErrorRatio ? "ok" : "fail", `${s.unparseable} of ${seen} events (${pct(ratio)}, limit ${pct(limits.parseErrorRatio)})`);
  });

  await attempt("rows in the last hour", async () => {
    try {
      const rows = await countRecentRows(a, id, 1);
      add("rows in the last hour", rows > 0 ? "ok" : "fail", `SELECT COUNT(*) … last hour = ${rows}`);
    } catch (e) {
      // Druid SQL knows a datasource only once some row of it is queryable.
      if (isHttpError(e) && e.status === 400 && /Object '.*' not found/.test(e.message)) return add("rows in the last hour", "fail", `Druid SQL does not know '${id}' yet: no row ingested`);
      throw e;
    }
  });
  return out;
}

function esConnection(o: StatusOptions): HttpConnection {
  const es = o.settings.elasticsearch;
  const caCert = es.caCertPath ? readCaCert(o.projectDir, es.caCertPath) : null;
  return {
    url: o.esUrl ?? es.url,
    authorization: authorizationHeader({ apiKey: o.credentials.esApiKey, username: es.username, password: o.credentials.esPassword }),
    caCert,
  };
}

const ES_RESULT: Record<string, CheckResult> = { green: "ok", yellow: "warn", red: "fail" };

async function esChecks(ds: CompiledDataset, o: StatusOptions, conn: HttpConnection): Promise<StatusCheck> {
  const sink = ds.sinks.elasticsearch!;
  const name = esNames(ds).index;
  const check: StatusCheck = { dataset: ds.name, target: "elasticsearch", check: sink.mode === "data_stream" ? "data stream health" : "index health", result: "ok", detail: "" };
  const opts = { service: "Elasticsearch", resource: sink.mode === "data_stream" ? `data stream '${name}'` : `rollover alias '${name}'`, retry: o.retry };
  try {
    if (sink.mode === "data_stream") {
      const body = (await requestJson<{ data_streams: Array<{ status?: string; generation?: number; template?: string }> }>(conn, "GET", `/_data_stream/${encodeURIComponent(name)}`, undefined,
        { ...opts, expect: shapes.field("data_streams", "array") })).body;
      const d = body.data_streams[0];
      if (!d) return { ...check, result: "fail", detail: `data stream '${name}' does not exist` };
      const status = String(d.status ?? "unknown").toLowerCase();
      return { ...check, result: ES_RESULT[status] ?? "fail", detail: `${name}: ${status.toUpperCase()}, generation ${d.generation ?? "?"}` };
    }
    const body = (await requestJson<{ status: string }>(conn, "GET", `/_cluster/health/${encodeURIComponent(name)}?timeout=5s`, undefined, { ...opts, expect: shapes.field("status", "string") })).body;
    return { ...check, result: ES_RESULT[body.status] ?? "fail", detail: `${name}: ${body.status.toUpperCase()}` };
  } catch (e) {
    if (isHttpError(e) && e.kind === "not-found") return { ...check, result: "fail", detail: `${name} does not exist` };
    // _cluster/health waits for a missing index until the timeout, then answers 408 with status red.
    if (isHttpError(e) && e.status === 408) return { ...check, result: "fail", detail: `${name}: RED (no such index, or no shard allocated within 5 s)` };
    return { ...check, result: "unreadable", detail: reason(e) };
  }
}

/** Every check of every dataset of the stack, in dataset order (Druid first, then Elasticsearch). */
export async function runStatusChecks(o: StatusOptions): Promise<StatusCheck[]> {
  const want = o.targets ?? ["druid", "elasticsearch"];
  const checks: StatusCheck[] = [];
  const es = want.includes("elasticsearch") && o.datasets.some((d) => d.sinks.elasticsearch) ? esConnection(o) : null;
  for (const ds of o.datasets) {
    if (want.includes("druid") && ds.sinks.druid) checks.push(...(await druidChecks(ds, o)));
    if (es && ds.sinks.elasticsearch) checks.push(await esChecks(ds, o, es));
  }
  return checks;
}

const LABEL: Record<CheckResult, string> = { ok: "ok", warn: "WARN", fail: "FAIL", skip: "skip", unreadable: "UNREADABLE" };

export function statusTable(checks: StatusCheck[]): string {
  const head = ["DATASET", "TARGET", "CHECK", "RESULT", "DETAIL"];
  const rows = checks.map((c) => [c.dataset, c.target, c.check, LABEL[c.result], c.detail]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(width[i]))).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}

export const statusCommand: Command = {
  name: "status",
  summary: "post-deploy checks of a stack: Druid supervisors, tasks, ingestion, parse errors, SQL row count; ES health",
  help: `Usage: mapstack status --stack <stack> [--dataset NAME]… [--target druid|elasticsearch]…
                       [--druid-url URL] [--es-url URL] [--json] [--project-dir DIR]

The post-deploy checklist, per dataset of the stack (run it in CI after 'pulumi up'):
  Druid (datasets with a druid sink; skipped beyond the state when the stack sets druidSuspended)
    supervisor state      GET …/supervisor/<datasource>/status: RUNNING and healthy
    tasks                 active tasks vs taskCount × replicas (fewer: WARN, none: FAIL); failed
                          share of completed tasks ≤ the dataset's task_failure_ratio
    ingestion rate        rows/s over the last minute from …/supervisor/<datasource>/stats > 0
    unparseable events    unparseable share of events since the tasks started ≤ parse_error_ratio
    rows in the last hour Druid SQL (POST /druid/v2/sql) COUNT(*) over the last hour > 0
  Elasticsearch (datasets with an elasticsearch sink)
    data stream health    GET _data_stream/<name>: GREEN ok, YELLOW WARN, RED or missing FAIL
    index health          rollover-alias datasets: GET _cluster/health/<alias>
Thresholds are the dataset's monitoring block with the stack's alert overrides (as the alerts use).
Right after a deploy the ingestion checks may need a minute: retry the step rather than lowering limits.

Credentials come from the environment and are never printed:
  MAPSTACK_DRUID_PASSWORD   Druid basic-auth password (user: mapstack:druidUsername)
  MAPSTACK_ES_API_KEY       Elasticsearch API key (or MAPSTACK_ES_PASSWORD with mapstack:esUsername)

Options:
  --stack NAME        stack whose Pulumi.<stack>.yaml to read (required)
  --dataset NAME      only this dataset (repeatable)
  --target T          only druid or elasticsearch checks (repeatable)
  --druid-url URL     Druid Router here instead of mapstack:druidUrl (it serves the Overlord and SQL APIs)
  --es-url URL        Elasticsearch here instead of mapstack:esUrl
  --json              print the checks as JSON
  --project-dir DIR   directory holding Pulumi.yaml (default: found from the current directory)
Exit codes: 0 every check ok or WARN, 1 invalid settings or DSL, 2 bad command line, 3 some check
failed, 4 some service could not be read (and no check failed).`,
  async run(argv, io) {
    const { values } = parse(argv, {
      stack: { type: "string" }, dataset: { type: "string", multiple: true }, target: { type: "string", multiple: true },
      "druid-url": { type: "string" }, "es-url": { type: "string" }, json: { type: "boolean" }, "project-dir": { type: "string" },
    }, false);
    if (!values.stack) throw new UsageError("status needs --stack <name>");
    const targets = (values.target ?? ["druid", "elasticsearch"]) as Array<StatusCheck["target"]>;
    for (const t of targets) if (t !== "druid" && t !== "elasticsearch") throw new UsageError(`--target must be druid or elasticsearch, got ${JSON.stringify(t)}`);
    for (const k of ["es-url", "druid-url"] as const) if (values[k] && !/^https?:\/\/\S+$/.test(values[k]!)) throw new UsageError(`--${k} must be an http(s) URL`);
    const projectDir = findProjectDir(io.cwd, values["project-dir"]);
    const settings = loadStackSettings(projectDir, values.stack);
    let { datasets } = compileDirectory(path.resolve(projectDir, settings.dslDir));
    if (values.dataset) {
      const unknown = values.dataset.filter((n) => !datasets.some((d) => d.name === n));
      if (unknown.length) throw new UsageError(`unknown dataset ${unknown.map((n) => `'${n}'`).join(", ")} (datasets: ${datasets.map((d) => d.name).join(", ")})`);
      datasets = datasets.filter((d) => values.dataset!.includes(d.name));
    }
    const checks = await runStatusChecks({
      settings, datasets, projectDir, targets, credentials: credentialsFromEnv(process.env),
      druidUrl: values["druid-url"]?.replace(/\/+$/, ""), esUrl: values["es-url"]?.replace(/\/+$/, ""),
    });
    const failed = checks.filter((c) => c.result === "fail").length;
    const unreadable = checks.filter((c) => c.result === "unreadable").length;
    const warned = checks.filter((c) => c.result === "warn").length;
    if (values.json) io.out(JSON.stringify({ stack: settings.stack, failed, unreadable, warned, checks }, null, 2));
    else {
      if (checks.length) io.out(statusTable(checks));
      io.out(`stack ${settings.stack}: ${checks.length} check(s), ${failed} failed, ${warned} warning(s), ${unreadable} unreadable`);
    }
    return failed ? STATUS_EXIT.failed : unreadable ? STATUS_EXIT.unreadable : STATUS_EXIT.healthy;
  },
};
