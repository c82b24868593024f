import {
  MS_PER_DAY,
  dayToIsoDate,
  localDay,
  offsetAt,
  startOfLocalDay,
  type DayNumber,
} from './zoned-days';
import type {
  AttentionCounts,
  AttentionReason,
  ExpiryState,
  Instant,
  ReminderPolicies,
  ReminderSummary,
  ReminderTokenFacts,
  RotationPolicy,
  RotationState,
  TokenReminder,
} from './reminder-types';
import { isRevokedStatus } from '../../shared/token-status';

/**
 * The reminder engine: pure functions of (tokens, policies, now).
 *
 * Day arithmetic (decided once, here):
 * - Warnings count calendar days in the user's zone: daysLeft = local date of the expiry - local date of now. A token
 *   expiring tomorrow at 09:00 has 1 day left at 23:59 today and at 00:01 today alike. A step T of the ladder is
 *   reached when daysLeft <= T, so the 1-day step also covers "expires later today". A step applies only to tokens
 *   that live longer than it (issue day to expiry day): a token issued for 30 days is not "expiring" on the day it is
 *   issued; its first warning is the 7-day step.
 * - Expired is exact: now >= expiresAt, to the millisecond (the service refuses the token from that instant on).
 * - Rotation every N days is due from the start of the local day N calendar days after the anchor day, so a
 *   daylight-saving change never moves a due date and Feb 29 + 365 days is Feb 28 of the next year (365 calendar
 *   days, not "the same date next year").
 * For lists and counts the engine turns "daysLeft <= T" into "expiresAt < start of local day (today + T + 1)", so each
 * token costs a few number comparisons; Intl is asked only for the handful of day boundaries and for the details of
 * the tokens that actually need attention.
 */

const HOUR_MS = 3_600_000;

export function toMs(value: Instant): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`Not a date: ${String(value)}`);
  return ms;
}

const toMsOrNull = (value: Instant | null | undefined): number | null => (value == null ? null : toMs(value));
const iso = (ms: number): string => new Date(ms).toISOString();

/** Sorted ascending, positive integers, no duplicates: a ladder written by hand (`[7, 30, 1, 7]`) is fine. */
export function normalizeLadder(days: readonly number[]): number[] {
  return [...new Set(days.filter((d) => Number.isInteger(d) && d >= 0))].sort((a, b) => a - b);
}

/** Token policy, else the workspace's, else the global one. A policy of 0 days at any level turns reminders off. */
export function resolveRotationPolicy(token: ReminderTokenFacts, policies: ReminderPolicies): RotationPolicy | null {
  const p = token.rotationPolicy ?? token.workspaceRotationPolicy ?? policies.globalRotation;
  return p && p.rotateEveryDays > 0 ? p : null;
}

/**
 * The local day a rotation is due.
 * - `last-rotation`: N days after the last rotation (or after issue, never rotated).
 * - `issue`: on the rhythm set by the issue day (issue + N, + 2N, ...). A rotation done for a slot (on or after it:
 *   "rotate now", a regenerate in place, "mark as rotated") moves the reminder to the next slot; one done early
 *   leaves the coming slot due, since the schedule, not the token's age, is what the policy promises.
 */
function rotationDueDay(token: ReminderTokenFacts, policy: RotationPolicy, clock: DayClock): DayNumber {
  const created = toMs(token.createdAt);
  const rotated = toMsOrNull(token.lastRotatedAt);
  const createdDay = clock.dayOf(created);
  const every = policy.rotateEveryDays;
  if (rotated === null || rotated <= created) return createdDay + every;
  const rotatedDay = clock.dayOf(rotated);
  if (policy.basis === 'last-rotation') return rotatedDay + every;
  return createdDay + (Math.floor((rotatedDay - createdDay) / every) + 1) * every;
}

/** The fast path's question, with as few day computations as possible: is a rotation due today? */
function rotationIsDue(token: ReminderTokenFacts, policy: RotationPolicy, clock: DayClock): boolean {
  const created = toMs(token.createdAt);
  const rotated = toMsOrNull(token.lastRotatedAt);
  if (rotated === null || rotated <= created || policy.basis === 'last-rotation') {
    // Due from the start of the local day N days after the anchor's day: one boundary comparison.
    const anchor = rotated === null ? created : Math.max(created, rotated);
    return anchor < clock.startOf(clock.today - policy.rotateEveryDays + 1);
  }
  return rotationDueDay(token, policy, clock) <= clock.today;
}

/** One evaluation's view of "now": today's local day and cached day boundaries. */
class DayClock {
  readonly today: DayNumber;
  private readonly starts = new Map<DayNumber, number>();
  constructor(
    readonly now: number,
    readonly timeZone: string,
  ) {
    this.today = localDay(now, timeZone);
  }
  startOf(day: DayNumber): number {
    let s = this.starts.get(day);
    if (s === undefined) {
      s = startOfLocalDay(day, this.timeZone);
      this.starts.set(day, s);
    }
    return s;
  }
  private readonly hourOffsets = new Map<number, number | null>();
  /**
   * Local day of an instant. Offsets are cached per UTC hour: when the zone's offset is the same at both ends of the
   * hour it is that all hour long (no zone changes twice within an hour), otherwise the exact answer is asked for.
   */
  dayOf(instant: number): DayNumber {
    const hour = Math.floor(instant / HOUR_MS);
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      const start = offsetAt(hour * HOUR_MS, this.timeZone);
      offset = start === offsetAt(hour * HOUR_MS + HOUR_MS - 1, this.timeZone) ? start : null;
      this.hourOffsets.set(hour, offset);
    }
    if (offset === null) return localDay(instant, this.timeZone);
    return Math.floor((instant + offset) / MS_PER_DAY);
  }
}

interface Classified {
  reason: AttentionReason | null;
  snoozed: boolean;
}

/** The fast path: which reason (if any) applies, with boundary comparisons only. */
function classify(token: ReminderTokenFacts, policies: ReminderPolicies, clock: DayClock, ladderMax: number): Classified {
  if (isRevokedStatus(token.status) || token.replacedById) return { reason: null, snoozed: false };
  const exp = toMsOrNull(token.expiresAt);
  let reason: AttentionReason | null = null;
  if (token.status === 'expired' || (exp !== null && clock.now >= exp)) reason = 'expired';
  else if (exp !== null) {
    const ladder = token.warningDays ? normalizeLadder(token.warningDays) : null;
    const max = ladder ? Math.max(-1, ...ladder) : ladderMax;
    // Cheap window check first; only the few tokens inside it pay for the day arithmetic of their lifetime.
    if (max >= 0 && exp < clock.startOf(clock.today + max + 1)) {
      const step = largestStep(ladder ?? normalizeLadder(policies.warningDays), lifetimeDays(token, exp, clock));
      if (step >= 0 && exp < clock.startOf(clock.today + step + 1)) reason = 'expiring';
    }
  }
  if (reason === null) {
    const policy = resolveRotationPolicy(token, policies);
    if (policy && rotationIsDue(token, policy, clock)) {
      reason = 'rotation-due';
    }
  }
  if (reason === null) return { reason, snoozed: false };
  return { reason, snoozed: isSnoozed(token, clock.now) };
}

/** Calendar days from the issue day to the expiry day; null when the issue date is unknown. */
function lifetimeDays(token: ReminderTokenFacts, exp: number, clock: DayClock): number | null {
  const created = toMsOrNull(token.createdAt);
  return created === null ? null : clock.dayOf(exp) - clock.dayOf(created);
}

const applies = (step: number, lifetime: number | null): boolean => lifetime === null || step < lifetime;

/** The largest step of an ascending ladder that applies to a token of this lifetime; -1 when none does. */
function largestStep(ladder: readonly number[], lifetime: number | null): number {
  for (let i = ladder.length - 1; i >= 0; i--) {
    const step = ladder[i]!;
    if (applies(step, lifetime)) return step;
  }
  return -1;
}

function isSnoozed(token: ReminderTokenFacts, now: number): boolean {
  return token.snoozedUntil != null && now < toMs(token.snoozedUntil);
}

function expiryDetail(token: ReminderTokenFacts, policies: ReminderPolicies, clock: DayClock): ExpiryState {
  const exp = toMsOrNull(token.expiresAt);
  if (token.status === 'expired' || (exp !== null && clock.now >= exp)) {
    if (exp === null) return { kind: 'expired', expiresAt: null, daysAgo: null };
    return { kind: 'expired', expiresAt: iso(exp), daysAgo: Math.max(0, clock.today - clock.dayOf(exp)) };
  }
  if (exp === null) return { kind: 'never' };
  // policies.warningDays arrives normalized (normalized(), once per evaluation); a token's own ladder is not.
  const ladder = token.warningDays ? normalizeLadder(token.warningDays) : policies.warningDays;
  const daysLeft = clock.dayOf(exp) - clock.today;
  const lifetime = lifetimeDays(token, exp, clock);
  const threshold = ladder.find((t) => daysLeft <= t && applies(t, lifetime));
  if (threshold === undefined) return { kind: 'ok', expiresAt: iso(exp) };
  return { kind: 'warning', expiresAt: iso(exp), daysLeft, threshold };
}

function rotationDetail(token: ReminderTokenFacts, policies: ReminderPolicies, clock: DayClock): RotationState {
  const policy = resolveRotationPolicy(token, policies);
  if (!policy) return { kind: 'none' };
  const dueDay = rotationDueDay(token, policy, clock);
  const dueOn = dayToIsoDate(dueDay);
  const dueAt = iso(clock.startOf(dueDay));
  if (clock.today >= dueDay) return { kind: 'due', dueOn, dueAt, overdueDays: clock.today - dueDay, everyDays: policy.rotateEveryDays };
  return { kind: 'scheduled', dueOn, dueAt, daysLeft: dueDay - clock.today, everyDays: policy.rotateEveryDays };
}

function deadlineOf(reason: AttentionReason | null, expiry: ExpiryState, rotation: RotationState): string | null {
  if (reason === 'expired' || reason === 'expiring') return 'expiresAt' in expiry ? expiry.expiresAt : null;
  if (reason === 'rotation-due' && rotation.kind !== 'none') return rotation.dueAt;
  return null;
}

function detail(token: ReminderTokenFacts, policies: ReminderPolicies, clock: DayClock, c: Classified): TokenReminder {
  const inactive = isRevokedStatus(token.status) || Boolean(token.replacedById);
  const expiry: ExpiryState = inactive ? { kind: 'never' } : expiryDetail(token, policies, clock);
  const rotation: RotationState = inactive ? { kind: 'none' } : rotationDetail(token, policies, clock);
  const snoozeUntil = c.snoozed && token.snoozedUntil != null ? iso(toMs(token.snoozedUntil)) : null;
  return {
    tokenId: token.id,
    workspaceId: token.workspaceId,
    expiry,
    rotation,
    reason: c.reason,
    deadline: deadlineOf(c.reason, expiry, rotation),
    snoozedUntil: snoozeUntil,
  };
}

/** The policies with the default ladder sorted and deduplicated, done once per evaluation instead of per token. */
const normalized = (policies: ReminderPolicies): ReminderPolicies => ({ ...policies, warningDays: normalizeLadder(policies.warningDays) });

function ladderMaxOf(policies: ReminderPolicies): number {
  return Math.max(-1, ...normalizeLadder(policies.warningDays));
}

/** Everything a token card shows: expiry state, rotation state, the reason it needs attention, snooze. */
export function evaluateToken(token: ReminderTokenFacts, policies: ReminderPolicies, now: Instant): TokenReminder {
  const clock = new DayClock(toMs(now), policies.timeZone);
  const shared = normalized(policies);
  return detail(token, shared, clock, classify(token, shared, clock, ladderMaxOf(shared)));
}

/**
 * evaluateToken for a whole list: one clock (day boundaries and zone offsets asked of Intl once, not per token) and
 * the default ladder normalized once. Same answers as mapping evaluateToken, at a fraction of the cost (tokens:list).
 */
export function evaluateTokens(tokens: Iterable<ReminderTokenFacts>, policies: ReminderPolicies, now: Instant): TokenReminder[] {
  const clock = new DayClock(toMs(now), policies.timeZone);
  const shared = normalized(policies);
  const max = ladderMaxOf(shared);
  const out: TokenReminder[] = [];
  for (const t of tokens) out.push(detail(t, shared, clock, classify(t, shared, clock, max)));
  return out;
}

const emptyCounts = (): AttentionCounts => ({ expired: 0, expiring: 0, rotationDue: 0, total: 0, snoozed: 0 });

function add(counts: AttentionCounts, c: Classified): void {
  if (c.reason === null) return;
  if (c.snoozed) {
    counts.snoozed++;
    return;
  }
  if (c.reason === 'expired') counts.expired++;
  else if (c.reason === 'expiring') counts.expiring++;
  else counts.rotationDue++;
  counts.total++;
}

/** Counts for the badge, tray and sidebar; needs only clear columns, so it runs while the vault is locked. */
export function countAttention(
  tokens: Iterable<ReminderTokenFacts>,
  policies: ReminderPolicies,
  now: Instant,
): { counts: AttentionCounts; byWorkspace: Record<string, AttentionCounts> } {
  const clock = new DayClock(toMs(now), policies.timeZone);
  const max = ladderMaxOf(policies);
  const counts = emptyCounts();
  const byWorkspace: Record<string, AttentionCounts> = {};
  for (const t of tokens) {
    const c = classify(t, policies, clock, max);
    if (c.reason === null) continue;
    add(counts, c);
    add((byWorkspace[t.workspaceId] ??= emptyCounts()), c);
  }
  return { counts, byWorkspace };
}

const RANK: Record<AttentionReason, number> = { expired: 0, expiring: 1, 'rotation-due': 1 };

/** Expired first, then the soonest deadline, then id for a stable order; each deadline parsed once. */
function sortByUrgency(list: TokenReminder[]): void {
  const keyed = list.map((r) => ({ r, rank: r.reason ? RANK[r.reason] : 9, at: r.deadline === null ? -Infinity : Date.parse(r.deadline) }));
  keyed.sort((a, b) => a.rank - b.rank || (a.at === b.at ? 0 : a.at < b.at ? -1 : 1) || (a.r.tokenId < b.r.tokenId ? -1 : a.r.tokenId > b.r.tokenId ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) list[i] = keyed[i]!.r;
}

/** Counts plus the due list (Attention view, unlock summary, notifications). */
export function summarize(tokens: Iterable<ReminderTokenFacts>, raw: ReminderPolicies, now: Instant): ReminderSummary {
  const policies = normalized(raw);
  const clock = new DayClock(toMs(now), policies.timeZone);
  const max = ladderMaxOf(policies);
  const counts = emptyCounts();
  const byWorkspace: Record<string, AttentionCounts> = {};
  const due: TokenReminder[] = [];
  for (const t of tokens) {
    const c = classify(t, policies, clock, max);
    if (c.reason === null) continue;
    add(counts, c);
    add((byWorkspace[t.workspaceId] ??= emptyCounts()), c);
    if (!c.snoozed) due.push(detail(t, policies, clock, c));
  }
  sortByUrgency(due);
  return { today: dayToIsoDate(clock.today), timeZone: policies.timeZone, counts, byWorkspace, due };
}
