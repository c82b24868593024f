import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { createDockerhubServer } from '../servers/contract/dockerhub-server';
import { ensureCliBuilt, runCli } from './cli-process';

/** The new kinds through the real command line: defaults for the URL, an optional credential, a sync. */
describe('workspace add for the new issuers (CLI process, contract server)', () => {
  const hub = createDockerhubServer();
  let dir = '';
  let env: Record<string, string> = {};
  beforeAll(async () => {
    ensureCliBuilt();
    await hub.server.start();
    hub.seed(3);
    dir = mkdtempSync(join(tmpdir(), 'tv-cli-issuers-'));
    const vault = await Vault.create(join(dir, 'vault.db'), { password: 'cli test password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
    vault.close();
    env = { TOKEN_VAULT_PATH: join(dir, 'vault.db'), TOKEN_VAULT_PASSWORD: 'cli test password', TOKEN_VAULT_ADMIN_SECRET: '' };
  });
  afterAll(async () => {
    await hub.server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a GitHub workspace with no URL and no admin token (revoke only)', async () => {
    const add = await runCli(['workspace', 'add', '--provider', 'github', '--name', 'gh'], env);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const rows = JSON.parse((await runCli(['workspace', 'list', '--json'], env)).stdout) as { name: string; kind: string; baseUrl: string; hasAdminCredential: boolean }[];
    expect(rows.find((r) => r.name === 'gh')).toMatchObject({ kind: 'github', baseUrl: 'https://api.github.com', hasAdminCredential: false });
  });

  it('adds a Docker Hub workspace (password from TOKEN_VAULT_ADMIN_SECRET) and syncs its tokens', async () => {
    const add = await runCli(['workspace', 'add', '--provider', 'dockerhub', '--name', 'hub', '--url', hub.server.url, '--user', hub.user], { ...env, TOKEN_VAULT_ADMIN_SECRET: hub.password });
    expect(add.stderr).toBe('');
    expect(add.stdout).toContain(`signed in as ${hub.user}`);
    const sync = await runCli(['workspace', 'sync', 'hub', '--json'], env);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/"total":\s*3/);
    expect(sync.stdout + sync.stderr).not.toContain(hub.password);
  });

  it('a GitLab workspace still needs --url (exit 2)', async () => {
    const add = await runCli(['workspace', 'add', '--provider', 'gitlab', '--name', 'gl'], { ...env, TOKEN_VAULT_ADMIN_SECRET: 'x' });
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/--url/);
  });
});
