import { describe, expect, it } from "vitest";
import { checkDeployWindow, isInsideWindow, parseDeployWindow } from "../../src/lifecycle/window";

const PROD = "Tue-Wed 10:00-16:00 Europe/Paris";
const at = (iso: string) => new Date(iso);

describe("deploy window", () => {
  it("is evaluated in the window's time zone, daylight saving included", () => {
    const w = parseDeployWindow(PROD);
    // Tuesday 2026-11-24: Paris is UTC+1, so 09:30Z is 10:30 local (inside) and 08:30Z is 09:30 (outside).
    expect(isInsideWindow(w, at("2026-11-24T09:30:00Z"))).toBe(true);
    expect(isInsideWindow(w, at("2026-11-24T08:30:00Z"))).toBe(false);
    // Tuesday 2026-06-02: Paris is UTC+2, so 08:30Z is already 10:30 local.
    expect(isInsideWindow(w, at("2026-06-02T08:30:00Z"))).toBe(true);
    // The end is exclusive: 16:00 local on Wednesday is outside.
    expect(isInsideWindow(w, at("2026-11-25T14:59:00Z"))).toBe(true);
    expect(isInsideWindow(w, at("2026-11-25T15:00:00Z"))).toBe(false);
    // Monday and Thursday at noon are outside.
    expect(isInsideWindow(w, at("2026-11-23T11:00:00Z"))).toBe(false);
    expect(isInsideWindow(w, at("2026-11-26T11:00:00Z"))).toBe(false);
  });

  it("supports a day range that wraps over the weekend and UTC by default", () => {
    const w = parseDeployWindow("Fri-Mon 00:00-24:00");
    expect(w.timeZone).toBe("UTC");
    expect([...w.days].sort()).toEqual([0, 1, 5, 6]);
    expect(isInsideWindow(w, at("2026-11-29T23:59:00Z"))).toBe(true); // Sunday
    expect(isInsideWindow(w, at("2026-11-25T12:00:00Z"))).toBe(false); // Wednesday
  });

  it("rejects malformed windows and unknown zones with the offending text", () => {
    expect(() => parseDeployWindow("Tuesday 10-16")).toThrow(/'Tue-Wed 10:00-16:00 Europe\/Paris'/);
    expect(() => parseDeployWindow("Tue 16:00-10:00")).toThrow(/start time must be before the end/);
    expect(() => parseDeployWindow("Tue 10:00-16:00 Mars/Olympus")).toThrow(/unknown time zone 'Mars\/Olympus'/);
  });

  it("refuses an update outside the window, but lets previews and the explicit override through", () => {
    const monday = at("2026-11-23T10:30:00Z");
    const base = { stack: "prod", window: PROD, allowOutsideWindow: false, now: monday };
    const up = checkDeployWindow({ ...base, dryRun: false });
    expect(up.allowed).toBe(false);
    expect(up.reason).toContain("Mon 11:30 Europe/Paris");
    expect(up.reason).toContain("mapstack:allowOutsideWindow");
    expect(checkDeployWindow({ ...base, dryRun: true })).toMatchObject({ allowed: true, reason: expect.stringMatching(/would be refused/) });
    expect(checkDeployWindow({ ...base, dryRun: false, allowOutsideWindow: true }).allowed).toBe(true);
    expect(checkDeployWindow({ ...base, window: null, dryRun: false }).allowed).toBe(true);
  });
});
