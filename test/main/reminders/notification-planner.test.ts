import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/main/reminders/reminder-engine';
import { defaultPolicies, type ReminderTokenFacts } from '../../../src/main/reminders/reminder-types';
import { planNotifications, type NotifiedMarkers } from '../../../src/main/reminders/notification-planner';

const P = defaultPolicies('Europe/Paris');
const tok = (id: string, over: Partial<ReminderTokenFacts>): ReminderTokenFacts => ({
  id,
  workspaceId: 'w',
  status: 'active',
  createdAt: '2026-01-01T10:00:00Z',
  expiresAt: null,
  ...over,
});

/** Runs the app's loop once: summary -> plan -> persist markers. */
function start(facts: ReminderTokenFacts[], now: string, store: Record<string, string[]>, describe?: (id: string) => string | undefined) {
  const plan = planNotifications(summarize(facts, P, now).due, store as NotifiedMarkers, { warningDays: P.warningDays, describe });
  Object.assign(store, plan.markers);
  return plan.notifications;
}

describe('one notification per threshold crossed', () => {
  const t = tok('a', { expiresAt: '2026-06-30T07:00:00Z' });

  it('notifies each step once and never again at the next start', () => {
    const store: Record<string, string[]> = {};
    expect(start([t], '2026-05-01T10:00:00Z', store)).toEqual([]);
    const first = start([t], '2026-06-01T10:00:00Z', store, () => 'deploy-key in acme');
    expect(first).toEqual([{ tokenId: 'a', title: 'Token expires in 29 days', body: 'deploy-key in acme expires in 29 days.' }]);
    expect(start([t], '2026-06-01T11:00:00Z', store)).toEqual([]);
    expect(start([t], '2026-06-20T11:00:00Z', store)).toEqual([]);
    expect(start([t], '2026-06-24T11:00:00Z', store)).toHaveLength(1);
    expect(start([t], '2026-06-25T11:00:00Z', store)).toEqual([]);
    expect(start([t], '2026-06-29T11:00:00Z', store)[0]?.title).toBe('Token expires tomorrow');
    expect(start([t], '2026-06-30T06:00:00Z', store)).toEqual([]);
    expect(start([t], '2026-06-30T08:00:00Z', store)[0]).toMatchObject({ title: 'Token expired' });
    expect(start([t], '2026-07-30T08:00:00Z', store)).toEqual([]);
  });

  it('a token that crossed several steps while the app was closed gets one notification, the most urgent', () => {
    const store: Record<string, string[]> = {};
    const n = start([t], '2026-06-29T11:00:00Z', store);
    expect(n).toHaveLength(1);
    expect(n[0]?.title).toBe('Token expires tomorrow');
    expect(n[0]?.body).toContain('Open Token Vault');
    expect(store['a']?.length).toBe(3);
    expect(start([t], '2026-06-29T12:00:00Z', store)).toEqual([]);
  });

  it('a renewed token (new expiry) starts a fresh ladder and drops stale markers', () => {
    const store: Record<string, string[]> = {};
    start([t], '2026-06-29T11:00:00Z', store);
    const renewed = { ...t, expiresAt: '2026-07-10T07:00:00Z' };
    const n = start([renewed], '2026-06-29T12:00:00Z', store);
    expect(n).toHaveLength(1);
    expect(n[0]?.title).toBe('Token expires in 11 days');
    expect(store['a']?.every((m) => m.includes(String(Date.parse('2026-07-10T07:00:00Z'))))).toBe(true);
  });

  it('rotation due is its own notification, once per due day', () => {
    const r = tok('r', { rotationPolicy: { rotateEveryDays: 30, basis: 'last-rotation' } });
    const store: Record<string, string[]> = {};
    expect(start([r], '2026-02-02T10:00:00Z', store)).toMatchObject([{ title: 'Token rotation due' }]);
    expect(start([r], '2026-02-03T10:00:00Z', store)).toEqual([]);
    const rotated = { ...r, lastRotatedAt: '2026-02-03T10:00:00Z' };
    expect(start([rotated], '2026-02-04T10:00:00Z', store)).toEqual([]);
    expect(start([rotated], '2026-03-05T10:00:00Z', store)).toMatchObject([{ title: 'Token rotation due' }]);
  });

  it('groups many at once, snoozed tokens say nothing', () => {
    const many = Array.from({ length: 5 }, (_, i) => tok(`m${i}`, { expiresAt: '2026-06-02T07:00:00Z' }));
    const store: Record<string, string[]> = {};
    const n = start(many, '2026-06-01T10:00:00Z', store);
    expect(n).toEqual([expect.objectContaining({ tokenId: null, title: '5 tokens need attention' })]);
    expect(Object.keys(store)).toHaveLength(5);
    expect(start(many, '2026-06-01T11:00:00Z', store)).toEqual([]);
    const snoozed = tok('s', { expiresAt: '2026-06-02T07:00:00Z', snoozedUntil: '2026-06-02T07:00:00Z' });
    expect(start([snoozed], '2026-06-01T10:00:00Z', {})).toEqual([]);
  });
});

describe('sharing notifications', () => {
  it('one notification per member removal and per "two secrets", never again at the next start', () => {
    const store: Record<string, string[]> = {};
    const removed = tok('m', { memberRemovedAt: '2026-05-20T08:00:00Z' });
    const pick = tok('p', { secretConflict: true });
    const first = start([removed, pick], '2026-06-01T10:00:00Z', store, (id) => (id === 'm' ? 'deploy in acme' : 'ci in acme'));
    expect(first).toEqual([
      { tokenId: 'm', title: 'Rotate: a member was removed', body: 'deploy in acme could be read by a member who has left the share. Rotate it.' },
      { tokenId: 'p', title: 'Two secrets: pick one', body: 'ci in acme was given two different secrets on two devices. Pick the right one.' },
    ]);
    expect(start([removed, pick], '2026-06-02T10:00:00Z', store)).toEqual([]);
    // a second removal later is a new notification
    expect(start([{ ...removed, memberRemovedAt: '2026-06-03T08:00:00Z' }], '2026-06-04T10:00:00Z', store)).toHaveLength(1);
  });
});
