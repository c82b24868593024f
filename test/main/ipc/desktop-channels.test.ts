import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../src/main/ipc/create-app-service';
import { noKeychain } from '../../../src/main/vault';
import { MemoryClipboard, RecordingDesktop, RecordingNotifier } from '../../support/desktop-stand-ins';

const SECRET = 'glpat-unsaved-0123456789abcdef';
let dir: string;
let service: AppService;
let clipboard: MemoryClipboard;
let desktop: RecordingDesktop;
const events: [string, unknown][] = [];
const dispatch = (channel: string, input?: unknown) => service.dispatcher(() => true)(channel, { isMainFrame: true, url: 'file:///app/index.html' }, input);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tv-desktop-'));
  clipboard = new MemoryClipboard();
  desktop = new RecordingDesktop();
  events.length = 0;
  service = createAppService({ userDataDir: dir, clipboard, notifier: new RecordingNotifier(), desktop, keychain: noKeychain, emit: (e, p) => events.push([e, p]) });
  await service.handlers['vault:create']({ password: 'correct horse battery', useKeychain: false });
});

afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('every copy goes through main, and both Linux buffers are cleared', () => {
  it('an unsaved secret (the reveal after a failed store) is copied by main with the same clear timer', async () => {
    service.session.requireUnlocked().settings.update({ clipboardClearSeconds: 1 });
    expect(await dispatch('tokens:copy-unsaved-secret', { secret: SECRET })).toEqual({ ok: true, value: { clearsInSeconds: 1 } });
    expect(clipboard.text).toBe(SECRET);
    await new Promise((r) => setTimeout(r, 1300));
    expect(clipboard.text).toBe('');
    expect(events).toContainEqual(['clipboard:cleared', { reason: 'timeout' }]);
  });

  it('refuses an empty or oversized secret', async () => {
    expect(await dispatch('tokens:copy-unsaved-secret', { secret: '' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch('tokens:copy-unsaved-secret', { secret: 'x'.repeat(16_385) })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('clears PRIMARY (the middle-click buffer) too when the secret was selected, and only then', async () => {
    const vault = service.session.requireUnlocked();
    const ws = vault.workspaces.create({ kind: 'manual', name: 'Ops' });
    const token = vault.tokens.storeIssued({ workspaceId: ws.id, name: 't', secret: SECRET, prefix: 'glpat-' });
    await dispatch('tokens:copy-secret', { tokenId: token.id });
    // The user also selected the secret in a field: Linux put it in PRIMARY without any copy.
    clipboard.selection = SECRET;
    service.lock('user');
    await new Promise((r) => setTimeout(r, 50));
    expect(clipboard.text).toBe('');
    expect(clipboard.selection).toBe('');
    expect(events).toContainEqual(['clipboard:cleared', { reason: 'lock' }]);
  });

  it('leaves what the user put in either buffer since', async () => {
    await dispatch('tokens:copy-unsaved-secret', { secret: SECRET });
    clipboard.selection = 'my own selection';
    await clipboard.writeText('my own note');
    service.lock('user');
    await new Promise((r) => setTimeout(r, 50));
    expect(clipboard.text).toBe('my own note');
    expect(clipboard.selection).toBe('my own selection');
  });
});

describe('links: through the safe opener, allow-listed per workspace', () => {
  it('opens a self-hosted server\'s token page for its own workspace, not for another, not without one', async () => {
    const vault = service.session.requireUnlocked();
    const gl = vault.workspaces.create({ kind: 'gitlab', name: 'Company GitLab', baseUrl: 'https://git.example.com' });
    const other = vault.workspaces.create({ kind: 'manual', name: 'Other', tokenPageUrl: 'https://tokens.other.example/new' });
    const page = 'https://git.example.com/-/user_settings/personal_access_tokens';
    expect(await dispatch('desktop:open-link', { url: page, workspaceId: gl.id })).toEqual({ ok: true, value: { opened: true } });
    expect(await dispatch('desktop:open-link', { url: page, workspaceId: other.id })).toEqual({ ok: true, value: { opened: false } });
    expect(await dispatch('desktop:open-link', { url: page })).toEqual({ ok: true, value: { opened: false } });
    expect(await dispatch('desktop:open-link', { url: 'https://tokens.other.example/new', workspaceId: other.id })).toEqual({ ok: true, value: { opened: true } });
    expect(desktop.opened).toEqual([page, 'https://tokens.other.example/new']);
  });

  it('opens the services\' documentation without a workspace, and nothing that is not https', async () => {
    expect(await dispatch('desktop:open-link', { url: 'https://docs.gitlab.com/user/profile/personal_access_tokens/' })).toMatchObject({ value: { opened: true } });
    for (const url of ['http://docs.gitlab.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@docs.gitlab.com/', 'https://docs.gitlab.com.evil.example/']) {
      expect(await dispatch('desktop:open-link', { url }), url).toMatchObject({ value: { opened: false } });
    }
    expect(desktop.opened).toEqual(['https://docs.gitlab.com/user/profile/personal_access_tokens/']);
  });

  it('plain http only to a loopback server the workspace itself names', async () => {
    const vault = service.session.requireUnlocked();
    const local = vault.workspaces.create({ kind: 'strapi', name: 'Local Strapi', baseUrl: 'http://localhost:1337' });
    expect(await dispatch('desktop:open-link', { url: 'http://localhost:1337/admin/settings/api-tokens', workspaceId: local.id })).toMatchObject({ value: { opened: true } });
    expect(await dispatch('desktop:open-link', { url: 'http://localhost:1337/admin' })).toMatchObject({ value: { opened: false } });
  });

  it('a workspace link needs the vault open (its hosts are encrypted)', async () => {
    const vault = service.session.requireUnlocked();
    const gl = vault.workspaces.create({ kind: 'gitlab', name: 'GL', baseUrl: 'https://git.example.com' });
    service.lock('user');
    expect(await dispatch('desktop:open-link', { url: 'https://git.example.com/', workspaceId: gl.id })).toMatchObject({ ok: false, error: { code: 'vault-locked' } });
  });

  it('says what locks the vault here, as the shell reports it', async () => {
    expect(await dispatch('desktop:get-lock-triggers')).toEqual({ ok: true, value: { platform: 'linux', screenLock: 'desktop-signals', sources: ['logind', 'screensaver'] } });
  });
});
