import { describe, expect, it } from "vitest";
import { zoneOffsetsForTest } from "../../src/dsl/pydate";

// Zones whose rules stress an hour-wide cache: 30-minute DST (Lord_Howe), quarter-hour offsets
// (Kathmandu, Chatham), half-hour offsets with DST (St_Johns), a skipped calendar day (Apia, 2011),
// LMT offsets in seconds before standard time, and ordinary DST on both hemispheres.
const ZONES = [
  "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns",
  "Pacific/Apia", "Pacific/Chatham", "Europe/Amsterdam", "Africa/Monrovia", "America/Sao_Paulo", "Asia/Gaza",
];
const MINUTE = 60000;
const HOUR = 60 * MINUTE;

function mismatches(tz: string, instants: number[]): string[] {
  const out: string[] = [];
  for (const ms of instants) {
    const r = zoneOffsetsForTest(tz, ms)!;
    if (r.cached !== r.intl) out.push(`${tz} ${new Date(ms).toISOString()}: cached ${r.cached} s, Intl ${r.intl} s`);
  }
  return out;
}

/** Instants around each transition a 12-hourly scan finds: every minute of the 16 hours around it, at its first and last millisecond. */
function aroundTransitions(tz: string, fromYear: number, toYear: number): number[] {
  const out: number[] = [];
  let prev = zoneOffsetsForTest(tz, Date.UTC(fromYear, 0, 1))!.intl;
  for (let t = Date.UTC(fromYear, 0, 1); t < Date.UTC(toYear, 0, 1); t += 12 * HOUR) {
    const now = zoneOffsetsForTest(tz, t)!.intl;
    if (now !== prev) {
      for (let m = t - 14 * HOUR; m <= t + 2 * HOUR; m += MINUTE) out.push(m, m + 59999);
    }
    prev = now;
  }
  return out;
}

describe("zone offsets: the hour cache answers what Intl answers, instant by instant", () => {
  it("every minute around every transition from 1880 to 2040 (LMT, first standard times, DST rules)", () => {
    for (const tz of ZONES) {
      const instants = aroundTransitions(tz, 1880, 2040);
      expect(instants.length, tz).toBeGreaterThan(0);
      expect(mismatches(tz, instants)).toEqual([]);
    }
  });

  it("random instants from year 1 to 9999, in random order (a fixed seed)", () => {
    let seed = 20261124;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const span = Date.UTC(9999, 11, 31) - Date.UTC(1, 0, 1);
    for (const tz of ZONES) {
      const instants = Array.from({ length: 3000 }, () => Math.floor(Date.UTC(1, 0, 1) + next() * span));
      expect(mismatches(tz, instants)).toEqual([]);
    }
  });
});
