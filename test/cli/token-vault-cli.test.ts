import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { cli, cliAsync, ensureBuilt } from './cli-support';

const root = mkdtempSync(join(tmpdir(), 'tv-cli-'));
const PW = 'cli-test-password';
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('token-vault command line', () => {
  const xdg = join(root, 'config');
  const env = { XDG_CONFIG_HOME: xdg, TOKEN_VAULT_PASSWORD: PW };
  const userData = join(xdg, 'Token Vault');

  it('init creates the app\'s own vault under XDG_CONFIG_HOME; a second init refuses', () => {
    const r = cli(['init', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: join(userData, 'vault.db'), passwordUnlock: true, keychainUnlock: false });
    expect(existsSync(join(userData, 'vault.db'))).toBe(true);
    const again = cli(['init'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('add (secret on stdin) -> list / search --json -> get prints the secret alone, audited -> remove', () => {
    const add = cli(['add', '--workspace', 'acme', '--name', 'deploy-bot', '--expires', '2031-02-03', '--rotate-every', '90d', '--description', 'CI deploys', '--json'], { env, input: 'npm_SecretCliValue42\n' });
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added).toMatchObject({ name: 'deploy-bot', workspace: 'acme', expiresAt: '2031-02-03T23:59:59.999Z', rotationPolicy: { rotateEveryDays: 90 }, description: 'CI deploys', status: 'active', hasSecret: true });
    expect(add.stdout).not.toContain('SecretCliValue');

    cli(['add', '--workspace', 'acme', '--name', 'short', '--expires', '7d'], { env, input: 'other-secret' });
    const list = cli(['list', '--json', '--workspace', 'acme', '--expiring', '30d'], { env });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((t: { name: string }) => t.name)).toEqual(['short']);

    const table = cli(['list', '--long'], { env });
    expect(table.stdout).toMatch(/acme\/deploy-bot\s+active\s+2031-02-03/);
    const search = cli(['search', 'DEPLOY', '--json'], { env });
    expect(JSON.parse(search.stdout).map((t: { id: string }) => t.id)).toEqual([added.id]);

    const get = cli(['get', 'acme/deploy-bot'], { env });
    expect(get.code).toBe(0);
    expect(get.stdout).toBe('npm_SecretCliValue42');
    expect(cli(['get', added.id, '--json'], { env }).stdout).toContain('"secret": "npm_SecretCliValue42"');

    const audit = cli(['audit', 'acme/deploy-bot', '--json'], { env });
    expect(JSON.parse(audit.stdout).map((a: { action: string }) => a.action)).toEqual(['revealed', 'revealed', 'created']);

    const rm = cli(['remove', 'acme/short', '--yes'], { env });
    expect(rm.code).toBe(0);
    expect(cli(['get', 'acme/short'], { env })).toMatchObject({ code: 1, stderr: expect.stringMatching(/No token "short"/) });
  });

  it('exit 2 for usage errors, 1 for failures with the message on stderr', () => {
    expect(cli(['frobnicate'], { env }).code).toBe(2);
    expect(cli(['get'], { env }).code).toBe(2);
    expect(cli(['list', '--bogus'], { env }).code).toBe(2);
    expect(cli(['add', '--workspace', 'a', '--name', 'b', '--expires', 'soon'], { env, input: 'x' }).code).toBe(2);
    expect(cli(['add', '--workspace', 'a', '--name', 'b'], { env, input: '' }).code).toBe(2);
    expect(cli(['import', 'x.jsonl'], { env }).code).toBe(2);
    expect(cli(['--help']).code).toBe(0);
    const wrong = cli(['list'], { env: { ...env, TOKEN_VAULT_PASSWORD: 'not the password' } });
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringMatching(/Wrong master password/) });
    const missing = cli(['list', '--json', '--vault', join(root, 'nope.db')], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No vault at/);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'vault-missing' } });
  });

  it('passwd changes the master password', () => {
    const r = cli(['passwd'], { env: { ...env, TOKEN_VAULT_NEW_PASSWORD: 'brand-new-password' } });
    expect(r.code, r.stderr).toBe(0);
    expect(cli(['list'], { env }).code).toBe(1);
    expect(cli(['list'], { env: { ...env, TOKEN_VAULT_PASSWORD: 'brand-new-password' } }).code).toBe(0);
    expect(cli(['passwd'], { env: { ...env, TOKEN_VAULT_PASSWORD: 'brand-new-password', TOKEN_VAULT_NEW_PASSWORD: PW } }).code).toBe(0);
  });

  it('leaves no secret, token name or workspace name in plain text anywhere in the user-data folder', () => {
    for (const f of readdirSync(userData, { recursive: true, encoding: 'utf8' })) {
      const p = join(userData, f);
      if (!statSync(p).isFile()) continue;
      const bytes = readFileSync(p);
      for (const s of ['npm_SecretCliValue42', 'other-secret', 'deploy-bot', 'CI deploys', 'acme'])
        expect(bytes.includes(Buffer.from(s)), `${s} in ${f}`).toBe(false);
    }
  });

  it('imports the benchmark dataset in one go and finds what keepassxc would', async () => {
    const data = join(root, 'data');
    const shared = existsSync('../shared/bench/gen-dataset.mjs') ? '../shared' : '/work/shared';
    execFileSync(process.execPath, [join(shared, 'bench/gen-dataset.mjs'), '--n', '1000', '--out', data]);
    const meta = JSON.parse(readFileSync(join(data, 'tokens-1000.meta.json'), 'utf8'));
    const path = join(root, 'import.db');
    (await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT })).close();
    const vaultEnv = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };
    const imp = cli(['import', '--format', 'jsonl', join(data, 'tokens-1000.jsonl'), '--json'], { env: vaultEnv });
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout)).toEqual({ inserted: 1000, skipped: 0, workspacesCreated: meta.workspaces });
    const hits = JSON.parse(cli(['search', meta.search.term, '--json'], { env: vaultEnv }).stdout);
    expect(hits).toHaveLength(meta.search.expectedHits);
    expect(cli(['get', meta.show.id], { env: vaultEnv }).stdout).toBe(meta.show.expectedSecret);
    expect(JSON.parse(cli(['import', '--format', 'jsonl', join(data, 'tokens-1000.jsonl'), '--json'], { env: vaultEnv }).stdout)).toMatchObject({ inserted: 0, skipped: 1000 });
  });

  it('CLI processes and an in-process writer add to one vault at the same time without losing a write', async () => {
    const path = join(root, 'shared.db');
    const vault = await Vault.create(path, { password: PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
    const ws = vault.workspaces.create({ kind: 'manual', name: 'team' });
    const vaultEnv = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PW };
    const runs = Array.from({ length: 6 }, (_, i) => cliAsync(['add', '--workspace', 'team', '--name', `cli-${i}`], { env: vaultEnv, input: `cli-secret-${i}` }));
    for (let i = 0; i < 80; i++) {
      vault.tokens.insert({ workspaceId: ws.id, name: `app-${i}`, secret: `app-secret-${i}` });
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    for (const r of await Promise.all(runs)) expect(r.code, r.stderr).toBe(0);
    expect(vault.tokens.list()).toHaveLength(86);
    const cliToken = vault.tokens.findByName(ws.id, 'cli-3')[0];
    expect(cliToken && vault.tokens.readSecret(cliToken.id)).toBe('cli-secret-3');
    vault.close();
  });
});
