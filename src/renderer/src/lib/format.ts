/** Dates as people read them, in their own locale and time zone (Intl, no date library). */
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const DAY = 86_400_000;

export const formatDate = (iso: string | null): string => (iso ? dateFormat.format(new Date(iso)) : '—');
export const formatDateTime = (iso: string | null): string => (iso ? dateTimeFormat.format(new Date(iso)) : '—');

/** "in 3 days", "2 months ago", "tomorrow". */
export function relativeTime(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  if (abs < 3_600_000) return relative.format(Math.round(diff / 60_000), 'minute');
  if (abs < DAY) return relative.format(Math.round(diff / 3_600_000), 'hour');
  if (abs < 45 * DAY) return relative.format(Math.round(diff / DAY), 'day');
  if (abs < 365 * DAY) return relative.format(Math.round(diff / (30 * DAY)), 'month');
  return relative.format(Math.round(diff / (365 * DAY)), 'year');
}

/** Expiry as a card shows it: the date with a relative hint, or "Never". */
export const formatExpiry = (iso: string | null): string => (iso ? `${formatDate(iso)} (${relativeTime(iso)})` : 'Never');

export const formatLastUsed = (iso: string | null): string => (iso ? `${formatDate(iso)} (${relativeTime(iso)})` : 'Never used');
