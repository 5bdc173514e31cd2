// Proposes a starting mapping document from sample rows, as the mapping service's infer-types does: per
// column, the share of values that read as a date, boolean, number, integer or IPv4 address under the
// globals, and keyword/text from length and diversity; the best score wins.
import { parseDate } from "./pydate";
import type { Globals, Json } from "./types";
import { castBoolean, isNullValue, numberOf, parseNumber, pyStr } from "./values";

export interface ColumnStats {
  column: string;
  nonNull: number;
  nullRate: number;
  uniqueRatio: number;
  avgLen: number;
  maxLen: number;
  scores: Record<string, number>;
  type: "date" | "boolean" | "double" | "integer" | "ip" | "keyword" | "text";
  confidence: number;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|[01]?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d?\d)$/;

/** Leaf paths of nested JSON rows (objects are walked; lists and scalars are values). */
function columnsOf(rows: Array<Record<string, unknown>>, nested: boolean): Map<string, unknown[]> {
  const cols = new Map<string, unknown[]>();
  rows.forEach((row, i) => {
    const walk = (v: Record<string, unknown>, prefix: string) => {
      for (const [k, x] of Object.entries(v)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (nested && x && typeof x === "object" && !Array.isArray(x)) walk(x as Record<string, unknown>, key);
        else {
          if (!cols.has(key)) cols.set(key, new Array(i).fill(null));
          cols.get(key)!.push(x);
        }
      }
    };
    walk(row, "");
    for (const v of cols.values()) if (v.length < i + 1) v.push(null);
  });
  return cols;
}

export function inferColumns(rows: Array<Record<string, unknown>>, g: Globals, nested: boolean): ColumnStats[] {
  const out: ColumnStats[] = [];
  for (const [column, values] of columnsOf(rows, nested)) {
    const vals = values.filter((v) => !isNullValue(v, g));
    const n = vals.length;
    const texts = vals.map((v) => pyStr(v));
    const unique = new Set(texts).size;
    const uniqueRatio = n ? unique / n : 0;
    const avgLen = n ? texts.reduce((a, t) => a + [...t].length, 0) / n : 0;
    const maxLen = n ? Math.max(...texts.map((t) => [...t].length)) : 0;
    let dateHits = 0, boolHits = 0, numHits = 0, intHits = 0, ipHits = 0;
    for (const v of vals) {
      if (numberOf(v) !== null || (typeof v === "string" && readsAsDate(v, g))) dateHits++;
      if (typeof v === "boolean" || (typeof v !== "number" && castBooleanToken(v, g))) boolHits++;
      const num = typeof v === "boolean" ? null : parseNumber(v, g);
      if (num !== null && typeof num !== "boolean") {
        numHits++;
        if (Number.isInteger(numberOf(num))) intHits++;
      }
      if (typeof v === "string" && IPV4.test(v.trim())) ipHits++;
    }
    const scores: Record<string, number> = {};
    if (n) {
      scores.date = dateHits / n;
      scores.boolean = boolHits / n;
      scores.double = numHits / n;
      scores.integer = numHits ? (intHits / n) * 0.9 : 0;
      scores.ip = ipHits / n;
      const keyBase = uniqueRatio <= 0.9 && maxLen <= 1024 ? 0.7 : 0.2;
      const textBase = avgLen > 32 || uniqueRatio > 0.9 ? 0.7 : 0.3;
      scores.keyword = keyBase * (1 - scores.date) * (1 - scores.double) * (1 - scores.boolean);
      scores.text = textBase * (1 - scores.date) * (1 - scores.ip);
    }
    let type: ColumnStats["type"] = "keyword";
    let confidence = 0;
    // Ties keep the first in this order, as the seed's insertion-ordered dict does.
    for (const t of ["date", "boolean", "double", "integer", "ip", "keyword", "text"] as const) {
      if ((scores[t] ?? 0) > confidence) {
        type = t;
        confidence = scores[t];
      }
    }
    out.push({ column, nonNull: n, nullRate: values.length ? 1 - n / values.length : 0, uniqueRatio, avgLen, maxLen, scores, type, confidence });
  }
  return out;
}

function readsAsDate(v: string, g: Globals): boolean {
  try {
    return parseDate(v, g.dateFormats, g.defaultTz) !== null;
  } catch {
    return false;
  }
}

/** Only the globals' boolean tokens count (not numbers' truthiness), as infer-types reads booleans. */
function castBooleanToken(v: unknown, g: Globals): boolean {
  if (typeof v !== "string") return false;
  const s = v.trim().toLowerCase();
  return castBoolean(v, g) !== null && (g.boolTrue.some((t) => t.toLowerCase() === s) || g.boolFalse.some((t) => t.toLowerCase() === s));
}

const TARGET_SAFE = (c: string) => c.replace(/[^a-zA-Z0-9_.]/g, "_").replace(/^([^a-zA-Z_])/, "_$1");

/** A complete, valid mapping document for the columns (seed format). */
export function proposeMapping(index: string, stats: ColumnStats[], g: Globals, source: "json" | "csv"): Record<string, Json> {
  const fields = stats.map((s) => {
    const input = source === "csv" ? { kind: "column", name: s.column } : { kind: "jsonpath", expr: `$${s.column.split(".").map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `['${p.replace(/'/g, "\\'")}']`)).join("")}` };
    const esType = s.type === "integer" ? "long" : s.type;
    const pipeline: Json[] =
      s.type === "date" ? [{ op: "date_parse", formats: null, assume_tz: null }]
      : s.type === "boolean" ? [{ op: "cast", to: "boolean" }]
      : s.type === "double" || s.type === "integer" ? [{ op: "cast", to: s.type === "double" ? "double" : "long" }]
      : s.type === "ip" || s.type === "keyword" ? [{ op: "trim" }]
      : [];
    return { target: TARGET_SAFE(s.column), type: esType, input: [input], pipeline } as unknown as Json;
  });
  return {
    dsl_version: "2.2",
    index,
    globals: {
      nulls: g.nulls, bool_true: g.boolTrue, bool_false: g.boolFalse, decimal_sep: g.decimalSep, thousands_sep: g.thousandsSep,
      date_formats: g.dateFormats, default_tz: g.defaultTz, empty_as_null: g.emptyAsNull, preview: { sample_size: 100, seed: 42 },
    },
    id_policy: { from: [stats[0]?.column ?? "id"], op: "concat", sep: ":", on_conflict: "error" },
    fields,
    ...(source === "csv" ? { source: { format: "csv", csv: { delimiter: "," } } } : {}),
  };
}
