// Conditions of `when` and `filter`, as the seed's eval_condition reads them: the short forms
// ({gt: 5}, {contains: "x"}, {is_numeric: true}) and the typed ones ({type: matches, regex}).
import { parseDate } from "./pydate";
import { pyRegex } from "./pyregex";
import type { Condition, Globals, Json } from "./types";
import { isNullValue, numberOf, parseNumber, pyFloat, pyStr } from "./values";

export const CONDITION_KINDS = ["gt", "gte", "lt", "lte", "contains", "is_numeric", "is_number", "is_empty", "is_date", "matches", "in_set"] as const;

type Raw = Record<string, unknown>;

/** The compiled form of a raw condition object (never fails: unknown kinds evaluate to false, as in the seed). */
export function compileCondition(raw: Raw): Condition {
  const by = typeof raw.by === "string" ? raw.by : null;
  const t = typeof raw.type === "string" && raw.type ? raw.type : Object.keys(raw)[0];
  for (const k of ["gt", "gte", "lt", "lte"] as const) if (k in raw || t === k) return { kind: k, value: (raw[k] ?? null) as Json, by };
  if ("contains" in raw || t === "contains") return { kind: "contains", value: (raw.contains ?? "") as Json, by };
  if ("is_numeric" in raw || t === "is_numeric" || t === "is_number") return { kind: "is_numeric", by };
  if (t === "is_empty" || t === "is_date") return { kind: t, by };
  if (t === "matches") return { kind: "matches", regex: typeof raw.regex === "string" ? raw.regex : "", flags: typeof raw.flags === "string" ? raw.flags : "", by };
  if (t === "in_set") return { kind: "in_set", values: Array.isArray(raw.values) ? (raw.values as Json[]) : [], by };
  return { kind: "never", name: String(t ?? ""), by };
}

const comparableNumber = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  const n = numberOf(v);
  if (n !== null) return n;
  return pyFloat(pyStr(v).replace(/,/g, "."));
};

export function evalCondition(c: Condition, probe: unknown, g: Globals): boolean {
  switch (c.kind) {
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const a = typeof probe === "boolean" ? null : comparableNumber(probe);
      const b = pyFloat(c.value);
      if (a === null || b === null) return false;
      return c.kind === "gt" ? a > b : c.kind === "gte" ? a >= b : c.kind === "lt" ? a < b : a <= b;
    }
    case "contains":
      return typeof probe === "string" && typeof c.value === "string" ? probe.includes(c.value) : false;
    case "is_numeric":
      return parseNumber(probe, g) !== null;
    case "is_empty":
      return isNullValue(probe, g) || (typeof probe === "string" && probe.trim() === "");
    case "is_date":
      try {
        return parseDate(numberOf(probe) ?? probe, g.dateFormats, g.defaultTz || "UTC") !== null;
      } catch {
        return false;
      }
    case "matches": {
      const r = pyRegex(c.regex, c.flags, false);
      return r.ok && r.re.test(probe === null || probe === undefined ? "" : pyStr(probe));
    }
    case "in_set":
      return c.values.includes(probe === null || probe === undefined ? "" : pyStr(probe));
    case "never":
      return false;
  }
}
