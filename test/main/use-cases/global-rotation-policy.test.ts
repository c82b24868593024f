import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../../src/main/ipc/create-app-service';
import type { SenderInfo } from '../../../src/main/ipc/dispatcher';
import { ReminderService } from '../../../src/main/use-cases/reminder-service';
import { noKeychain } from '../../../src/main/vault/keys/keychain';
import { Vault } from '../../../src/main/vault/vault';
import { PASSWORD, TEST_KDF } from './rotation/rotation-fixture';

const DAY = 86_400_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tv-global-policy-'));
  dirs.push(d);
  return d;
};
const trusted: SenderInfo = { isMainFrame: true, url: 'app://token-vault/index.html' };

describe('global rotation policy (vault setting)', () => {
  it('defaults to none, is validated, persists, and is readable while locked', async () => {
    const path = join(tempDir(), 'vault.db');
    const vault = await Vault.create(path, { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: TEST_KDF });
    expect(vault.settings.get().rotationPolicy).toBeNull();
    expect(vault.settings.update({ rotationPolicy: { rotateEveryDays: 90, basis: 'issue' } })).toMatchObject({
      rotationPolicy: { rotateEveryDays: 90, basis: 'issue' },
      warningDays: [30, 7, 1],
    });
    for (const bad of [{ rotateEveryDays: 0, basis: 'issue' }, { rotateEveryDays: 30, basis: 'sometimes' }, { rotateEveryDays: 1.5, basis: 'issue' }, { rotateEveryDays: 30, basis: 'issue', extra: 1 }])
      expect(() => vault.settings.update({ rotationPolicy: bad as never })).toThrow(/rotationPolicy/);
    // other settings leave it alone
    vault.settings.update({ autoLockMinutes: 5 });
    vault.close();
    const reopened = Vault.open(path, { keychain: noKeychain });
    expect(reopened.settings.get()).toMatchObject({ autoLockMinutes: 5, rotationPolicy: { rotateEveryDays: 90, basis: 'issue' } });
    // Settings are authenticated rows: reading them needs no key, changing them does.
    expect(() => reopened.settings.update({ rotationPolicy: null })).toThrow(/locked/);
    await reopened.keys.unlockWithPassword(PASSWORD);
    reopened.settings.update({ rotationPolicy: null });
    expect(reopened.settings.get().rotationPolicy).toBeNull();
    reopened.close();
  });

  it('drives the reminders through the IPC settings channel; token and workspace policies still win', async () => {
    const userDataDir = tempDir();
    const app = createAppService({ userDataDir, clipboard: { writeText: async () => {}, readText: async () => '', clear: () => {} } as never, notifier: { notify: () => {}, setAttentionCount: () => {} }, emit: () => {}, keychain: noKeychain });
    const dispatch = app.dispatcher(() => true);
    const vault = await Vault.create(join(userDataDir, 'vault.db'), { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: TEST_KDF });
    const createdAt = new Date(Date.now() - 100 * DAY).toISOString();
    const ws = vault.workspaces.create({ kind: 'manual', name: 'm' });
    const plain = vault.tokens.insert({ workspaceId: ws.id, name: 'plain', secret: 's1', createdAt });
    const own = vault.tokens.insert({ workspaceId: ws.id, name: 'own', secret: 's2', createdAt, rotationPolicy: { rotateEveryDays: 365, basis: 'issue' } });
    const strictWs = vault.workspaces.create({ kind: 'manual', name: 'strict', rotationPolicy: { rotateEveryDays: 200, basis: 'issue' } });
    const inStrict = vault.tokens.insert({ workspaceId: strictWs.id, name: 'in-strict', secret: 's3', createdAt });
    app.session.adopt(vault);
    const dueIds = async () => {
      const r = await dispatch('reminders:get-summary', trusted, undefined);
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { due: { tokenId: string; rotation: { kind: string } }[] }).due.filter((d) => d.rotation.kind === 'due').map((d) => d.tokenId);
    };
    expect(await dueIds()).toEqual([]);

    // The strict channel input: unknown keys and out-of-range values are refused before any handler runs.
    expect(await dispatch('vault:update-settings', trusted, { rotationPolicy: { rotateEveryDays: 90, basis: 'issue', x: 1 } })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch('vault:update-settings', trusted, { rotationPolicy: { rotateEveryDays: 0, basis: 'issue' } })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch('vault:update-settings', trusted, { rotationPolicy: { rotateEveryDays: 90, basis: 'issue' } })).toMatchObject({
      ok: true,
      value: { rotationPolicy: { rotateEveryDays: 90, basis: 'issue' } },
    });
    expect(await dueIds()).toEqual([plain.id]);
    // The token's own policy (365 d) and the workspace's (200 d) win over the global one: scheduled, not due.
    const others = await dispatch('reminders:get-tokens', trusted, { tokenIds: [own.id, inStrict.id] });
    expect(others).toMatchObject({ ok: true });
    const rotation = (others as { value: { tokenId: string; rotation: { kind: string; daysLeft?: number } }[] }).value;
    expect(Object.fromEntries(rotation.map((r) => [r.tokenId, [r.rotation.kind, r.rotation.daysLeft]]))).toEqual({ [own.id]: ['scheduled', 265], [inStrict.id]: ['scheduled', 100] });
    expect(await dispatch('vault:get-settings', trusted, undefined)).toMatchObject({ ok: true, value: { rotationPolicy: { rotateEveryDays: 90 } } });

    // The command line builds its own ReminderService: it reads the same setting.
    expect(new ReminderService({ vault: () => vault }).summary().counts.rotationDue).toBe(1);
    // An explicit option still overrides the setting.
    expect(new ReminderService({ vault: () => vault, globalRotation: null }).summary().counts.rotationDue).toBe(0);

    expect(await dispatch('vault:update-settings', trusted, { rotationPolicy: null })).toMatchObject({ ok: true, value: { rotationPolicy: null } });
    expect(await dueIds()).toEqual([]);
    app.close();
  });
});
