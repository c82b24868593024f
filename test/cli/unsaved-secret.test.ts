import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { ensureCliBuilt, runCli } from './cli-process';

/**
 * The service issued a secret but the vault cannot take it (another process holds the write lock past the busy
 * timeout): the command fails, and still prints the secret where an issued secret goes, so it is never lost.
 */
const gl = createGitlabServer();
let dir = '';
let env: Record<string, string> = {};

/** Holds the vault's write lock from the moment the create reaches the service until the CLI has given up. */
function lockVaultOnCreate(): () => void {
  let blocker: Database.Database | undefined;
  gl.server.onRequest = (method, path) => {
    if (method !== 'POST' || !path.endsWith('/personal_access_tokens') || blocker) return;
    blocker = new Database(join(dir, 'vault.db'));
    blocker.exec('BEGIN EXCLUSIVE');
  };
  return () => {
    gl.server.onRequest = null;
    blocker?.exec('ROLLBACK');
    blocker?.close();
  };
}

beforeAll(async () => {
  ensureCliBuilt();
  await gl.server.start();
  dir = mkdtempSync(join(tmpdir(), 'tv-cli-unsaved-'));
  (await Vault.create(join(dir, 'vault.db'), { password: 'cli test password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  env = { TOKEN_VAULT_PATH: join(dir, 'vault.db'), TOKEN_VAULT_PASSWORD: 'cli test password' };
  const add = await runCli(['workspace', 'add', '--provider', 'gitlab', '--name', 'gl', '--url', gl.server.url], { ...env, TOKEN_VAULT_ADMIN_SECRET: gl.adminToken });
  expect(add.code, add.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await gl.server.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('an issued secret the vault could not store', () => {
  it('--json: one error object whose `secret` field holds the issued secret; exit 1', async () => {
    const release = lockVaultOnCreate();
    let res;
    try {
      res = await runCli(['token', 'create', 'gl', '--name', 'locked-out', '--expires', '30d', '--scopes', 'api', '--json'], env);
    } finally {
      release();
    }
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout) as { error: { code: string; message: string }; secret: string };
    expect(out.error.code).toBe('secret-not-stored');
    expect(out.secret).toMatch(/^glpat-/);
    expect(gl.tokens.some((t) => t.name === 'locked-out' && !t.revoked)).toBe(true);
    // The message says what happened and what to do, without the secret in it.
    expect(res.stderr).not.toContain(out.secret);
    expect(res.stderr).toMatch(/token-vault token create: /);
  }, 40_000);

  it('plain output: the secret alone on stdout, the error on stderr', async () => {
    const release = lockVaultOnCreate();
    let res;
    try {
      res = await runCli(['token', 'create', 'gl', '--name', 'locked-out-2', '--expires', '30d', '--scopes', 'api'], env);
    } finally {
      release();
    }
    expect(res.code).toBe(1);
    expect(res.stdout.trim()).toMatch(/^glpat-\S+$/);
    expect(res.stderr).not.toContain(res.stdout.trim());
  }, 40_000);
});
