// proto3 JSON's Timestamp and Duration strings as protobuf-java's Timestamps/Durations read them (a
// lenient proleptic Gregorian calendar, fractions read to nine digits) and as JsonFormat prints them.
import { ProtoJsonError, type J } from "./proto-json-scalars";

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** The nanoseconds of a fraction's digits as protobuf-java reads them: the first nine, the rest ignored. */
const fractionNanos = (digits: string): number => Number(digits.slice(0, 9).padEnd(9, "0"));

/** JsonFormat's fraction: 0, 3, 6 or 9 digits. */
function nanosText(nanos: number): string {
  if (nanos === 0) return "";
  if (nanos % 1000000 === 0) return `.${pad(nanos / 1000000, 3)}`;
  if (nanos % 1000 === 0) return `.${pad(nanos / 1000, 6)}`;
  return `.${pad(nanos, 9)}`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
/** Seconds of Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the one protobuf-java parses in). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** UTC text of epoch seconds within Timestamp's range, as JsonFormat prints it (fraction added by the caller). */
function utcText(sec: number): string {
  const days = Math.floor(sec / 86400);
  let rest = sec - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const mi = Math.floor(rest / 60);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(rest - mi * 60, 2)}`;
}

const digitAt = (v: string, i: number): number => {
  const c = v.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN; // (a non-digit makes its field NaN, which fails every range test below)
};

/**
 * Whether JsonFormat prints this Timestamp exactly as written: YYYY-MM-DDTHH:MM:SS in range and in UTC
 * ("Z"), with no fraction or with 3 digits that are not all zero. Most rows' timestamps are; they are
 * checked here character by character, without a match or a copy.
 */
function printsAsWritten(v: string): boolean {
  const n = v.length;
  if ((n !== 20 && n !== 24) || v.charCodeAt(n - 1) !== 90 /* Z */) return false;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return false;
  const y = digitAt(v, 0) * 1000 + digitAt(v, 1) * 100 + digitAt(v, 2) * 10 + digitAt(v, 3);
  const mo = digitAt(v, 5) * 10 + digitAt(v, 6);
  const d = digitAt(v, 8) * 10 + digitAt(v, 9);
  const h = digitAt(v, 11) * 10 + digitAt(v, 12);
  const mi = digitAt(v, 14) * 10 + digitAt(v, 15);
  const s = digitAt(v, 17) * 10 + digitAt(v, 18);
  const days = mo >= 1 && mo <= 12 ? (mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]) : 0;
  if (!(y >= 1 && d >= 1 && d <= days && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59)) return false;
  if (n === 20) return true;
  const ms = digitAt(v, 20) * 100 + digitAt(v, 21) * 10 + digitAt(v, 22);
  return v.charCodeAt(19) === 46 /* . */ && ms > 0;
}

/**
 * A Timestamp as protobuf-java's JsonFormat reads it and prints it (UTC, 0/3/6/9 fraction digits). Its
 * calendar is lenient and proleptic Gregorian: a field past its range carries into the next (month 13 is
 * January of the next year, day 00 the last day of the month before, 24:00 the next day); only the
 * instant must lie in Timestamp's range. The text must have the two-digit fields of RFC 3339 (Java reads
 * some shorter forms too; those are refused here). Plain arithmetic, no Date: this runs for every
 * timestamp of every row, and the common case prints its own digits back.
 */
export function timestamp(v: J, at: string): J {
  if (typeof v !== "string") throw new ProtoJsonError(at, `a Timestamp must be an RFC 3339 string, got ${JSON.stringify(v)}`);
  if (printsAsWritten(v)) return v;
  const m = RFC3339.exec(v);
  if (!m) throw new ProtoJsonError(at, `not an RFC 3339 timestamp: ${JSON.stringify(v)}`);
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const h = +m[4];
  const mi = +m[5];
  const s = +m[6];
  const frac = m[7];
  const nanos = frac === undefined ? 0 : fractionNanos(frac);
  const zone = m[8];
  const plain = y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]) && h <= 23 && mi <= 59 && s <= 59;
  if (plain && zone === "Z") return `${v.slice(0, 19)}${nanosText(nanos)}Z`;
  const off = zone === "Z" ? 0 : (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60) * (zone.charCodeAt(0) === 45 ? -1 : 1);
  const months = y * 12 + mo - 1;
  const yy = Math.floor(months / 12);
  const sec = (daysFromCivil(yy, months - yy * 12 + 1, 1) + d - 1) * 86400 + h * 3600 + mi * 60 + s - off;
  if (sec < MIN_SECONDS || sec > MAX_SECONDS) throw new ProtoJsonError(at, `timestamp out of range: ${JSON.stringify(v)}`);
  return `${utcText(sec)}${nanosText(nanos)}Z`;
}

export function duration(v: J, at: string): J {
  const m = typeof v === "string" ? /^(-)?(\d+)(?:\.(\d+))?s$/.exec(v) : null;
  if (!m) throw new ProtoJsonError(at, `not a Duration string: ${JSON.stringify(v)}`);
  const nanos = fractionNanos(m[3] ?? "");
  const secs = BigInt(m[2]);
  if (secs === 0n && nanos === 0) return "0s";
  return `${m[1] && (secs !== 0n || nanos !== 0) ? "-" : ""}${secs}${nanosText(nanos)}s`;
}
