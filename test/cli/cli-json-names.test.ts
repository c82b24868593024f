import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { cli, ensureBuilt } from './cli-support';

/**
 * --json keys by name where it keyed by id, beside the old fields (the --json contract only grows): reminders'
 * byWorkspaceName next to byWorkspace, names next to ids in audit entries.
 */
const root = mkdtempSync(join(tmpdir(), 'tv-cli-json-'));
const path = join(root, 'vault.db');
const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: 'cli json password' };

beforeAll(async () => {
  ensureBuilt();
  (await Vault.create(path, { password: env.TOKEN_VAULT_PASSWORD, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('--json names beside ids', () => {
  it('an empty vault: reminders says nothing needs attention; audit says it is empty', () => {
    expect(cli(['reminders'], { env }).stdout).toMatch(/^Nothing needs attention: no token is expired, expiring or due for rotation\./);
    expect(cli(['audit'], { env })).toMatchObject({ code: 0, stdout: '', stderr: 'The audit log is empty.\n' });
  });

  it('reminders --json: byWorkspace stays keyed by id, byWorkspaceName keys the same counts by name; null while locked', () => {
    expect(cli(['add', '--workspace', 'acme', '--name', 'old', '--expires', '2020-01-01'], { env, input: 's1' }).code).toBe(0);
    expect(cli(['add', '--workspace', 'beta', '--name', 'gone', '--expires', '2020-01-02'], { env, input: 's2' }).code).toBe(0);
    const r = JSON.parse(cli(['reminders', '--json'], { env }).stdout) as { byWorkspace: Record<string, { total: number }>; byWorkspaceName: Record<string, { total: number }>; counts: { total: number } };
    const ws = JSON.parse(cli(['list', '--json'], { env }).stdout) as { workspace: string; workspaceId: string }[];
    const idOf = (name: string) => ws.find((t) => t.workspace === name)?.workspaceId ?? '';
    expect(r.counts.total).toBe(2);
    expect(r.byWorkspace[idOf('acme')]).toMatchObject({ expired: 1, total: 1 });
    expect(r.byWorkspaceName).toEqual({ acme: r.byWorkspace[idOf('acme')], beta: r.byWorkspace[idOf('beta')] });
    const locked = JSON.parse(cli(['reminders', '--json'], { env: { TOKEN_VAULT_PATH: path } }).stdout) as { locked: boolean; byWorkspaceName: unknown; counts: { total: number } };
    expect(locked).toMatchObject({ locked: true, byWorkspaceName: null, counts: { total: 2 } });
  });

  it('audit --json: every entry keeps tokenId and workspaceId and adds token and workspace names', () => {
    const [entry] = JSON.parse(cli(['audit', 'acme/old', '--json'], { env }).stdout) as Record<string, unknown>[];
    expect(entry).toMatchObject({ action: 'created', token: 'old', workspace: 'acme', tokenId: expect.any(String), workspaceId: expect.any(String) });
  });
});
