import type { TokenDto } from '../../../shared/ipc/tokens-channels';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How urgent a token's expiry is, one level per look: `ended` (revoked, here or at the service), `expired` (past),
 * `day` (< 1 day left), `week` (< 7 days), `ladder` (inside the warning ladder: main's reminder engine says so),
 * `ok`, `never`. Each level has its own colour AND its own words, so none is told by colour alone.
 */
export type Urgency = 'ended' | 'expired' | 'day' | 'week' | 'ladder' | 'ok' | 'never';

type ExpiryFacts = Pick<TokenDto, 'status' | 'expiresAt' | 'expiry'>;

export function urgencyOf(t: ExpiryFacts, now: number): Urgency {
  if (t.status === 'revoked' || t.status === 'revoked-remote') return 'ended';
  if (t.status === 'expired') return 'expired';
  if (t.expiresAt === null) return t.expiry === 'expired' ? 'expired' : 'never';
  const left = Date.parse(t.expiresAt) - now;
  if (left <= 0) return 'expired';
  if (left < DAY) return 'day';
  if (left < 7 * DAY) return 'week';
  return t.expiry === 'warning' ? 'ladder' : 'ok';
}

/** Ended and expired tokens: dimmed, and listed after every live one. */
export const isEnded = (u: Urgency): boolean => u === 'ended' || u === 'expired';

const narrow = new Intl.RelativeTimeFormat('en', { style: 'narrow', numeric: 'always' });
const long = new Intl.RelativeTimeFormat('en', { style: 'long', numeric: 'always' });

function span(ms: number): { value: number; unit: Intl.RelativeTimeFormatUnit } {
  const abs = Math.abs(ms);
  const sign = ms < 0 ? -1 : 1;
  if (abs < HOUR) return { value: sign * Math.max(1, Math.round(abs / 60_000)), unit: 'minute' };
  if (abs < DAY) return { value: sign * Math.round(abs / HOUR), unit: 'hour' };
  if (abs < 60 * DAY) return { value: sign * Math.floor(abs / DAY), unit: 'day' };
  if (abs < 365 * DAY) return { value: sign * Math.round(abs / (30 * DAY)), unit: 'month' };
  return { value: sign * Math.round(abs / (365 * DAY)), unit: 'year' };
}

/** "in 3d", "4d ago", "in 10h": the list's glance at an expiry. */
export function shortRelative(iso: string, now: number): string {
  const { value, unit } = span(Date.parse(iso) - now);
  return narrow.format(value, unit);
}

/** "in 3 days", "4 days ago": the same in full words, for screen readers and the details pane. */
export function longRelative(iso: string, now: number): string {
  const { value, unit } = span(Date.parse(iso) - now);
  return long.format(value, unit);
}

/** What the list row says about the expiry, short: "in 3d", "expired 4d ago", "no expiry". */
export function expiryGlance(t: ExpiryFacts, now: number): string {
  if (t.expiresAt === null) return t.status === 'expired' ? 'expired' : 'no expiry';
  const past = Date.parse(t.expiresAt) <= now;
  return past ? `expired ${shortRelative(t.expiresAt, now)}` : shortRelative(t.expiresAt, now);
}

/** The same in words: "Expires in 3 days", "Expired 4 days ago", "Never expires". */
export function expirySentence(t: ExpiryFacts, now: number): string {
  if (t.expiresAt === null) return t.status === 'expired' ? 'Expired' : 'Never expires';
  const past = Date.parse(t.expiresAt) <= now;
  return `${past ? 'Expired' : 'Expires'} ${longRelative(t.expiresAt, now)}`;
}

/** A badge for the levels that need a look; null where the expiry needs none. */
export const URGENCY_BADGES: Record<Urgency, string | null> = {
  ended: null,
  expired: null,
  day: 'Expires within a day',
  week: 'Expires this week',
  ladder: 'Expiry warning',
  ok: null,
  never: null,
};
