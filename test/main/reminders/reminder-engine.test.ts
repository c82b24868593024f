import { describe, expect, it } from 'vitest';
import { countAttention, evaluateToken, evaluateTokens, summarize } from '../../../src/main/reminders/reminder-engine';
import { defaultPolicies, type ReminderPolicies, type ReminderTokenFacts } from '../../../src/main/reminders/reminder-types';
import { parseSnoozeSpec, snoozeFrom } from '../../../src/main/reminders/snooze';
import { REVOKED_STATUSES } from '../../../src/shared/token-status';

const PARIS = defaultPolicies('Europe/Paris');
const tok = (over: Partial<ReminderTokenFacts> & { id?: string }): ReminderTokenFacts => ({
  id: 't1',
  workspaceId: 'w1',
  status: 'active',
  createdAt: '2026-01-01T10:00:00Z',
  expiresAt: null,
  ...over,
});

describe('expiry warning ladder (calendar days in the user zone)', () => {
  it('reaches 30, 7 and 1 on the local day, whatever the hour', () => {
    const t = tok({ expiresAt: '2026-06-30T07:00:00Z' }); // 09:00 in Paris
    expect(evaluateToken(t, PARIS, '2026-05-30T21:59:59Z').expiry).toEqual({ kind: 'ok', expiresAt: '2026-06-30T07:00:00.000Z' });
    // 2026-05-31 00:00 Paris = 2026-05-30T22:00Z: 30 calendar days before 2026-06-30.
    expect(evaluateToken(t, PARIS, '2026-05-30T22:00:00Z').expiry).toMatchObject({ kind: 'warning', daysLeft: 30, threshold: 30 });
    expect(evaluateToken(t, PARIS, '2026-06-22T21:59:59Z').expiry).toMatchObject({ daysLeft: 8, threshold: 30 });
    expect(evaluateToken(t, PARIS, '2026-06-22T22:00:00Z').expiry).toMatchObject({ daysLeft: 7, threshold: 7 });
    expect(evaluateToken(t, PARIS, '2026-06-29T21:59:00Z').expiry).toMatchObject({ daysLeft: 1, threshold: 1 });
    expect(evaluateToken(t, PARIS, '2026-06-30T06:59:59Z').expiry).toMatchObject({ daysLeft: 0, threshold: 1 });
    expect(evaluateToken(t, PARIS, '2026-06-30T07:00:00Z').expiry).toMatchObject({ kind: 'expired', daysAgo: 0 });
    expect(evaluateToken(t, PARIS, '2026-07-03T12:00:00Z').expiry).toMatchObject({ kind: 'expired', daysAgo: 3 });
  });

  it('skips a step as long as the token lives: a new 30-day token is not "expiring" at once', () => {
    const now = '2026-06-01T10:00:00Z';
    const fresh = tok({ createdAt: now, expiresAt: '2026-07-01T10:00:00Z' });
    expect(evaluateToken(fresh, PARIS, now).expiry).toEqual({ kind: 'ok', expiresAt: '2026-07-01T10:00:00.000Z' });
    expect(evaluateToken(fresh, PARIS, now).reason).toBeNull();
    expect(countAttention([fresh], PARIS, now).counts.expiring).toBe(0);
    // Its first warning is the 7-day step.
    expect(evaluateToken(fresh, PARIS, '2026-06-24T10:00:00Z').expiry).toMatchObject({ kind: 'warning', daysLeft: 7, threshold: 7 });
    expect(summarize([fresh], PARIS, '2026-06-24T10:00:00Z').counts.expiring).toBe(1);
    // A 90-day token is warned at 30 days as before.
    const long = tok({ createdAt: '2026-04-02T10:00:00Z', expiresAt: '2026-07-01T10:00:00Z' });
    expect(evaluateToken(long, PARIS, now).expiry).toMatchObject({ kind: 'warning', daysLeft: 30, threshold: 30 });
    expect(countAttention([long, fresh], PARIS, now).counts.expiring).toBe(1);
    // The two paths (list and counts) agree.
    expect(evaluateTokens([long, fresh], PARIS, now).map((r) => r.reason)).toEqual(['expiring', null]);
  });

  it('gives different answers for the same instant in different zones', () => {
    const u = tok({ expiresAt: '2026-06-08T00:30:00Z' });
    const now = '2026-06-01T23:00:00Z';
    // UTC: 06-01 -> 06-08 = 7 days. Berlin: now 06-02 01:00, expiry 06-08 02:30 = 6. New York: 06-01 19:00 -> 06-07 20:30 = 6.
    expect(evaluateToken(u, defaultPolicies('UTC'), now).expiry).toMatchObject({ daysLeft: 7, threshold: 7 });
    expect(evaluateToken(u, defaultPolicies('Europe/Berlin'), now).expiry).toMatchObject({ daysLeft: 6 });
    expect(evaluateToken(u, defaultPolicies('America/New_York'), now).expiry).toMatchObject({ daysLeft: 6 });
    // Kiritimati (+14): now 06-02 13:00, expiry 06-08 14:30 = 6. Pago Pago (-11): now 06-01 12:00, expiry 06-07 13:30 = 6.
    expect(evaluateToken(u, defaultPolicies('Pacific/Kiritimati'), now).expiry).toMatchObject({ daysLeft: 6 });
    expect(evaluateToken(u, defaultPolicies('Pacific/Pago_Pago'), now).expiry).toMatchObject({ daysLeft: 6 });
    // One hour earlier in UTC terms, Berlin still sees 06-02 00:00 -> 6 while UTC sees 06-01 22:00 -> 7.
    expect(evaluateToken(u, defaultPolicies('Europe/Berlin'), '2026-06-01T21:59:59Z').expiry).toMatchObject({ daysLeft: 7 });
  });

  it('counts a daylight-saving week as 7 days (Paris spring and autumn, New York)', () => {
    // Expiry Sunday 2026-04-05 09:00 Paris; now Sunday 2026-03-29 09:00 Paris (after the change at 02:00): 167 hours.
    const t = tok({ expiresAt: '2026-04-05T07:00:00Z' });
    expect(evaluateToken(t, PARIS, '2026-03-29T07:00:00Z').expiry).toMatchObject({ daysLeft: 7, threshold: 7 });
    // Now 2026-03-28 23:30 Paris (22:30Z): still 8 days on the calendar though only 176.5 hours remain.
    expect(evaluateToken(t, PARIS, '2026-03-28T22:30:00Z').expiry).toMatchObject({ daysLeft: 8, threshold: 30 });
    // Autumn: a 25-hour day inside the week.
    const a = tok({ expiresAt: '2026-10-31T23:30:00Z' }); // 2026-11-01 00:30 Paris (CET)
    expect(evaluateToken(a, PARIS, '2026-10-24T22:00:00Z').expiry).toMatchObject({ daysLeft: 7 }); // 10-25 00:00 CEST
    expect(evaluateToken(a, PARIS, '2026-10-24T21:59:59Z').expiry).toMatchObject({ daysLeft: 8 });
    const ny = tok({ expiresAt: '2026-03-15T04:30:00Z' }); // 2026-03-15 00:30 EDT
    expect(evaluateToken(ny, defaultPolicies('America/New_York'), '2026-03-08T05:00:00Z').expiry).toMatchObject({ daysLeft: 7 });
  });

  it('uses a per-token ladder, and an empty ladder warns about nothing before expiry', () => {
    const t = tok({ expiresAt: '2026-06-30T07:00:00Z', warningDays: [14, 3, 3, 60] });
    expect(evaluateToken(t, PARIS, '2026-05-05T10:00:00Z').expiry).toMatchObject({ kind: 'warning', threshold: 60 });
    expect(evaluateToken(t, PARIS, '2026-06-20T10:00:00Z').expiry).toMatchObject({ daysLeft: 10, threshold: 14 });
    expect(evaluateToken(t, PARIS, '2026-06-28T10:00:00Z').expiry).toMatchObject({ daysLeft: 2, threshold: 3 });
    const quiet = tok({ expiresAt: '2026-06-30T07:00:00Z', warningDays: [] });
    expect(evaluateToken(quiet, PARIS, '2026-06-29T10:00:00Z')).toMatchObject({ reason: null, expiry: { kind: 'ok' } });
    expect(evaluateToken(quiet, PARIS, '2026-06-30T10:00:00Z')).toMatchObject({ reason: 'expired' });
  });

  it('never-expiring, already-expired, service-expired and revoked tokens', () => {
    expect(evaluateToken(tok({}), PARIS, '2030-01-01T00:00:00Z')).toMatchObject({ reason: null, expiry: { kind: 'never' } });
    expect(evaluateToken(tok({ expiresAt: '2020-01-01T00:00:00Z' }), PARIS, '2026-01-01T00:00:00Z')).toMatchObject({
      reason: 'expired',
      expiry: { kind: 'expired', daysAgo: 2192 },
    });
    // The service says expired though no date is known: remote state wins.
    expect(evaluateToken(tok({ status: 'expired' }), PARIS, '2026-01-01T00:00:00Z')).toMatchObject({
      reason: 'expired',
      expiry: { kind: 'expired', expiresAt: null, daysAgo: null },
    });
    for (const status of REVOKED_STATUSES) {
      const r = evaluateToken(
        tok({ status, expiresAt: '2020-01-01T00:00:00Z', rotationPolicy: { rotateEveryDays: 1, basis: 'issue' } }),
        PARIS,
        '2026-01-01T00:00:00Z',
      );
      expect(r).toMatchObject({ reason: null, expiry: { kind: 'never' }, rotation: { kind: 'none' } });
    }
    // The old token of a rotation in progress: the journal speaks for it.
    expect(evaluateToken(tok({ expiresAt: '2020-01-01T00:00:00Z', replacedById: 't2' }), PARIS, '2026-01-01T00:00:00Z').reason).toBeNull();
  });
});

describe('rotation policy', () => {
  const every90: ReminderPolicies = { ...PARIS, globalRotation: { rotateEveryDays: 90, basis: 'issue' } };

  it('is due from the start of the local day N calendar days after issue', () => {
    const t = tok({ createdAt: '2026-01-01T22:30:00Z' }); // 2026-01-01 23:30 Paris
    // 90 days after 2026-01-01 is 2026-04-01; that day starts 2026-03-31T22:00Z (CEST).
    expect(evaluateToken(t, every90, '2026-03-31T21:59:59Z').rotation).toEqual({
      kind: 'scheduled',
      dueOn: '2026-04-01',
      dueAt: '2026-03-31T22:00:00.000Z',
      daysLeft: 1,
      everyDays: 90,
    });
    expect(evaluateToken(t, every90, '2026-03-31T22:00:00Z')).toMatchObject({
      reason: 'rotation-due',
      deadline: '2026-03-31T22:00:00.000Z',
      rotation: { kind: 'due', overdueDays: 0 },
    });
    // In UTC the same token was issued on 01-01 too (22:30Z) -> same due day but at 00:00Z.
    expect(evaluateToken(t, { ...every90, timeZone: 'UTC' }, '2026-03-31T23:00:00Z').reason).toBeNull();
  });

  it('token policy beats workspace policy beats global; 0 days turns it off', () => {
    const base = { createdAt: '2026-01-01T10:00:00Z' };
    const now = '2026-01-20T10:00:00Z';
    expect(evaluateToken(tok({ ...base, rotationPolicy: { rotateEveryDays: 10, basis: 'issue' } }), every90, now).reason).toBe('rotation-due');
    expect(evaluateToken(tok({ ...base, workspaceRotationPolicy: { rotateEveryDays: 15, basis: 'issue' } }), every90, now).reason).toBe(
      'rotation-due',
    );
    expect(
      evaluateToken(
        tok({ ...base, rotationPolicy: { rotateEveryDays: 30, basis: 'issue' }, workspaceRotationPolicy: { rotateEveryDays: 15, basis: 'issue' } }),
        every90,
        now,
      ).rotation,
    ).toMatchObject({ kind: 'scheduled', dueOn: '2026-01-31' });
    expect(evaluateToken(tok({ ...base, rotationPolicy: { rotateEveryDays: 0, basis: 'issue' } }), every90, '2027-01-01T00:00:00Z').rotation).toEqual({
      kind: 'none',
    });
    expect(evaluateToken(tok(base), PARIS, '2030-01-01T00:00:00Z').rotation).toEqual({ kind: 'none' });
  });

  it('counted from issue: a rotation done for a slot (rotate now, regenerate in place, mark as rotated) moves the reminder to the next slot', () => {
    const issue = { rotateEveryDays: 90, basis: 'issue' as const };
    // Issued Jan 1; slots Apr 1, Jun 30, Sep 28. Regenerated in place on Apr 15: the token keeps its createdAt.
    const renewed = tok({ createdAt: '2026-01-01T10:00:00Z', lastRotatedAt: '2026-04-15T10:00:00Z', rotationPolicy: issue });
    expect(evaluateToken(renewed, PARIS, '2026-04-16T10:00:00Z').rotation).toMatchObject({ kind: 'scheduled', dueOn: '2026-06-30', daysLeft: 75 });
    expect(evaluateToken(renewed, PARIS, '2026-04-16T10:00:00Z').reason).toBeNull();
    // The rhythm stays the issue's: rotated on the slot day itself, or late in the next period.
    const onSlot = tok({ createdAt: '2026-01-01T10:00:00Z', lastRotatedAt: '2026-04-01T08:00:00Z', rotationPolicy: issue });
    expect(evaluateToken(onSlot, PARIS, '2026-04-02T10:00:00Z').rotation).toMatchObject({ kind: 'scheduled', dueOn: '2026-06-30' });
    const late = tok({ createdAt: '2026-01-01T10:00:00Z', lastRotatedAt: '2026-07-10T10:00:00Z', rotationPolicy: issue });
    expect(evaluateToken(late, PARIS, '2026-07-11T10:00:00Z').rotation).toMatchObject({ kind: 'scheduled', dueOn: '2026-09-28' });
    // Due again once the next slot comes.
    expect(evaluateToken(renewed, PARIS, '2026-06-30T10:00:00Z').reason).toBe('rotation-due');
  });

  it('counts from issue or from the last rotation', () => {
    const rotated = { createdAt: '2026-01-01T10:00:00Z', lastRotatedAt: '2026-03-01T10:00:00Z' };
    const now = '2026-04-15T10:00:00Z';
    expect(evaluateToken(tok({ ...rotated, rotationPolicy: { rotateEveryDays: 90, basis: 'issue' } }), PARIS, now).rotation).toMatchObject({
      kind: 'due',
      dueOn: '2026-04-01',
      overdueDays: 14,
    });
    expect(
      evaluateToken(tok({ ...rotated, rotationPolicy: { rotateEveryDays: 90, basis: 'last-rotation' } }), PARIS, now).rotation,
    ).toMatchObject({ kind: 'scheduled', dueOn: '2026-05-30', daysLeft: 45 });
    // Never rotated: last-rotation falls back to issue.
    expect(
      evaluateToken(tok({ createdAt: '2026-01-01T10:00:00Z', rotationPolicy: { rotateEveryDays: 90, basis: 'last-rotation' } }), PARIS, now).rotation,
    ).toMatchObject({ kind: 'due', dueOn: '2026-04-01' });
  });

  it('adds calendar days across leap days: Feb 29 + 365 = Feb 28, Mar 1 2027 + 365 = Feb 29 2028', () => {
    const yearly = (createdAt: string) => tok({ createdAt, rotationPolicy: { rotateEveryDays: 365, basis: 'issue' } });
    expect(evaluateToken(yearly('2028-02-29T12:00:00Z'), PARIS, '2028-03-01T00:00:00Z').rotation).toMatchObject({ dueOn: '2029-02-28' });
    expect(evaluateToken(yearly('2027-03-01T12:00:00Z'), PARIS, '2027-03-02T00:00:00Z').rotation).toMatchObject({ dueOn: '2028-02-29' });
    expect(evaluateToken(yearly('2027-02-28T12:00:00Z'), PARIS, '2027-03-02T00:00:00Z').rotation).toMatchObject({ dueOn: '2028-02-28' });
    const leapExpiry = tok({ expiresAt: '2028-02-29T11:00:00Z' });
    expect(evaluateToken(leapExpiry, PARIS, '2028-01-30T12:00:00Z').expiry).toMatchObject({ daysLeft: 30, threshold: 30 });
    expect(evaluateToken(leapExpiry, PARIS, '2028-02-22T12:00:00Z').expiry).toMatchObject({ daysLeft: 7 });
  });
});

describe('snooze', () => {
  it('parses the command line forms', () => {
    expect(parseSnoozeSpec('7d')).toEqual({ days: 7 });
    expect(parseSnoozeSpec('2w')).toEqual({ days: 14 });
    expect(parseSnoozeSpec('day')).toEqual({ days: 1 });
    expect(parseSnoozeSpec('2026-12-24')).toEqual({ until: '2026-12-24' });
    expect(parseSnoozeSpec('2026-02-30')).toBeNull();
    expect(parseSnoozeSpec('0d')).toBeNull();
    expect(parseSnoozeSpec('soon')).toBeNull();
  });

  it('a week is the same wall-clock time 7 calendar days later, across a DST change', () => {
    // Monday 2026-03-23 09:00 Paris (CET) -> Monday 2026-03-30 09:00 (CEST): 167 hours.
    expect(snoozeFrom('2026-03-23T08:00:00Z', { days: 7 }, 'Europe/Paris')).toBe('2026-03-30T07:00:00.000Z');
    expect(snoozeFrom('2026-03-23T08:00:00Z', { until: '2026-04-02' }, 'Europe/Paris')).toBe('2026-04-01T22:00:00.000Z');
    expect(() => snoozeFrom('2026-03-23T08:00:00Z', { until: '2026-03-01' }, 'Europe/Paris')).toThrow(RangeError);
  });

  it('never hides the moment a token stops working, but can hide an expired one', () => {
    const t = tok({ expiresAt: '2026-06-30T07:00:00Z' });
    const now = '2026-06-27T10:00:00Z';
    const until = snoozeFrom(now, { days: 7 }, 'Europe/Paris', t.expiresAt);
    expect(until).toBe('2026-06-30T07:00:00.000Z');
    const snoozed = { ...t, snoozedUntil: until };
    expect(evaluateToken(snoozed, PARIS, now)).toMatchObject({ reason: 'expiring', snoozedUntil: until });
    expect(summarize([snoozed], PARIS, now)).toMatchObject({ due: [], counts: { total: 0, snoozed: 1 } });
    expect(summarize([snoozed], PARIS, '2026-06-30T07:00:00Z')).toMatchObject({ counts: { total: 1, expired: 1, snoozed: 0 } });
    // Snoozing the expired token now hides it for the week.
    const later = snoozeFrom('2026-07-01T10:00:00Z', { days: 7 }, 'Europe/Paris', t.expiresAt);
    expect(later).toBe('2026-07-08T10:00:00.000Z');
    expect(summarize([{ ...t, snoozedUntil: later }], PARIS, '2026-07-05T00:00:00Z').counts).toMatchObject({ total: 0, snoozed: 1 });
    expect(summarize([{ ...t, snoozedUntil: later }], PARIS, '2026-07-08T10:00:00Z').counts).toMatchObject({ total: 1 });
  });
});

describe('summary and counts', () => {
  const now = '2026-06-01T10:00:00Z';
  const facts: ReminderTokenFacts[] = [
    tok({ id: 'rot', workspaceId: 'a', createdAt: '2026-01-01T10:00:00Z', rotationPolicy: { rotateEveryDays: 30, basis: 'issue' } }),
    tok({ id: 'exp-old', workspaceId: 'b', expiresAt: '2026-05-01T00:00:00Z' }),
    tok({ id: 'exp-new', workspaceId: 'a', expiresAt: '2026-05-31T00:00:00Z' }),
    tok({ id: 'soon', workspaceId: 'b', expiresAt: '2026-06-03T00:00:00Z' }),
    tok({ id: 'later', workspaceId: 'a', expiresAt: '2026-06-20T00:00:00Z' }),
    tok({ id: 'fine', workspaceId: 'a', expiresAt: '2027-06-20T00:00:00Z' }),
    tok({ id: 'never', workspaceId: 'a' }),
    tok({ id: 'gone', workspaceId: 'a', status: 'revoked', expiresAt: '2026-05-01T00:00:00Z' }),
    tok({ id: 'svc-expired', workspaceId: 'c', status: 'expired' }),
  ];

  it('sorts expired first, then the soonest deadline (rotation due dates included)', () => {
    const s = summarize(facts, PARIS, now);
    expect(s.due.map((d) => d.tokenId)).toEqual(['svc-expired', 'exp-old', 'exp-new', 'rot', 'soon', 'later']);
    expect(s.today).toBe('2026-06-01');
    expect(s.counts).toEqual({ expired: 3, expiring: 2, rotationDue: 1, total: 6, snoozed: 0 });
    expect(s.byWorkspace['a']).toEqual({ expired: 1, expiring: 1, rotationDue: 1, total: 3, snoozed: 0 });
    expect(s.byWorkspace['b']).toEqual({ expired: 1, expiring: 1, rotationDue: 0, total: 2, snoozed: 0 });
  });

  it('counts from clear columns only and agrees with the summary', () => {
    // Exactly the vault's ReminderFacts shape: no name, no secret.
    const locked = facts.map(({ id, workspaceId, status, createdAt, expiresAt, rotationPolicy }) => ({
      id,
      workspaceId,
      status,
      createdAt,
      expiresAt,
      lastRotatedAt: null,
      rotationPolicy: rotationPolicy ?? null,
      workspaceRotationPolicy: null,
      warningDays: null,
      snoozedUntil: null,
      replacedById: null,
    }));
    const c = countAttention(locked, PARIS, now);
    expect(c.counts).toEqual(summarize(facts, PARIS, now).counts);
    expect(Object.keys(c.byWorkspace).sort()).toEqual(['a', 'b', 'c']);
  });

  it('handles 50,000 tokens quickly enough for a badge refresh', () => {
    const many: ReminderTokenFacts[] = [];
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 50_000; i++) {
      many.push(tok({ id: `t${i}`, workspaceId: `w${i % 50}`, expiresAt: new Date(base + i * 1_237_000).toISOString() }));
    }
    const c = countAttention(many, PARIS, now);
    expect(c.counts.total).toBeGreaterThan(0);
    expect(c.counts.expired).toBe(many.filter((t) => Date.parse(String(t.expiresAt)) <= Date.parse(now)).length);
  });
});

describe('evaluateTokens (the whole list at once, for tokens:list)', () => {
  it('answers exactly what evaluateToken answers for each token, across a daylight-saving change', () => {
    const policies: ReminderPolicies = { ...defaultPolicies('Europe/Paris'), warningDays: [7, 30, 1, 7], globalRotation: { rotateEveryDays: 30, basis: 'last-rotation' } };
    const now = '2026-03-29T00:30:00Z'; // the night Paris moves to summer time
    const tokens = Array.from({ length: 400 }, (_, i) =>
      tok({
        id: `t${i}`,
        workspaceId: `w${i % 3}`,
        status: i % 17 === 0 ? 'revoked' : i % 19 === 0 ? 'expired' : 'active',
        createdAt: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 7_200_000).toISOString(),
        expiresAt: i % 4 === 0 ? null : new Date(Date.parse(now) + (i - 100) * 5_400_000).toISOString(),
        lastRotatedAt: i % 5 === 0 ? '2026-02-27T23:30:00Z' : null,
        warningDays: i % 11 === 0 ? [3, 1] : null,
        snoozedUntil: i % 13 === 0 ? '2026-04-01T00:00:00Z' : null,
        replacedById: i % 23 === 0 ? 'other' : null,
      }),
    );
    expect(evaluateTokens(tokens, policies, now)).toEqual(tokens.map((t) => evaluateToken(t, policies, now)));
  });
});
