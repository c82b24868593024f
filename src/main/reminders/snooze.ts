import { toMs } from './reminder-engine';
import type { Instant } from './reminder-types';
import { isoDateToDay, localDay, localMsOfDay, startOfLocalDay, zonedInstant } from './zoned-days';

/**
 * How long a snooze lasts. `days`: the same local wall-clock time N calendar days later (a snooze taken Monday 09:00
 * for 7 days ends next Monday 09:00, even across a daylight-saving change, so it lasts 167 or 169 hours then).
 * `until`: the start of that local date.
 */
export type SnoozeSpec = { days: number } | { until: string };

/** `1d`, `7d`, `2w`, `YYYY-MM-DD` (how long, as the window and the command line take it). Null when none of these. */
export function parseSnoozeSpec(text: string): SnoozeSpec | null {
  const t = text.trim().toLowerCase();
  const rel = /^(\d{1,4})\s*([dw])$/.exec(t);
  if (rel) {
    const n = Number(rel[1]) * (rel[2] === 'w' ? 7 : 1);
    return n > 0 ? { days: n } : null;
  }
  if (t === 'day') return { days: 1 };
  if (t === 'week') return { days: 7 };
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    try {
      isoDateToDay(t);
      return { until: t };
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The `snoozedUntil` to store. Capped at the token's expiry when that is still ahead: a snooze never hides the moment
 * a token stops working. Throws RangeError for an end that is not in the future.
 */
export function snoozeFrom(now: Instant, spec: SnoozeSpec, timeZone: string, expiresAt?: Instant | null): string {
  const at = toMs(now);
  const until =
    'days' in spec
      ? zonedInstant(localDay(at, timeZone) + spec.days, localMsOfDay(at, timeZone), timeZone)
      : startOfLocalDay(isoDateToDay(spec.until), timeZone);
  if (until <= at) throw new RangeError('A snooze must end in the future.');
  const exp = expiresAt == null ? null : toMs(expiresAt);
  const end = exp !== null && exp > at ? Math.min(until, exp) : until;
  return new Date(end).toISOString();
}
