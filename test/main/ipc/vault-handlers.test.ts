import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVaultHandlers } from '../../../src/main/ipc/vault-handlers';
import { VaultSession } from '../../../src/main/use-cases/vault-session';
import { noKeychain } from '../../../src/main/vault';

const dir = mkdtempSync(join(tmpdir(), 'tv-handlers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vault handlers: password, keychain, settings', () => {
  it('changes the password only with the current one, and keeps settings in the vault', async () => {
    const events: unknown[] = [];
    const session = VaultSession.inUserData(dir, (e, p) => events.push([e, p]), noKeychain);
    const h = createVaultHandlers({ session });
    expect(await h['vault:create']({ password: 'first-password', useKeychain: false })).toMatchObject({ exists: true, unlocked: true, passwordUnlock: true });
    await expect(h['vault:change-password']({ currentPassword: 'nope-nope', newPassword: 'second-password' })).rejects.toMatchObject({ code: 'wrong-password' });
    await h['vault:change-password']({ currentPassword: 'first-password', newPassword: 'second-password' });
    await expect(h['vault:set-keychain-unlock']({ enabled: true })).rejects.toMatchObject({ code: 'keychain-unavailable' });
    expect(await h['vault:update-settings']({ clipboardClearSeconds: 10 })).toMatchObject({ clipboardClearSeconds: 10, autoLockMinutes: 15 });
    await h['vault:lock'](undefined);
    expect(await h['vault:get-settings'](undefined)).toMatchObject({ clipboardClearSeconds: 10 });
    await expect(h['vault:unlock']({ password: 'first-password' })).rejects.toMatchObject({ code: 'wrong-password' });
    expect(await h['vault:unlock']({ password: 'second-password' })).toMatchObject({ unlocked: true });
    session.close();
  }, 30_000);
});
