import { AppFailure } from '../../../errors';

/** Shared by the readers: loose dates, lists, and the one way a file is refused. */

/** A whole file the format cannot read: nothing is imported. `what` names the format for the user. */
export const unreadable = (what: string, why: string) =>
  new AppFailure('invalid-argument', `This is not a ${what} file Token Vault can read (${why}). Nothing was imported.`);

/**
 * An instant from what exports write: ISO 8601, a plain date (taken as the end of that day in UTC, like
 * an expiry date the user types), or Unix seconds. Undefined when there is no date, null when it is not one.
 */
export function looseDate(value: unknown): string | null | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? new Date(value * 1000).toISOString() : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d{9,11}$/.test(text)) return new Date(Number(text) * 1000).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const d = new Date(`${text}T23:59:59.999Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? null : d.toISOString();
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export const splitList = (text: string | null | undefined): string[] =>
  (text ?? '')
    .split(/[;,]/)
    .map((t) => t.trim())
    .filter(Boolean);

export const orNull = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** A header cell reduced to letters and digits: "Expires At", "expires_at" and "EXPIRESAT" are one column. */
export const columnKey = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');
