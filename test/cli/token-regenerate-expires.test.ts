import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { ensureCliBuilt, runCli } from './cli-process';

/** `token regenerate W/N [--expires ...]` as a real process against the GitLab contract server (rotate takes expires_at). */
const gl = createGitlabServer();
let dir = '';
let env: Record<string, string> = {};
const rotations = () => gl.server.count('POST', /\/rotate$/);
const current = (name: string) => gl.tokens.filter((t) => t.owner === 'pat' && t.name === name && !t.revoked);

beforeAll(async () => {
  ensureCliBuilt();
  await gl.server.start();
  gl.seed(2);
  dir = mkdtempSync(join(tmpdir(), 'tv-cli-regen-'));
  (await Vault.create(join(dir, 'vault.db'), { password: 'cli test password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  env = { TOKEN_VAULT_PATH: join(dir, 'vault.db'), TOKEN_VAULT_PASSWORD: 'cli test password' };
  const add = await runCli(['workspace', 'add', '--provider', 'gitlab', '--name', 'gl', '--url', gl.server.url], { ...env, TOKEN_VAULT_ADMIN_SECRET: gl.adminToken });
  expect(add.code, add.stderr).toBe(0);
  const sync = await runCli(['workspace', 'sync', 'gl'], env);
  expect(sync.code, sync.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await gl.server.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('token regenerate --expires (GitLab rotate)', () => {
  it('passes a date to the rotate call: the new token carries it, the secret is printed once and stored', async () => {
    const res = await runCli(['token', 'regenerate', 'gl/seed-0', '--expires', '2031-03-04', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { name: string; expiresAt: string; secret: string };
    expect(out.name).toBe('seed-0');
    expect(out.secret).toMatch(/^glpat-/);
    expect(out.expiresAt.slice(0, 10)).toBe('2031-03-04');
    expect(current('seed-0').map((t) => t.expires_at)).toEqual(['2031-03-04']);
    const get = await runCli(['get', 'gl/seed-0'], env);
    expect(get.stdout.trim()).toBe(out.secret);
    expect(res.stderr).not.toContain(out.secret);
  });

  it('takes a duration, and without --expires leaves the service its default', async () => {
    const inNinety = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const res = await runCli(['token', 'regenerate', 'gl/seed-1', '--expires', '90d'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toMatch(/^glpat-/);
    expect(current('seed-1').map((t) => t.expires_at)).toEqual([inNinety]);
    const plain = await runCli(['token', 'regenerate', 'gl/seed-1'], env);
    expect(plain.code, plain.stderr).toBe(0);
    const week = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(current('seed-1').map((t) => t.expires_at)).toEqual([week]);
  });

  it('refuses "never", a past date and nonsense before calling the service (exit 2)', async () => {
    const before = rotations();
    for (const bad of ['never', '2020-01-01', 'someday']) {
      const res = await runCli(['token', 'regenerate', 'gl/seed-0', '--expires', bad], env);
      expect(res.code, bad).toBe(2);
      expect(res.stderr).toMatch(/--expires/);
    }
    expect(rotations()).toBe(before);
  });

  it('refuses --expires on a workspace that cannot renew, with its own advice (exit 1)', async () => {
    const add = await runCli(['add', '--workspace', 'by-hand', '--name', 'k'], env, 'manual-secret-value-123');
    expect(add.code, add.stderr).toBe(0);
    const res = await runCli(['token', 'regenerate', 'by-hand/k', '--expires', '30d', '--json'], env);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({ error: { code: 'unsupported' } });
    expect(res.stdout + res.stderr).not.toContain('manual-secret-value-123');
  });
});
