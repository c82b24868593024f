import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppService } from '../../../src/main/ipc/create-app-service';
import { noKeychain } from '../../../src/main/vault';
import { MemoryClipboard, RecordingNotifier } from '../../support/desktop-stand-ins';

const dir = mkdtempSync(join(tmpdir(), 'tv-ws-handlers-'));
const app = createAppService({ userDataDir: dir, clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), emit: () => {}, keychain: noKeychain });
const dispatch = app.dispatcher(() => true);
const call = (channel: string, input?: unknown) => dispatch(channel, { isMainFrame: true, url: 'app://token-vault/index.html' }, input);
afterAll(() => {
  app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('workspaces:update goes through the same address checks as workspaces:add', () => {
  it('refuses a plain-http service, a credential in the URL and a token page that is not a web address; changes nothing', async () => {
    const h = app.handlers;
    await h['vault:create']({ password: 'ws-handlers-password', useKeychain: false });
    const ws = await h['workspaces:add']({ kind: 'manual', name: 'graphor', baseUrl: 'https://graphor.example', tokenPageUrl: 'https://graphor.example/tokens' });
    const bad = [
      [{ baseUrl: 'http://graphor.example' }, { code: 'insecure-url', field: 'baseUrl' }],
      [{ baseUrl: 'https://me:hunter2@graphor.example' }, { code: 'invalid-argument', field: 'baseUrl' }],
      [{ tokenPageUrl: 'javascript:alert(1)' }, { code: 'invalid-argument', field: 'tokenPageUrl' }],
      [{ tokenPageUrl: 'file:///etc/passwd' }, { code: 'invalid-argument', field: 'tokenPageUrl' }],
    ] as const;
    for (const [patch, failure] of bad) {
      // The same input is refused by add, and by update.
      expect(await call('workspaces:add', { kind: 'manual', name: 'other', ...patch })).toMatchObject({ ok: false, error: failure });
      expect(await call('workspaces:update', { id: ws.id, ...patch })).toMatchObject({ ok: false, error: failure });
    }
    expect(await h['workspaces:list'](undefined)).toEqual([ws]);
    expect(await h['workspaces:update']({ id: ws.id, name: 'graphor eu', baseUrl: 'http://127.0.0.1:8443/api' })).toMatchObject({ name: 'graphor eu', baseUrl: 'http://127.0.0.1:8443/api' });
  });
});
