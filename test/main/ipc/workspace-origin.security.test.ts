import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService } from '../../../src/main/ipc/create-app-service';
import { noKeychain } from '../../../src/main/vault';
import { createGitlabServer } from '../../servers/contract/gitlab-server';
import { MemoryClipboard, RecordingNotifier } from '../../support/desktop-stand-ins';

/**
 * Issue 10 item 2: a renderer (or anyone driving the dispatcher) changes a workspace's address to a host of its
 * choice and syncs. The stored admin credential must never reach that host: an origin change (scheme, host, port)
 * drops the credential and the provider login, and the new address needs the credential again, verified as add does.
 */
const original = createGitlabServer('glpat-original-admin-0000');
const attacker = createGitlabServer('glpat-attacker-admin-0000');
const dir = mkdtempSync(join(tmpdir(), 'tv-ws-origin-'));
const app = createAppService({ userDataDir: dir, clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), emit: () => {}, keychain: noKeychain });
const dispatch = app.dispatcher(() => true);
const call = (channel: string, input?: unknown) => dispatch(channel, { isMainFrame: true, url: 'app://token-vault/index.html' }, input);

/** Every header value the attacker's host received, as one string. */
const attackerSaw = () => attacker.server.requests.map((r) => JSON.stringify(r.headers)).join('\n');

let originalUrl = '';
let attackerUrl = '';
let wsId = '';
beforeAll(async () => {
  [originalUrl, attackerUrl] = await Promise.all([original.server.start(), attacker.server.start()]);
  await app.handlers['vault:create']({ password: 'ws-origin-password', useKeychain: false });
  const ws = await app.handlers['workspaces:add']({ kind: 'gitlab', name: 'gl', baseUrl: originalUrl, adminSecret: original.adminToken });
  wsId = ws.id;
  app.session.requireUnlocked().workspaces.setLogin(wsId, '{"session":"original-session-cookie"}');
});
afterAll(async () => {
  app.close();
  await Promise.all([original.server.stop(), attacker.server.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('issue 10 item 2: workspaces:update to another origin never sends the stored credential there', () => {
  it('refuses a new host without the credential; a following sync goes to the old host only', async () => {
    const moved = await call('workspaces:update', { id: wsId, baseUrl: attackerUrl });
    expect(moved).toMatchObject({ ok: false, error: { code: 'invalid-argument', field: 'adminSecret' } });
    const synced = await call('workspaces:sync', { id: wsId });
    expect(synced).toMatchObject({ ok: true });
    expect(attacker.server.requests).toHaveLength(0);
    expect((await call('workspaces:list')) as unknown).toMatchObject({ ok: true, value: [expect.objectContaining({ baseUrl: originalUrl, hasAdminCredential: true })] });
  });

  it('another port or scheme on the same host is another origin too', async () => {
    const otherPort = originalUrl.replace(/:(\d+)$/, (_, p: string) => `:${Number(p) + 1}`);
    expect(await call('workspaces:update', { id: wsId, baseUrl: otherPort })).toMatchObject({ ok: false, error: { field: 'adminSecret' } });
    expect(await call('workspaces:update', { id: wsId, baseUrl: originalUrl.replace('http://127.0.0.1', 'http://localhost') })).toMatchObject({ ok: false, error: { field: 'adminSecret' } });
  });

  it('a wrong credential for the new host is verified there and refused; nothing changes', async () => {
    const wrong = await call('workspaces:update', { id: wsId, baseUrl: attackerUrl, adminSecret: 'glpat-not-the-right-one' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bad-credential' } });
    expect(attackerSaw()).not.toContain(original.adminToken);
    expect(app.session.requireUnlocked().workspaces.get(wsId).baseUrl).toBe(originalUrl);
  });

  it('with the new host\'s own credential: verified, stored, the old login dropped; sync sends only the new credential', async () => {
    const ok = await call('workspaces:update', { id: wsId, baseUrl: attackerUrl, adminSecret: attacker.adminToken });
    expect(ok).toMatchObject({ ok: true, value: { baseUrl: attackerUrl, hasAdminCredential: true } });
    expect(app.session.requireUnlocked().workspaces.login(wsId)).toBeNull();
    expect(await call('workspaces:sync', { id: wsId })).toMatchObject({ ok: true, value: [expect.objectContaining({ ok: true })] });
    expect(attacker.server.requests.length).toBeGreaterThan(0);
    expect(attackerSaw()).not.toContain(original.adminToken);
    expect(attackerSaw()).not.toContain('original-session-cookie');
  });

  it('the same origin (another path or a #options fragment) keeps the credential without asking again', async () => {
    const ok = await call('workspaces:update', { id: wsId, baseUrl: `${attackerUrl}#projects=7` });
    expect(ok).toMatchObject({ ok: true, value: { hasAdminCredential: true } });
  });

  it('the vault itself drops the credential when the origin changes without a new one (no path can move it)', () => {
    const vault = app.session.requireUnlocked();
    vault.workspaces.setLogin(wsId, '{"session":"x"}');
    const moved = vault.workspaces.update(wsId, { baseUrl: originalUrl });
    expect(moved).toMatchObject({ baseUrl: originalUrl, hasAdminCredential: false, hasLogin: false });
  });
});
