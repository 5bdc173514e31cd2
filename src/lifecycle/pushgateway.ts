// Deploy metrics for the Prometheus Pushgateway. The Pushgateway keeps the last value pushed per group and
// never adds, so `mapstack_apply_total` is made a real counter here: read the group's current counts,
// add one for this result, push both result series back. increase()/rate() over it then count applies,
// which is what the "apply success > 95 %" alert (src/targets/prometheus/rules.ts) computes.
import { MapstackError } from "../dsl/diagnostics";

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
    previous.find((s) => s.name === "mapstack_apply_total" && s.labels.job === JOB && s.labels.stack === report.stack && s.labels.result === result)?.value ?? 0;
  const lines = [
    "# HELP mapstack_apply_total pulumi up runs of the stack by result (counter kept across pushes by mapstack report).",
    "# TYPE mapstack_apply_total counter",
    // Both series always exist, so the first failure is an increase from 0 that increase() can see.
    ...RESULTS.map((r) => `mapstack_apply_total{result="${r}"} ${prior(r) + (r === report.result ? 1 : 0)}`),
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

export function groupUrl(base: string, stack: string): string {
  return `${base.replace(/\/+$/, "")}/metrics/job/${JOB}/stack/${encodeURIComponent(stack)}`;
}

async function request(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new MapstackError(`${what} ${url}: ${(e as Error).cause ? String(((e as Error).cause as Error).message) : (e as Error).message}`);
  }
}

/** Reads the current counts, pushes the group with PUT (replaces it whole), returns what was pushed. */
export async function pushApplyReport(pushgateway: string, report: ApplyReport): Promise<string> {
  const base = pushgateway.replace(/\/+$/, "");
  const current = await request(`${base}/metrics`, { method: "GET" }, "cannot read the Pushgateway's metrics at");
  if (!current.ok) throw new MapstackError(`GET ${base}/metrics: HTTP ${current.status} ${(await current.text()).slice(0, 200)}`);
  const body = applyMetricsText(report, parseExposition(await current.text()));
  const url = groupUrl(base, report.stack);
  const put = await request(url, { method: "PUT", headers: { "content-type": "text/plain; version=0.0.4" }, body }, "cannot push to");
  if (!put.ok) throw new MapstackError(`PUT ${url}: HTTP ${put.status} ${(await put.text()).slice(0, 300)}`);
  return body;
}
