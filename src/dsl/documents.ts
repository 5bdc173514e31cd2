// Sample rows for simulate: JSONL (one document per line), JSON (one document or an array) or CSV.
// A line that is not a JSON object is reported with its number and skipped; the batch goes on.
import { parseCsv } from "./csv";

export interface SampleDocument {
  line: number;
  doc: Record<string, unknown>;
}

export interface BadDocument {
  line: number;
  message: string;
}

export function readDocuments(text: string, jsonl: boolean): { docs: SampleDocument[]; bad: BadDocument[] } {
  const docs: SampleDocument[] = [];
  const bad: BadDocument[] = [];
  const accept = (line: number, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) docs.push({ line, doc: v as Record<string, unknown> });
    else bad.push({ line, message: `expected a JSON object, got ${Array.isArray(v) ? "an array" : v === null ? "null" : typeof v}` });
  };
  if (jsonl) {
    text.split("\n").forEach((raw, i) => {
      if (!raw.trim()) return;
      try {
        accept(i + 1, JSON.parse(raw));
      } catch (e) {
        bad.push({ line: i + 1, message: `not JSON: ${(e as Error).message}` });
      }
    });
    return { docs, bad };
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    bad.push({ line: 1, message: `not JSON: ${(e as Error).message}` });
    return { docs, bad };
  }
  if (Array.isArray(v)) v.forEach((d, i) => accept(i + 1, d));
  else accept(1, v);
  return { docs, bad };
}

/** CSV rows as documents for column inputs (the header names the columns). */
export function csvDocuments(text: string, delimiter: string): { docs: SampleDocument[]; bad: BadDocument[] } {
  const { rows, problems } = parseCsv(text, delimiter);
  return { docs: rows.map((r) => ({ line: r.line, doc: r.row })), bad: problems };
}
