// Reads behind `mapstack status`: supervisor row stats, the datasource's tasks and a Druid SQL row count.
// Shapes from Druid's source: GET /druid/indexer/v1/supervisor/<id>/stats answers
// {<taskGroup>: {<taskId>: {movingAverages: {buildSegments: {"1m": meters, …}}, totals: {buildSegments: meters}}}}
// with meters {processed, processedBytes, processedWithError, thrownAway, unparseable} (rates per second
// in movingAverages); GET /druid/indexer/v1/tasks answers TaskStatusPlus objects; POST /druid/v2/sql an
// array of row objects.
import { requestJson, shapes } from "../http";
import { druidConnection, type OverlordAuth } from "./overlord";

export interface RowStats {
  /** Tasks that reported stats. */
  tasks: number;
  /** Rows per second over the last minute, all tasks. */
  processedPerSecond: number;
  unparseablePerSecond: number;
  /** Since the current tasks started. */
  processed: number;
  processedWithError: number;
  unparseable: number;
  thrownAway: number;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export async function getRowStats(a: OverlordAuth, id: string): Promise<RowStats> {
  const body = (await requestJson(druidConnection(a), "GET", `/druid/indexer/v1/supervisor/${encodeURIComponent(id)}/stats`, undefined,
    { service: "Druid", resource: `supervisor '${id}' stats`, retry: a.retry, expect: shapes.object })).body;
  const out: RowStats = { tasks: 0, processedPerSecond: 0, unparseablePerSecond: 0, processed: 0, processedWithError: 0, unparseable: 0, thrownAway: 0 };
  for (const group of Object.values(obj(body))) {
    for (const task of Object.values(obj(group))) {
      const t = obj(task);
      if (!("totals" in t) && !("movingAverages" in t)) continue;
      out.tasks++;
      const rate = obj(obj(obj(t.movingAverages).buildSegments)["1m"]);
      const totals = obj(obj(t.totals).buildSegments);
      out.processedPerSecond += num(rate.processed);
      out.unparseablePerSecond += num(rate.unparseable);
      out.processed += num(totals.processed);
      out.processedWithError += num(totals.processedWithError);
      out.unparseable += num(totals.unparseable);
      out.thrownAway += num(totals.thrownAway);
    }
  }
  return out;
}

export interface TaskSummary {
  id: string;
  statusCode: string;
  errorMsg: string | null;
}

export async function listTasks(a: OverlordAuth, datasource: string): Promise<TaskSummary[]> {
  const body = (await requestJson<unknown[]>(druidConnection(a), "GET", `/druid/indexer/v1/tasks?datasource=${encodeURIComponent(datasource)}`, undefined,
    { service: "Druid", resource: `tasks of '${datasource}'`, retry: a.retry, expect: shapes.array })).body;
  return body.map((t) => {
    const o = obj(t);
    return { id: String(o.id ?? ""), statusCode: String(o.statusCode ?? o.status ?? "UNKNOWN"), errorMsg: typeof o.errorMsg === "string" ? o.errorMsg : null };
  });
}

/** SELECT COUNT(*) over the last `hours` hours, through Druid SQL (the Router forwards it to a Broker). */
export async function countRecentRows(a: OverlordAuth, datasource: string, hours = 1): Promise<number> {
  const table = `"${datasource.replace(/"/g, '""')}"`;
  const query = `SELECT COUNT(*) AS "rows" FROM ${table} WHERE __time >= CURRENT_TIMESTAMP - INTERVAL '${Math.max(1, Math.floor(hours))}' HOUR`;
  const rowsShape = (b: unknown) => shapes.array(b) ?? (typeof obj((b as unknown[])[0]).rows === "number" ? null : "no numeric 'rows' in the first row");
  const body = (await requestJson<Array<{ rows: number }>>(druidConnection(a), "POST", "/druid/v2/sql", { query, resultFormat: "object" },
    { service: "Druid SQL", resource: `row count of '${datasource}'`, retry: a.retry, expect: rowsShape })).body;
  return body[0].rows;
}
