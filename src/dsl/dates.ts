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

/** Reads n decimal digits at i, or -1. */
function digitsAt(s: string, i: number, n: number): number {
  if (i + n > s.length) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * ISO 8601 as Elasticsearch's ISO8601 format reads it: yyyy-MM-dd, optionally [T ]HH:mm[:ss[.fraction]],
 * optionally Z or ±HH[:]mm. Hand-written because it runs once per date per document.
 */
function parseIso(input: string | number): number | null {
  if (typeof input !== "string") return null;
  const s = input;
  const year = digitsAt(s, 0, 4), month = digitsAt(s, 5, 2), day = digitsAt(s, 8, 2);
  if (year < 0 || month < 0 || day < 0 || s[4] !== "-" || s[7] !== "-") return null;
  let hour = 0, minute = 0, second = 0, millis = 0, offsetMinutes = 0;
  let i = 10;
  if (i < s.length && (s[i] === "T" || s[i] === " ")) {
    hour = digitsAt(s, i + 1, 2);
    minute = digitsAt(s, i + 4, 2);
    if (hour < 0 || minute < 0 || s[i + 3] !== ":") return null;
    i += 6;
    if (s[i] === ":") {
      second = digitsAt(s, i + 1, 2);
      if (second < 0) return null;
      i += 3;
      if (s[i] === "." || s[i] === ",") {
        let n = 0;
        i++;
        while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
          if (n < 3) millis = millis * 10 + (s.charCodeAt(i) - 48);
          n++;
          i++;
        }
        if (n === 0 || n > 9) return null;
        for (let k = n; k < 3; k++) millis *= 10;
      }
    }
  }
  if (i < s.length) {
    const c = s[i];
    if (c === "Z") i++;
    else if (c === "+" || c === "-") {
      const oh = digitsAt(s, i + 1, 2);
      const colon = s[i + 3] === ":" ? 1 : 0;
      const om = digitsAt(s, i + 3 + colon, 2);
      if (oh < 0 || om < 0) return null;
      offsetMinutes = (c === "-" ? -1 : 1) * (oh * 60 + om);
      i += 5 + colon;
    } else return null;
    if (i !== s.length) return null;
  }
  const ms = fromParts({ year, month, day, hour, minute, second, millis, offset: null });
  return ms === null ? null : ms - offsetMinutes * 60_000;
}

function parseEpoch(scale: number): DateParser {
  return (input) => {
    const n = typeof input === "number" ? input : /^-?\d+(\.\d+)?$/.test(input) ? Number(input) : NaN;
    return Number.isFinite(n) ? Math.round(n * scale) : null;
  };
}

function fromParts(p: Parts): number | null {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31 || p.hour > 23 || p.minute > 59 || p.second > 60) return null;
  if (p.day > daysInMonth(p.year, p.month)) return null; // 31 February and friends
  let ms = daysFromCivil(p.year, p.month, p.day) * 86_400_000 + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + p.millis;
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

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date and back (H. Hinnant's civil algorithms):
// plain integer arithmetic instead of a Date object per value.
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad2 = (n: number) => (n < 10 ? "0" : "") + n;
const pad3 = (n: number) => (n < 10 ? "00" : n < 100 ? "0" : "") + n;

/**
 * Same output as Date#toISOString (and Elasticsearch's date processor default output,
 * yyyy-MM-dd'T'HH:mm:ss.SSSXXX in UTC) for years 0000-9999; other years use the builtin's format.
 */
export function toIso(ms: number): string {
  if (!(ms >= -62_167_219_200_000 && ms <= 253_402_300_799_999) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const [y, m, d] = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  const year = y < 10 ? "000" + y : y < 100 ? "00" + y : y < 1000 ? "0" + y : String(y);
  return `${year}-${pad2(m)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(sec)}.${pad3(rest - sec * 1000)}Z`;
}
