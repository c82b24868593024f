import { performance } from 'node:perf_hooks';
import { it } from 'vitest';
import { countAttention, summarize } from '../src/main/reminders/reminder-engine';
import { defaultPolicies, type ReminderTokenFacts } from '../src/main/reminders/reminder-types';
import { planNotifications } from '../src/main/reminders/notification-planner';
import { median, recordBench } from './record';

/**
 * The reminder engine over N tokens as the vault's clear columns give them (what the badge, tray and Attention view
 * cost at each refresh): counts alone, the full summary with the due list, and notification planning.
 */
function facts(n: number, now: number): ReminderTokenFacts[] {
  const out: ReminderTokenFacts[] = [];
  for (let i = 0; i < n; i++) {
    const created = now - ((i * 7919) % 400) * 86_400_000;
    out.push({
      id: `t${i}`,
      workspaceId: `w${i % 50}`,
      status: i % 40 === 0 ? 'revoked' : 'active',
      createdAt: new Date(created).toISOString(),
      expiresAt: i % 3 === 0 ? null : new Date(now + (((i * 104729) % 500) - 50) * 86_400_000 + (i % 1440) * 60_000).toISOString(),
      lastRotatedAt: null,
      rotationPolicy: i % 5 === 0 ? { rotateEveryDays: 90, basis: 'last-rotation' } : null,
      workspaceRotationPolicy: null,
      warningDays: null,
      snoozedUntil: null,
      replacedById: null,
    });
  }
  return out;
}

const time = (fn: () => void, runs = 7) => {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
};

it('reminder engine at 1k, 10k, 50k tokens', () => {
  const now = Date.parse('2026-06-01T09:00:00Z');
  const policies = defaultPolicies('Europe/Paris');
  const rows: Record<string, unknown>[] = [];
  const figures: Record<string, unknown> = {};
  for (const n of [1_000, 10_000, 50_000]) {
    const data = facts(n, now);
    let due = 0;
    const countMs = time(() => void countAttention(data, policies, now));
    const summaryMs = time(() => {
      due = summarize(data, policies, now).due.length;
    });
    const s = summarize(data, policies, now);
    const planMs = time(() => void planNotifications(s.due, {}, { warningDays: policies.warningDays, maxIndividual: 3 }));
    const row = { tokens: n, due, countMs: +countMs.toFixed(2), summaryMs: +summaryMs.toFixed(2), planMs: +planMs.toFixed(2) };
    rows.push(row);
    figures[`n${n}`] = row;
  }
  recordBench('reminders', figures, rows);
});
