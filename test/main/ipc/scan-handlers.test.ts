import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService } from '../../../src/main/ipc/create-app-service';
import { noKeychain } from '../../../src/main/vault';
import type { ScanFinding, ScanResult } from '../../../src/shared/ipc/scan-channels';
import type { Result } from '../../../src/shared/result';
import { MemoryClipboard, RecordingNotifier, StandInDialogs } from '../../support/desktop-stand-ins';

// scan:* through the dispatcher (sender check, zod, Result envelope, after-change), as the window calls them.
const dir = mkdtempSync(join(tmpdir(), 'tv-scan-handlers-'));
const tree = join(dir, 'tree');
const home = join(dir, 'home');
const STORED = 'stored-scan-handler-secret-0042';
const FOUND = `glpat-${'HandlerFound'.repeat(2)}`;
const events: { event: string; payload: unknown }[] = [];
const dialogs = new StandInDialogs();
const app = createAppService({ userDataDir: join(dir, 'user'), clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), emit: (event, payload) => events.push({ event, payload }), keychain: noKeychain, dialogs, home });
const dispatch = app.dispatcher(() => true);
const call = async <T>(channel: string, input?: unknown) => (await dispatch(channel, { isMainFrame: true, url: 'app://token-vault/index.html' }, input)) as Result<T>;
const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};
let manualId = '';

beforeAll(async () => {
  mkdirSync(join(tree, 'many'), { recursive: true });
  writeFileSync(join(tree, '.env'), `STORED=${STORED}\nGITLAB_TOKEN=${FOUND}\n`);
  // Enough files that a scan takes several slices, so a cancel can land in the middle.
  for (let i = 0; i < 4000; i++) writeFileSync(join(tree, 'many', `f${i}.txt`), `nothing here ${i}\n`);
  mkdirSync(home);
  writeFileSync(join(home, '.npmrc'), `//registry.example.com/:_authToken=${STORED}\n`);
});
afterAll(() => {
  app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scan:* handlers', () => {
  it('need an unlocked vault and a folder the OS dialog chose; refuse a made-up id or extra fields', async () => {
    expect(await call('scan:choose-folder')).toMatchObject({ ok: false, error: { code: 'vault-missing' } });
    value(await call('vault:create', { password: 'scan-handlers-password', useKeychain: false }));
    manualId = value(await call<{ id: string }>('workspaces:add', { kind: 'manual', name: 'hand' })).id;
    value(await call('tokens:add', { workspaceId: manualId, name: 'stored', secret: STORED }));
    // The user pressed Cancel in the dialog.
    dialogs.folder = null;
    expect(value(await call('scan:choose-folder'))).toBeNull();
    expect(await call('scan:start', { folderId: '0b5c1f1e-8a4f-4c5e-9d3a-2b1f0e9c7a6d' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('scan:start', { folderId: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    // The page never hands main a path to scan.
    expect(await call('scan:start', { folderId: '0b5c1f1e-8a4f-4c5e-9d3a-2b1f0e9c7a6d', path: '/etc' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(dialogs.asked).toEqual(['scan']);
  });

  it('scans with progress events, stops on cancel with what it found, and scans whole the next time', async () => {
    dialogs.folder = tree;
    const folder = value(await call<{ folderId: string; path: string }>('scan:choose-folder'));
    expect(folder.path).toBe(tree);
    events.length = 0;
    const running = call<ScanResult>('scan:start', { folderId: folder.folderId });
    while (!events.some((e) => e.event === 'scan:progress')) await new Promise((r) => setTimeout(r, 1));
    expect(value(await call('scan:cancel'))).toEqual({ cancelled: true });
    const stopped = value(await running);
    expect(stopped.cancelled).toBe(true);
    expect(stopped.filesScanned).toBeLessThan(4001);
    expect(value(await call('scan:cancel'))).toEqual({ cancelled: false });

    const whole = value(await call<ScanResult>('scan:start', { folderId: folder.folderId, homeFiles: true }));
    expect(whole.cancelled).toBe(false);
    expect(whole.filesScanned).toBe(4002);
    expect(whole.findings.map((f) => (f.kind === 'stored' ? `${f.file.slice(dir.length)}:${f.line} ${f.reference}` : `${f.file.slice(dir.length)}:${f.line} ${f.prefix}… ${f.length}`))).toEqual([
      '/home/.npmrc:1 tv://hand/stored',
      '/tree/.env:1 tv://hand/stored',
      `/tree/.env:2 glpat-… ${FOUND.length}`,
    ]);
    // Reading only: no change announced.
    expect(events.some((e) => e.event === 'tokens:changed')).toBe(false);
    for (const secret of [STORED, FOUND]) expect(JSON.stringify([whole, events])).not.toContain(secret);
  });

  it('add-target and add-to-vault change the vault (tokens:changed once each); a lock forgets the findings', async () => {
    const folder = value(await call<{ folderId: string }>('scan:choose-folder'));
    const { findings } = value(await call<ScanResult>('scan:start', { folderId: folder.folderId }));
    const place = findings.find((f) => f.kind === 'stored') as Extract<ScanFinding, { kind: 'stored' }>;
    const found = findings.find((f) => f.kind === 'unknown') as Extract<ScanFinding, { kind: 'unknown' }>;
    expect(found.suggestedName).toBe('GITLAB_TOKEN');
    events.length = 0;
    expect(value(await call('scan:add-target', { findingId: place.id }))).toMatchObject({ linked: true, target: { format: 'dotenv', key: 'STORED' } });
    expect(events.filter((e) => e.event === 'tokens:changed')).toHaveLength(1);
    // Only workspaces that take pasted tokens: main's rules for a pasted token hold for a found one.
    const added = value(await call<{ tokenId: string; finding: { linked: boolean } }>('scan:add-to-vault', { findingId: found.id, workspaceId: manualId, name: 'gitlab ci', linkAsTarget: true }));
    expect(added.finding.linked).toBe(true);
    expect(events.filter((e) => e.event === 'tokens:changed')).toHaveLength(2);
    const list = value(await call<{ id: string; name: string; prefix: string | null }[]>('tokens:list'));
    expect(list.find((t) => t.id === added.tokenId)?.name).toBe('gitlab ci');
    expect(JSON.stringify([added, list])).not.toContain(FOUND);

    value(await call('vault:lock'));
    value(await call('vault:unlock', { password: 'scan-handlers-password' }));
    expect(await call('scan:add-target', { findingId: place.id })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('scan:start', { folderId: folder.folderId })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
