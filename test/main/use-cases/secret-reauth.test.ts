import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../src/main/ipc/create-app-service';
import type { Keychain } from '../../../src/main/vault';
import { noKeychain } from '../../../src/main/vault';

/**
 * Issue 12, defect 10: copying and revealing a stored secret follow one rule, as 1Password's: a proof of identity
 * (unlock, the master password, on a keychain-only vault a confirmation) within the reauthMinutes setting, else
 * `reauth-required`. The session's clock is the app's, so a test moves it instead of waiting.
 */
const PASSWORD = 'correct horse battery';
const SECRET = 'glpat-REAUTH-TEST-SECRET-0123456789';

let app: AppService | undefined;
let dir = '';
afterEach(() => {
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A keychain in memory: the real one's contract (get/set/delete by account), for the keychain-only case. */
function memoryKeychain(): Keychain {
  const store = new Map<string, string>();
  return {
    isAvailable: () => Promise.resolve(true),
    get: (a) => Promise.resolve(store.get(a) ?? null),
    set: (a, v) => Promise.resolve(void store.set(a, v)),
    delete: (a) => Promise.resolve(store.delete(a)),
  };
}

async function start(options: { password?: string; keychain?: Keychain } = {}) {
  dir = mkdtempSync(join(tmpdir(), 'tv-reauth-'));
  let now = Date.parse('2026-06-01T12:00:00Z');
  const clipboard = { text: '', writeText: async (t: string) => void (clipboard.text = t), readText: async () => clipboard.text, clear: () => void (clipboard.text = '') };
  app = createAppService({
    userDataDir: dir,
    clipboard,
    notifier: { notify: () => {}, setAttentionCount: () => {} },
    emit: () => {},
    keychain: options.keychain ?? noKeychain,
    clock: { now: () => new Date(now) },
  });
  const dispatch = app.dispatcher(() => true);
  const call = async (channel: string, input?: unknown) => {
    const r = (await dispatch(channel as never, { isMainFrame: true, url: 'app://test' }, input)) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    return r;
  };
  const created = await call('vault:create', options.password === undefined ? { useKeychain: true } : { password: options.password, useKeychain: false });
  expect(created.ok).toBe(true);
  const ws = (await call('workspaces:add', { kind: 'manual', name: 'by hand' })).value as { id: string };
  const token = (await call('tokens:add', { workspaceId: ws.id, name: 'pasted', secret: SECRET })).value as { id: string };
  const minutes = (m: number) => (now += m * 60_000);
  return { call, tokenId: token.id, clipboard, minutes };
}

describe('re-auth within N minutes: copy and reveal, one rule', () => {
  it('copies and reveals without asking within the window after unlock; asks after it; a password renews it', async () => {
    const { call, tokenId, clipboard, minutes } = await start({ password: PASSWORD });
    expect((await call('vault:get-settings')).value).toMatchObject({ reauthMinutes: 5 });

    // Just created (unlocked): within 5 minutes both work as they are.
    expect((await call('tokens:copy-secret', { tokenId })).ok).toBe(true);
    expect(clipboard.text).toBe(SECRET);
    expect((await call('tokens:reveal', { tokenId })).value).toMatchObject({ secret: SECRET });

    minutes(6);
    clipboard.text = '';
    for (const [channel, input] of [
      ['tokens:copy-secret', { tokenId }],
      ['tokens:copy-snippet', { tokenId, kind: 'env' }],
      ['tokens:reveal', { tokenId }],
    ] as const) {
      const r = await call(channel, input);
      expect(r.ok, channel).toBe(false);
      expect(r.error?.code, channel).toBe('reauth-required');
      expect(r.error?.message).not.toContain(SECRET);
    }
    expect(clipboard.text).toBe('');

    expect((await call('tokens:copy-secret', { tokenId, password: 'not the password' })).error?.code).toBe('wrong-password');
    expect((await call('tokens:copy-secret', { tokenId, password: PASSWORD })).ok).toBe(true);
    // The password renewed the window: for the next 5 minutes no more asking.
    minutes(4);
    expect((await call('tokens:reveal', { tokenId })).ok).toBe(true);
    minutes(2);
    expect((await call('tokens:reveal', { tokenId })).error?.code).toBe('reauth-required');

    // Unlocking counts as a proof; locking forgets it.
    await call('vault:lock');
    expect((await call('vault:unlock', { password: PASSWORD })).ok).toBe(true);
    expect((await call('tokens:copy-secret', { tokenId })).ok).toBe(true);
  });

  it('reauthMinutes 0 asks every time; the setting is bounded', async () => {
    const { call, tokenId } = await start({ password: PASSWORD });
    expect((await call('vault:update-settings', { reauthMinutes: 241 })).error?.code).toBe('invalid-argument');
    expect((await call('vault:update-settings', { reauthMinutes: 0 })).ok).toBe(true);
    expect((await call('tokens:copy-secret', { tokenId })).error?.code).toBe('reauth-required');
    expect((await call('tokens:copy-secret', { tokenId, password: PASSWORD })).ok).toBe(true);
    expect((await call('tokens:copy-secret', { tokenId })).error?.code).toBe('reauth-required');
  });

  it('a keychain-only vault asks for a confirmation instead of a password', async () => {
    const { call, tokenId, minutes } = await start({ keychain: memoryKeychain() });
    expect((await call('tokens:copy-secret', { tokenId })).ok).toBe(true);
    minutes(10);
    const refused = await call('tokens:copy-secret', { tokenId });
    expect(refused.error).toMatchObject({ code: 'reauth-required', message: expect.stringMatching(/Confirm/) });
    expect((await call('tokens:copy-secret', { tokenId, confirm: true })).ok).toBe(true);
    expect((await call('tokens:reveal', { tokenId })).ok).toBe(true);
  });
});
