import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-support';
import { makeVault, PASSWORD, runCliAsync } from './spawn-cli';

const root = mkdtempSync(join(tmpdir(), 'tv-empty-env-'));
let vaultPath = '';

beforeAll(async () => {
  ensureBuilt();
  vaultPath = (await makeVault(root, [])).path;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a password variable set but empty', () => {
  it('init says TOKEN_VAULT_PASSWORD is empty (not "set it") and creates nothing', async () => {
    const path = join(root, 'new.db');
    const r = await runCliAsync(['init'], { env: { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: '' }, input: null });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toContain('TOKEN_VAULT_PASSWORD is set but empty');
    expect(existsSync(path)).toBe(false);
  });

  it('passwd names TOKEN_VAULT_NEW_PASSWORD when it is the empty one, and the password is unchanged', async () => {
    const r = await runCliAsync(['passwd'], { env: { TOKEN_VAULT_PATH: vaultPath, TOKEN_VAULT_PASSWORD: PASSWORD, TOKEN_VAULT_NEW_PASSWORD: '' }, input: null });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toContain('TOKEN_VAULT_NEW_PASSWORD is set but empty');
    const still = await runCliAsync(['list', '--json'], { env: { TOKEN_VAULT_PATH: vaultPath, TOKEN_VAULT_PASSWORD: PASSWORD } });
    expect(still.code, still.stderr.toString()).toBe(0);
  });
});

describe('restore onto an existing vault', () => {
  it('is refused with the way out (--force), exit 1, the vault unchanged', async () => {
    const env = { TOKEN_VAULT_PATH: vaultPath, TOKEN_VAULT_PASSWORD: PASSWORD };
    const file = join(root, 'vault.tvbak');
    const made = await runCliAsync(['backup', file], { env });
    expect(made.code, made.stderr.toString()).toBe(0);
    const r = await runCliAsync(['restore', file], { env, input: null });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toContain('Nothing was restored; add --force to replace it with the backup.');
  });
});
