// Date parsing for the `date` op. Formats use the names Elasticsearch's date processor understands
// (ISO8601, UNIX_MS, UNIX, Java patterns) so the ingest pipeline can express the same op natively.

export const NAMED_DATE_FORMATS = ["iso8601", "epoch_millis", "epoch_seconds"] as const;

const PATTERN_TOKENS: Record<string, { re: string; key: keyof Parts }> = {
  yyyy: { re: "(\\d{4})", key: "year" },
  MM: { re: "(\\d{2})", key: "month" },
  dd: { re: "(\\d{2})", key: "day" },
  HH: { re: "(\\d{2})", key: "hour" },
  mm: { re: "(\\d{2})", key: "minute" },
  ss: { re: "(\\d{2})", key: "second" },
  SSS: { re: "(\\d{3})", key: "millis" },
  XXX: { re: "(Z|[+-]\\d{2}:\\d{2})", key: "offset" },
};

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  offset: string | null;
}

export type DateParser = (input: string | number) => number | null;

/** Compiles a Java-style pattern (yyyy MM dd HH mm ss SSS XXX, 'quoted literals') or returns an error message. */
export function compileDatePattern(pattern: string): DateParser | string {
  let re = "^";
  const keys: Array<keyof Parts> = [];
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) return `unterminated quote in date pattern '${pattern}'`;
      re += escapeRe(pattern.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    const tok = Object.keys(PATTERN_TOKENS).find((t) => pattern.startsWith(t, i));
    if (tok) {
      re += PATTERN_TOKENS[tok].re;
      keys.push(PATTERN_TOKENS[tok].key);
      i += tok.length;
      continue;
    }
    if (/[A-Za-z]/.test(pattern[i])) {
      return `unsupported letter '${pattern[i]}' in date pattern '${pattern}' (supported: yyyy MM dd HH mm ss SSS XXX and 'literals')`;
    }
    re += escapeRe(pattern[i]);
    i++;
  }
  if (!keys.includes("year") || !keys.includes("month") || !keys.includes("day")) {
    return `date pattern '${pattern}' needs at least yyyy, MM and dd`;
  }
  const rx = new RegExp(re + "$");
  return (input) => {
    if (typeof input !== "string") return null;
    const m = rx.exec(input);
    if (!m) return null;
    const p: Parts = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0, offset: null };
    keys.forEach((k, idx) => {
      if (k === "offset") p.offset = m[idx + 1];
      else p[k] = Number(m[idx + 1]);
    });
    return fromParts(p);
  };
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function parseIso(input: string | number): number | null {
  if (typeof input !== "string") return null;
  const m = ISO_RE.exec(input);
  if (!m) return null;
  return fromParts({
    year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0),
    millis: m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6) : 0,
    offset: m[8] ?? null,
  });
}

function parseEpoch(scale: number): DateParser {
  return (input) => {
    const n = typeof input === "number" ? input : /^-?\d+(\.\d+)?$/.test(input) ? Number(input) : NaN;
    return Number.isFinite(n) ? Math.round(n * scale) : null;
  };
}

function fromParts(p: Parts): number | null {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31 || p.hour > 23 || p.minute > 59 || p.second > 60) return null;
  let ms = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millis);
  const check = new Date(ms);
  if (check.getUTCDate() !== p.day) return null; // 31 February and friends
  if (p.offset && p.offset !== "Z") {
    const sign = p.offset[0] === "-" ? -1 : 1;
    const digits = p.offset.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Parser for one declared format: a named format or a pattern. Returns an error message for bad patterns. */
export function dateParser(format: string): DateParser | string {
  if (format === "iso8601") return parseIso;
  if (format === "epoch_millis") return parseEpoch(1);
  if (format === "epoch_seconds") return parseEpoch(1000);
  return compileDatePattern(format);
}

/** Same output as Elasticsearch's date processor default output format (yyyy-MM-dd'T'HH:mm:ss.SSSXXX in UTC). */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
