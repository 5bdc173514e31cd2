// Dates as the seed executor reads them (Python 3.11): strptime formats, datetime.fromisoformat, epoch
// numbers, and naive values placed in an IANA zone the way zoneinfo does (fold=0: an ambiguous wall time
// takes its first occurrence, a skipped one the offset in force before the gap).
import { pyStrip } from "./pytext";

export class PyDateTime {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly micro: number,
    /** Offset from UTC in seconds; null for a naive value. */
    readonly offset: number | null,
  ) {}

  /** Epoch milliseconds (fractional) of an aware value; naive values are read as UTC. */
  epochMillis(): number {
    return Date.UTC(this.year, this.month - 1, this.day, this.hour, this.minute, this.second) + this.micro / 1000 - (this.offset ?? 0) * 1000;
  }

  withOffset(offset: number): PyDateTime {
    return new PyDateTime(this.year, this.month, this.day, this.hour, this.minute, this.second, this.micro, offset);
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
/** pad(n) for 0 ≤ n < 100 without building a padded copy (the fields of every formatted date). */
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

function formatOffset(sec: number, zulu: boolean): string {
  if (sec === 0 && zulu) return "Z";
  const sign = sec < 0 ? "-" : "+";
  const a = Math.abs(sec);
  const hh = Math.floor(a / 3600);
  const mm = Math.floor((a % 3600) / 60);
  const ss = a % 60;
  return `${sign}${pad(hh)}:${pad(mm)}${ss ? `:${pad(ss)}` : ""}`;
}

/** str(datetime) with sep " ", isoformat with "T"; `json` renders a zero offset as Z (the seed's API serialiser). */
export function formatPyDateTime(d: PyDateTime, sep: string, json = false): string {
  const date = `${d.year >= 1000 ? d.year : pad(d.year, 4)}-${pad2(d.month)}-${pad2(d.day)}`;
  const time = `${pad2(d.hour)}:${pad2(d.minute)}:${pad2(d.second)}${d.micro ? `.${pad(d.micro, 6)}` : ""}`;
  return `${date}${sep}${time}${d.offset === null ? "" : formatOffset(d.offset, json)}`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days of month m (1–12) of year y in the proleptic Gregorian calendar, as Python's datetime counts them. */
function daysInMonth(y: number, m: number): number {
  return m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1];
}

function make(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0, off: number | null = null): PyDateTime | null {
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  if (h > 23 || mi > 59 || s > 59 || us > 999999) return null;
  if (off !== null && Math.abs(off) >= 86400) return null;
  return new PyDateTime(y, mo, d, h, mi, s, us, off);
}

/** An epoch number no datetime can hold (Python raises, and the seed reports the op as failed). */
export class EpochOutOfRange extends Error {
  constructor() {
    super("epoch out of the range of dates (years 1-9999)");
    this.name = "EpochOutOfRange";
  }
}

/** An aware UTC value from epoch seconds (Python rounds to the microsecond, half to even). */
export function fromEpochSeconds(sec: number): PyDateTime {
  if (!Number.isFinite(sec) || Math.abs(sec) > 253402300800) throw new EpochOutOfRange();
  const totalUs = roundHalfEven(sec * 1e6);
  const ms = Math.floor(totalUs / 1000);
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || y < 1 || y > 9999) throw new EpochOutOfRange();
  const us = totalUs - ms * 1000 + d.getUTCMilliseconds() * 1000;
  return new PyDateTime(y, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), us, 0);
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

// ---- time zones --------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(tz: string): Intl.DateTimeFormat | null {
  if (!formatters.has(tz)) {
    try {
      formatters.set(tz, new Intl.DateTimeFormat("en-US", {
        timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
      }));
    } catch {
      formatters.set(tz, null);
    }
  }
  return formatters.get(tz)!;
}

export function isKnownTimeZone(tz: string): boolean {
  return tz !== "" && formatter(tz) !== null;
}

const WALL_RE = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

/** Wall-clock epoch ms of the parts (years below 100 are not shifted to 19xx as Date.UTC would). */
function wallMillis(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  t.setUTCFullYear(y);
  return t.getTime();
}

/** Offset (seconds) of the formatter's zone at instant `ms`, read from Intl: the reference, and slow. */
function intlOffsetAt(f: Intl.DateTimeFormat, ms: number): number {
  // format() + one expression: a third of formatToParts()'s cost (no object per part); same fields.
  const m = WALL_RE.exec(f.format(ms));
  let wall: number;
  if (m) wall = wallMillis(Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  else {
    // Eras and other forms the short pattern does not cover (years before 1 CE).
    const p: Record<string, number> = {};
    for (const x of f.formatToParts(new Date(ms))) if (x.type !== "literal") p[x.type] = Number(x.value);
    wall = wallMillis(p.year, p.month, p.day, p.hour, p.minute, p.second);
  }
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
}

/**
 * Offsets by zone and hour. An hour whose first and last millisecond have the same offset has that
 * offset throughout: a zone that leaves an offset and comes back to it does so days apart (the
 * shortest such round trip in the tz database is about 95 hours), so equal ends mean no transition.
 * An hour with a transition inside is not cached and is read from Intl instant by instant.
 */
const HOUR_MS = 3600000;
const NO_CONSTANT_OFFSET = 0.5;
const MAX_CACHED_HOURS = 200000;
const offsetsByZone = new WeakMap<Intl.DateTimeFormat, Map<number, number>>();

/** Offset (seconds) of the formatter's zone at instant `ms`. */
function offsetAt(f: Intl.DateTimeFormat, ms: number): number {
  let hours = offsetsByZone.get(f);
  if (!hours) offsetsByZone.set(f, (hours = new Map()));
  const hour = Math.floor(ms / HOUR_MS);
  let offset = hours.get(hour);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const first = intlOffsetAt(f, start);
    offset = first === intlOffsetAt(f, start + HOUR_MS - 1) ? first : NO_CONSTANT_OFFSET;
    // A bound on memory for inputs spread over centuries; clearing only costs the lookups again.
    if (hours.size >= MAX_CACHED_HOURS) hours.clear();
    hours.set(hour, offset);
  }
  return offset === NO_CONSTANT_OFFSET ? intlOffsetAt(f, ms) : offset;
}

/** The cached and the Intl offset of a zone at an instant, for the test that holds them equal. */
export function zoneOffsetsForTest(tz: string, ms: number): { cached: number; intl: number } | null {
  const f = formatter(tz);
  return f && { cached: offsetAt(f, ms), intl: intlOffsetAt(f, ms) };
}

/** A naive value given the zone's offset (an unknown zone means UTC, as the seed falls back). */
export function attachZone(d: PyDateTime, tz: string): PyDateTime {
  if (d.offset !== null) return d;
  const f = formatter(tz);
  if (!f) return d.withOffset(0);
  const wall = Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second);
  const before = offsetAt(f, wall - 86400000);
  const after = offsetAt(f, wall + 86400000);
  // The same offset a day before and a day after: no transition in between (round trips take ~95 hours),
  // so that offset is the only one, and valid.
  if (before === after) return d.withOffset(before);
  const valid = [before, after].filter((o) => offsetAt(f, wall - o * 1000) === o);
  // Two valid offsets: the wall time happens twice; fold=0 is the earlier instant (larger offset).
  const chosen = valid.length ? Math.max(...valid) : before;
  return d.withOffset(chosen);
}

// ---- strptime ---------------------------------------------------------------------------------

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** Each directive's expression: one capturing group (any inner group does not capture), none for %%. */
const DIRECTIVES: Record<string, string> = {
  d: "(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])",
  f: "([0-9]{1,6})",
  H: "(2[0-3]|[0-1]\\d|\\d)",
  I: "(1[0-2]|0[1-9]|[1-9])",
  j: "(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])",
  m: "(1[0-2]|0[1-9]|[1-9])",
  M: "([0-5]\\d|\\d)",
  S: "(6[0-1]|[0-5]\\d|\\d)",
  y: "(\\d\\d)",
  Y: "(\\d\\d\\d\\d)",
  // Python's %z takes an upper-case Z only; the case is checked after the (case-insensitive) match.
  z: "([+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z)",
  b: `(${MONTHS.map((m) => m.slice(0, 3)).join("|")})`,
  B: `(${MONTHS.join("|")})`,
  a: `(${DAYS.map((m) => m.slice(0, 3)).join("|")})`,
  A: `(${DAYS.join("|")})`,
  p: "(am|pm)",
  Z: "(utc|gmt)",
  "%": "%",
};

/** A format compiled once: its expression and, per directive letter, the group that captures it. */
interface StrptimePlan {
  re: RegExp;
  /** The group of each directive that sets a field, 0 when the format lacks it (one shape for every plan). */
  group: Record<"Y" | "y" | "m" | "B" | "b" | "d" | "H" | "I" | "p" | "M" | "S" | "f" | "j" | "z" | "Z", number>;
}

const strptimeCache = new Map<string, StrptimePlan | null>();

function strptimePlan(fmt: string): StrptimePlan | null {
  if (strptimeCache.has(fmt)) return strptimeCache.get(fmt)!;
  let re = "";
  let ok = true;
  const group: StrptimePlan["group"] = { Y: 0, y: 0, m: 0, B: 0, b: 0, d: 0, H: 0, I: 0, p: 0, M: 0, S: 0, f: 0, j: 0, z: 0, Z: 0 };
  const used = new Set<string>();
  let groups = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === "%") {
      const k = fmt[++i];
      const d = k === undefined ? undefined : DIRECTIVES[k];
      if (!d || (k !== "%" && used.has(k))) {
        ok = false;
        break;
      }
      if (k !== "%") {
        used.add(k);
        groups++;
        if (k in group) group[k as keyof StrptimePlan["group"]] = groups;
      }
      re += d;
    } else if (/\s/.test(c)) {
      while (/\s/.test(fmt[i + 1] ?? "")) i++;
      re += "\\s+";
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  let plan: StrptimePlan | null = null;
  if (ok) {
    try {
      plan = { re: new RegExp(`^${re}$`, "i"), group };
    } catch {
      plan = null;
    }
  }
  strptimeCache.set(fmt, plan);
  return plan;
}

function parseOffset(z: string): number {
  if (z.toUpperCase() === "Z") return 0;
  const m = /^([+-])(\d\d):?(\d\d)(?::?(\d\d))?/.exec(z)!;
  const sec = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === "-" ? -sec : sec;
}

/** datetime.strptime(s, fmt), or null where Python raises. */
export function strptime(s: string, fmt: string): PyDateTime | null {
  const plan = strptimePlan(fmt);
  const m = plan?.re.exec(s);
  if (!plan || !m) return null;
  const at = plan.group;
  const g = (i: number): string | undefined => (i === 0 ? undefined : m[i]);
  const z = g(at.z);
  if (z === "z") return null;
  let year = 1900;
  const Y = g(at.Y);
  const y2 = g(at.y);
  if (Y !== undefined) year = Number(Y);
  else if (y2 !== undefined) {
    const y = Number(y2);
    year = y <= 68 ? 2000 + y : 1900 + y;
  }
  let month = 1;
  const mo = g(at.m);
  const B = g(at.B);
  const b = g(at.b);
  if (mo !== undefined) month = Number(mo);
  else if (B !== undefined) month = MONTHS.indexOf(B.toLowerCase()) + 1;
  else if (b !== undefined) month = MONTHS.findIndex((x) => x.startsWith(b.toLowerCase())) + 1;
  const d = g(at.d);
  let day = d !== undefined ? Number(d.trim()) : 1;
  const H = g(at.H);
  const I = g(at.I);
  let hour = H !== undefined ? Number(H) : 0;
  if (I !== undefined) {
    hour = Number(I) % 12;
    const p = g(at.p);
    if (p && p.toLowerCase() === "pm") hour += 12;
  }
  const M = g(at.M);
  const S = g(at.S);
  const f = g(at.f);
  const minute = M !== undefined ? Number(M) : 0;
  const second = S !== undefined ? Number(S) : 0;
  if (second > 59) return null;
  const micro = f !== undefined ? Number(f.padEnd(6, "0")) : 0;
  const j = g(at.j);
  if (j !== undefined) {
    // Python counts the day of the year from 1 January whatever %m and %d said, into the next year
    // when it runs past the end (366 of a common year is 1 January).
    let doy = Number(j);
    const yearDays = daysInMonth(year, 2) === 29 ? 366 : 365;
    if (doy > yearDays) {
      doy -= yearDays;
      year++;
    }
    month = 1;
    while (doy > daysInMonth(year, month)) doy -= daysInMonth(year, month++);
    day = doy;
  }
  const offset = z !== undefined ? parseOffset(z) : g(at.Z) !== undefined ? 0 : null;
  return make(year, month, day, hour, minute, second, micro, z !== undefined ? offset : null);
}

// ---- fromisoformat (3.11) -----------------------------------------------------------------------

function isoWeekDate(y: number, w: number, d: number): [number, number, number] | null {
  if (w < 1 || w > 53 || d < 1 || d > 7) return null;
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const mondayW1 = Date.UTC(y, 0, 4) - ((jan4.getUTCDay() + 6) % 7) * 86400000;
  const t = new Date(mondayW1 + ((w - 1) * 7 + (d - 1)) * 86400000);
  if (w === 53) {
    const dec28 = new Date(Date.UTC(y, 11, 28));
    const lastWeek = Math.round((Date.UTC(y, 11, 28) - ((dec28.getUTCDay() + 6) % 7) * 86400000 - mondayW1) / (7 * 86400000)) + 1;
    if (lastWeek < 53) return null;
  }
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

function isoDate(s: string): [number, number, number] | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  m = /^(\d{4})-W(\d{2})(?:-(\d))?$/.exec(s) ?? /^(\d{4})W(\d{2})(\d)?$/.exec(s);
  if (m) return isoWeekDate(Number(m[1]), Number(m[2]), Number(m[3] ?? 1));
  return null;
}

function isoTime(s: string): { h: number; mi: number; sec: number; us: number; off: number | null } | null {
  const m = /^(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?((?:Z)|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d{1,6})?)?)?)?$/.exec(s);
  if (!m) return null;
  const body = s.slice(0, s.length - (m[5]?.length ?? 0));
  // Python requires one style in the time (the offset has its own): ':' after the hour means ':' between
  // every part, none means none.
  const colons = body.split(":").length - 1;
  if (colons !== (body.charCodeAt(2) === 58 ? (m[3] !== undefined ? 2 : 1) : 0)) return null;
  if (m[4] !== undefined && m[3] === undefined) return null;
  let off: number | null = null;
  if (m[5] !== undefined) off = m[5] === "Z" ? 0 : parseOffset(m[5].length === 3 ? `${m[5]}00` : m[5]);
  const frac = m[4] ?? "";
  return { h: Number(m[1]), mi: Number(m[2] ?? 0), sec: Number(m[3] ?? 0), us: frac ? Number(frac.slice(0, 6).padEnd(6, "0")) : 0, off };
}

/** The form most values take (what the general reading below gives them, read in one match). */
const ISO_COMMON = /^(\d{4})-(\d{2})-(\d{2})[^](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

/** datetime.fromisoformat(s) as Python 3.11 accepts it, or null. */
export function fromIsoFormat(s: string): PyDateTime | null {
  const c = ISO_COMMON.exec(s);
  if (c) {
    const z = c[8];
    const off = z === undefined ? null : z === "Z" ? 0 : (z.charCodeAt(0) === 45 ? -1 : 1) * (Number(z.slice(1, 3)) * 3600 + Number(z.slice(4, 6)) * 60);
    return make(Number(c[1]), Number(c[2]), Number(c[3]), Number(c[4]), Number(c[5]), Number(c[6]), c[7] === undefined ? 0 : Number(c[7].slice(0, 6).padEnd(6, "0")), off);
  }
  for (const dateLen of [10, 8]) {
    const d = isoDate(s.slice(0, dateLen));
    if (!d) continue;
    if (s.length === dateLen) return make(d[0], d[1], d[2]);
    const t = isoTime(s.slice(dateLen + 1));
    if (!t || s.length < dateLen + 2) continue;
    return make(d[0], d[1], d[2], t.h, t.mi, t.sec, t.us, t.off);
  }
  // Week dates are 8 (YYYY-Www) or 10 (YYYY-Www-D) characters; 7/9 without dashes.
  for (const dateLen of [7, 9]) {
    const d = isoDate(s.slice(0, dateLen));
    if (!d) continue;
    if (s.length === dateLen) return make(d[0], d[1], d[2]);
    const t = isoTime(s.slice(dateLen + 1));
    if (t) return make(d[0], d[1], d[2], t.h, t.mi, t.sec, t.us, t.off);
  }
  return null;
}

const EPOCH_FORMATS: Record<string, number> = { epoch_millis: 1000, epoch_second: 1, epoch_seconds: 1 };

/** The seed's date reading: numbers as epoch (millis above 1e12), then each format, then ISO; null otherwise. Throws EpochOutOfRange where Python raises. */
export function parseDate(v: unknown, formats: string[], tz: string): PyDateTime | null {
  if (typeof v === "boolean" || typeof v === "number") {
    const n = Number(v);
    return fromEpochSeconds(Math.abs(n) > 1e12 ? n / 1000 : n);
  }
  if (v === null || v === undefined) return null;
  const s = pyStrip(typeof v === "string" ? v : String(v));
  if (s === "") return null;
  for (const f of formats) {
    const div = EPOCH_FORMATS[f];
    if (div !== undefined) {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) continue;
      return fromEpochSeconds(Number(s) / div);
    }
    const d = strptime(s, f);
    if (d) return d.offset === null ? attachZone(d, tz) : d;
  }
  const iso = fromIsoFormat(s);
  if (iso) return iso.offset === null ? attachZone(iso, tz) : iso;
  return null;
}
