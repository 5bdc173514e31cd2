// Deploy windows ("Tue-Wed 10:00-16:00 Europe/Paris"): the runbook's rule that prod changes only
// happen when the team is at work. Pure: the caller passes the clock.
import { MapstackError } from "../dsl/diagnostics";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const WINDOW = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))? (\d\d):(\d\d)-(\d\d):(\d\d)(?: (UTC|[A-Za-z_]+(?:\/[A-Za-z0-9_+\-]+)+))?$/;

export interface DeployWindow {
  text: string;
  /** Allowed weekdays, 0 = Sunday. A range like Fri-Mon wraps over the weekend. */
  days: Set<number>;
  /** Minutes after local midnight; the window is [start, end). */
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

export function parseDeployWindow(text: string): DeployWindow {
  const m = WINDOW.exec(text.trim());
  if (!m) throw new MapstackError(`deployWindow ${JSON.stringify(text)} must look like 'Tue-Wed 10:00-16:00 Europe/Paris'`);
  const from = DAYS.indexOf(m[1] as (typeof DAYS)[number]);
  const to = m[2] ? DAYS.indexOf(m[2] as (typeof DAYS)[number]) : from;
  const days = new Set<number>();
  for (let d = from; ; d = (d + 1) % 7) {
    days.add(d);
    if (d === to) break;
  }
  const startMinute = Number(m[3]) * 60 + Number(m[4]);
  const endMinute = Number(m[5]) * 60 + Number(m[6]);
  if (startMinute >= endMinute || endMinute > 24 * 60) throw new MapstackError(`deployWindow ${JSON.stringify(text)}: the start time must be before the end time (windows do not span midnight)`);
  const timeZone = m[7] ?? "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new MapstackError(`deployWindow ${JSON.stringify(text)}: unknown time zone '${timeZone}'`);
  }
  return { text, days, startMinute, endMinute, timeZone };
}

/** Weekday and minute of day of an instant in a time zone (DST-correct, via Intl). */
export function localTime(now: Date, timeZone: string): { day: number; minute: number; label: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const day = DAYS.indexOf(parts.weekday as (typeof DAYS)[number]);
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  return { day, minute, label: `${parts.weekday} ${parts.hour}:${parts.minute} ${timeZone}` };
}

export function isInsideWindow(window: DeployWindow, now: Date): boolean {
  const t = localTime(now, window.timeZone);
  return window.days.has(t.day) && t.minute >= window.startMinute && t.minute < window.endMinute;
}

export interface WindowDecision {
  allowed: boolean;
  /** Why, for the log or the error. */
  reason: string;
}

/**
 * Whether this run may proceed. Previews always may (they change nothing, and CI previews prod on every
 * merge request); an update outside the window needs allowOutsideWindow.
 */
export function checkDeployWindow(opts: { stack: string; window: string | null; allowOutsideWindow: boolean; dryRun: boolean; now: Date }): WindowDecision {
  if (!opts.window) return { allowed: true, reason: "no deploy window" };
  const w = parseDeployWindow(opts.window);
  const t = localTime(opts.now, w.timeZone);
  if (isInsideWindow(w, opts.now)) return { allowed: true, reason: `inside deploy window '${w.text}' (now ${t.label})` };
  if (opts.dryRun) return { allowed: true, reason: `preview outside deploy window '${w.text}' (now ${t.label}); an update would be refused` };
  if (opts.allowOutsideWindow) return { allowed: true, reason: `outside deploy window '${w.text}' (now ${t.label}), allowed by mapstack:allowOutsideWindow` };
  return {
    allowed: false,
    reason:
      `stack ${opts.stack}: it is ${t.label}, outside the deploy window '${w.text}' (Pulumi.${opts.stack}.yaml mapstack:deployWindow). ` +
      `Deploy inside the window, or for an emergency change run with the explicit override: ` +
      `pulumi config set mapstack:allowOutsideWindow true --stack ${opts.stack}, pulumi up, then pulumi config rm mapstack:allowOutsideWindow --stack ${opts.stack}.`,
  };
}
