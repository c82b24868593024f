import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../../src/main/ipc/create-app-service';
import type { NotifierPort } from '../../../src/main/use-cases/ports';
import { ReminderService } from '../../../src/main/use-cases/reminder-service';
import { noKeychain } from '../../../src/main/vault/keys/keychain';
import { Vault } from '../../../src/main/vault/vault';
import { PASSWORD, TEST_KDF } from './rotation/rotation-fixture';

/** A desktop stand-in that records what it was asked to show. */
function recordingNotifier() {
  const shown: { title: string; body: string }[] = [];
  const counts: number[] = [];
  const port: NotifierPort = { notify: (title, body) => shown.push({ title, body }), setAttentionCount: (n) => counts.push(n) };
  return { port, shown, counts };
}

const DAY = 86_400_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function vaultWithTokens(now: number) {
  const dir = mkdtempSync(join(tmpdir(), 'tv-reminders-'));
  dirs.push(dir);
  const path = join(dir, 'vault.db');
  const vault = await Vault.create(path, { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: TEST_KDF });
  const ws = vault.workspaces.create({ kind: 'manual', name: 'graphor', tokenPageUrl: 'https://graphor.example/tokens' });
  const soon = vault.tokens.insert({ workspaceId: ws.id, name: 'mcp-key', secret: 's1', createdAt: new Date(now - 10 * DAY).toISOString(), expiresAt: new Date(now + 3 * DAY).toISOString() });
  vault.tokens.insert({ workspaceId: ws.id, name: 'fine', secret: 's2', expiresAt: new Date(now + 300 * DAY).toISOString() });
  return { vault, path, ws, soon, dir };
}

describe('reminder service over a real vault file', () => {
  it('notifies once per threshold, never again after a restart, and counts while locked', async () => {
    let now = Date.parse('2026-06-01T09:00:00Z');
    const clock = { now: () => new Date(now) };
    const { vault, path, soon } = await vaultWithTokens(now);
    const first = recordingNotifier();
    new ReminderService({ vault: () => vault, notifier: first.port, clock, timeZone: 'Europe/Paris' }).refresh();
    expect(first.shown).toEqual([{ title: 'Token expires in 3 days', body: '"mcp-key" in graphor expires in 3 days.' }]);
    expect(first.counts).toEqual([1]);
    vault.close();

    // A restart: the file reopened, still locked. Same day: nothing shown again, but the badge count is there.
    const reopened = Vault.open(path, { keychain: noKeychain });
    const second = recordingNotifier();
    const locked = new ReminderService({ vault: () => reopened, notifier: second.port, clock, timeZone: 'Europe/Paris' });
    locked.refresh();
    expect(second.shown).toEqual([]);
    expect(second.counts).toEqual([1]);
    expect(locked.summary().counts).toMatchObject({ total: 1, expiring: 1 });

    // Two days later, still locked: the 1-day step is crossed; the text is generic (names are encrypted).
    now += 2 * DAY;
    locked.refresh();
    expect(second.shown).toEqual([{ title: 'Token expires tomorrow', body: 'A token expires tomorrow. Open Token Vault to see which one.' }]);
    reopened.close();

    // Another restart after expiry: exactly one "expired", then silence.
    now += 2 * DAY;
    const third = Vault.open(path, { keychain: noKeychain });
    const n3 = recordingNotifier();
    const s3 = new ReminderService({ vault: () => third, notifier: n3.port, clock, timeZone: 'Europe/Paris' });
    s3.refresh();
    s3.refresh();
    expect(n3.shown.map((n) => n.title)).toEqual(['Token expired']);
    expect(third.notifications.list(soon.id).map((m) => m.threshold).length).toBeGreaterThanOrEqual(4);
    third.close();
  });

  it('snooze and mark-rotated need the unlocked vault; the command-line service never marks notifications', async () => {
    const now = Date.parse('2026-06-01T09:00:00Z');
    const clock = { now: () => new Date(now) };
    const { vault, soon } = await vaultWithTokens(now);
    const cli = new ReminderService({ vault: () => vault, clock, timeZone: 'UTC' });
    const out = cli.snooze(soon.id, '7d');
    // Capped at the expiry: a snooze never hides the moment the token stops working.
    expect(out.snoozedUntil).toBe(new Date(now + 3 * DAY).toISOString());
    expect(cli.summary().counts).toMatchObject({ total: 0, snoozed: 1 });
    expect(vault.notifications.list()).toEqual([]);
    expect(() => cli.snooze(soon.id, 'later')).toThrow(/Snooze for 1d, 7d, 2w/);
    cli.unsnooze(soon.id);
    vault.tokens.update(soon.id, { rotationPolicy: { rotateEveryDays: 5, basis: 'last-rotation' } });
    expect(cli.tokens([soon.id])[0]?.rotation).toMatchObject({ kind: 'due' });
    cli.markRotated(soon.id);
    expect(cli.tokens([soon.id])[0]?.rotation).toMatchObject({ kind: 'scheduled', daysLeft: 5 });
    vault.lock();
    expect(() => cli.markRotated(soon.id)).toThrow(/locked/);
    vault.close();
  });

  it('is wired into the app service: summary while locked, reminders:changed on refresh', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'tv-app-'));
    dirs.push(userDataDir);
    const events: unknown[] = [];
    const n = recordingNotifier();
    const app = createAppService({ userDataDir, clipboard: { writeText: async () => {}, readText: async () => '', clear: () => {} } as never, notifier: n.port, emit: (e, p) => events.push([e, p]), keychain: noKeychain });
    expect(await app.handlers['reminders:get-summary'](undefined)).toMatchObject({ counts: { total: 0 } });
    const vault = await Vault.create(join(userDataDir, 'vault.db'), { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: TEST_KDF });
    const ws = vault.workspaces.create({ kind: 'manual', name: 'm' });
    vault.tokens.insert({ workspaceId: ws.id, name: 'x', secret: 'y', expiresAt: new Date(Date.now() - DAY).toISOString() });
    app.session.adopt(vault);
    vault.lock();
    app.reminders.refresh();
    expect(events).toContainEqual(['reminders:changed', { counts: expect.objectContaining({ expired: 1, total: 1 }) }]);
    expect(n.counts.at(-1)).toBe(1);
    await expect(Promise.resolve().then(() => app.handlers['rotation:list-pending'](undefined))).rejects.toMatchObject({ code: 'vault-locked' });
    app.close();
  });
});
