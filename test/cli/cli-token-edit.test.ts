import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { createCloudflareServer } from '../servers/contract/cloudflare-server';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { ensureCliBuilt, runCli } from './cli-process';

/**
 * `token edit W/N [--name] [--description] [--expires] [--rotate-every]`: names and policies in the vault; a new expiry
 * in the vault for manual tokens, at Cloudflare first (PUT expires_on), refused where the service cannot change one.
 */
const cf = createCloudflareServer();
const gl = createGitlabServer();
let dir = '';
let env: Record<string, string> = {};
type Json = { name: string; description: string | null; expiresAt: string | null; rotationPolicy: { rotateEveryDays: number } | null; status: string };
const json = async (ref: string) => JSON.parse((await runCli(['list', '--json'], env)).stdout).find((t: Json & { workspace: string }) => `${t.workspace}/${t.name}` === ref) as Json | undefined;

beforeAll(async () => {
  ensureCliBuilt();
  await cf.server.start();
  await gl.server.start();
  cf.seed(1);
  gl.seed(1);
  dir = mkdtempSync(join(tmpdir(), 'tv-cli-edit-'));
  (await Vault.create(join(dir, 'vault.db'), { password: 'cli edit password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
  env = { TOKEN_VAULT_PATH: join(dir, 'vault.db'), TOKEN_VAULT_PASSWORD: 'cli edit password' };
  for (const [kind, name, url, secret] of [['cloudflare', 'cf', cf.server.url, cf.adminToken], ['gitlab', 'gl', gl.server.url, gl.adminToken]] as const) {
    const add = await runCli(['workspace', 'add', '--provider', kind, '--name', name, '--url', url], { ...env, TOKEN_VAULT_ADMIN_SECRET: secret });
    expect(add.code, add.stderr).toBe(0);
    expect((await runCli(['workspace', 'sync', name], env)).code).toBe(0);
  }
  expect((await runCli(['add', '--workspace', 'hand', '--name', 'pasted', '--expires', '2029-01-01'], env, 'hand-made-secret')).code).toBe(0);
  expect((await runCli(['add', '--workspace', 'hand', '--name', 'taken'], env, 'another-secret')).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await cf.server.stop();
  await gl.server.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('token edit', () => {
  it('renames, describes, sets expiry and policy of a manual token; clears them again', async () => {
    const r = await runCli(['token', 'edit', 'hand/pasted', '--name', 'renamed', '--description', 'for CI', '--expires', '2030-06-30', '--rotate-every', '60'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Changed hand/renamed.\n');
    expect(await json('hand/renamed')).toMatchObject({ description: 'for CI', expiresAt: '2030-06-30T23:59:59.999Z', rotationPolicy: { rotateEveryDays: 60 } });
    const clear = await runCli(['token', 'edit', 'hand/renamed', '--description', '', '--expires', 'never', '--rotate-every', 'never'], env);
    expect(clear.code, clear.stderr).toBe(0);
    expect(await json('hand/renamed')).toMatchObject({ description: null, expiresAt: null, rotationPolicy: null });
    expect((await runCli(['get', 'hand/renamed'], env)).stdout).toBe('hand-made-secret');
  });

  it('refuses a name another token of the workspace has, and an edit that changes nothing', async () => {
    const dup = await runCli(['token', 'edit', 'hand/renamed', '--name', 'taken'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^token-vault token edit: hand already has a token named "taken"/);
    const nothing = await runCli(['token', 'edit', 'hand/renamed'], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/Say what to change/);
  });

  it('Cloudflare: the new expiry is set at the service first (PUT expires_on), then in the vault', async () => {
    const r = await runCli(['token', 'edit', 'cf/seed-0', '--expires', '2031-01-15', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(cf.tokens[0]?.expires_on).toBe('2031-01-15T23:59:59Z');
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'seed-0', expiresAt: '2031-01-15T23:59:59Z', status: 'active' });
    const past = await runCli(['token', 'edit', 'cf/seed-0', '--expires', '2001-01-01'], env);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/--expires: The service takes only a future expiry\./);
    expect(cf.tokens[0]?.expires_on).toBe('2031-01-15T23:59:59Z');
  });

  it('GitLab cannot change an issued token\'s expiry: refused before any call, with what to do instead', async () => {
    const before = gl.server.requests.length;
    const r = await runCli(['token', 'edit', 'gl/seed-0', '--expires', '2031-01-15'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--expires: GitLab cannot change the expiry of a token it has issued\. Start a rotation first/);
    expect(gl.server.requests.length).toBe(before);
  });
});
