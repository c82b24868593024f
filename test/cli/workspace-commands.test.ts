import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { addVerdaccioUser, countingProxy, serverInstalled, startVerdaccio, type RealServer, type StrapiServer } from '../servers/real-servers';
import { leaseStrapi } from '../servers/strapi-lease';
import { ensureCliBuilt, runCli } from './cli-process';

/** `workspace ...` and `token create/regenerate/revoke` as real processes, against real Strapi and Verdaccio. */
const installed = serverInstalled('strapi') && serverInstalled('verdaccio');
if (!installed) process.stdout.write('SKIP workspace-commands: run `node test/servers/install-servers.mjs` first\n');

describe.skipIf(!installed)('workspace and token commands (real Strapi + Verdaccio, separate processes)', () => {
  let strapi: StrapiServer;
  let verdaccio: RealServer;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let dir = '';
  let env: Record<string, string> = {};
  const logins = () => proxy.paths.filter((p) => p === 'POST /admin/login').length;

  beforeAll(async () => {
    ensureCliBuilt();
    [strapi, verdaccio] = await Promise.all([leaseStrapi(), startVerdaccio()]);
    proxy = await countingProxy(strapi.url);
    await addVerdaccioUser(verdaccio.url, 'bob', 'bob-pass-123');
    dir = mkdtempSync(join(tmpdir(), 'tv-cli-ws-'));
    const vault = await Vault.create(join(dir, 'vault.db'), { password: 'cli test password', useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
    vault.close();
    env = { TOKEN_VAULT_PATH: join(dir, 'vault.db'), TOKEN_VAULT_PASSWORD: 'cli test password' };
  });
  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([strapi?.stop(), verdaccio?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a Strapi workspace (secret from TOKEN_VAULT_ADMIN_SECRET) and lists it', async () => {
    const add = await runCli(['workspace', 'add', '--provider', 'strapi', '--name', 'cms', '--url', proxy.url, '--user', strapi.email], { ...env, TOKEN_VAULT_ADMIN_SECRET: strapi.password });
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const list = await runCli(['workspace', 'list', '--json'], env);
    const rows = JSON.parse(list.stdout) as { name: string; kind: string; hasAdminCredential: boolean }[];
    expect(rows).toEqual([expect.objectContaining({ name: 'cms', kind: 'strapi', hasAdminCredential: true })]);
    expect(list.stdout).not.toContain(strapi.password);
  });

  it('refuses plain http to a non-loopback host', async () => {
    const add = await runCli(['workspace', 'add', '--provider', 'gitlab', '--name', 'gl', '--url', 'http://gitlab.example.com'], { ...env, TOKEN_VAULT_ADMIN_SECRET: 'x' });
    expect(add.code).toBe(1);
    expect(add.stderr).toMatch(/http/);
  });

  let secret = '';
  it('token create prints the secret once (--json: `secret`), reusing the stored session: no second login', async () => {
    const before = logins();
    const run = await runCli(['token', 'create', 'cms', '--name', 'site-reader', '--expires', '30d', '--type', 'read-only', '--json'], env);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { secret: string; name: string };
    secret = out.secret;
    expect(secret).toMatch(/^[0-9a-f]{256}$/);
    expect(logins()).toBe(before);
    expect((await fetch(`${strapi.url}/api/articles`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
  });

  it('workspace sync imports the built-in tokens; token regenerate says the expiry was kept', async () => {
    const sync = await runCli(['workspace', 'sync', 'cms', '--json'], env);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toEqual([expect.objectContaining({ ok: true, total: 3, added: 2 })]);
    const regen = await runCli(['token', 'regenerate', 'cms/site-reader'], env);
    expect(regen.code).toBe(0);
    const fresh = regen.stdout.trim();
    expect(fresh).toMatch(/^[0-9a-f]{256}$/);
    expect(fresh).not.toBe(secret);
    expect(regen.stderr).toMatch(/kept the old expiry/);
    expect(logins()).toBe(1);
  });

  it('token revoke, and activate says what the service cannot do', async () => {
    const act = await runCli(['token', 'activate', 'cms/site-reader'], env);
    expect(act.code).toBe(1);
    expect(act.stderr).toMatch(/cannot be activated/);
    const revoke = await runCli(['token', 'revoke', 'cms/site-reader', '--json', '--yes'], env);
    expect(revoke.code).toBe(0);
    expect(JSON.parse(revoke.stdout)).toMatchObject({ status: 'revoked' });
  });

  it('npm (Verdaccio): add, create, sync, revoke', async () => {
    const add = await runCli(['workspace', 'add', '--provider', 'npm', '--name', 'registry', '--url', verdaccio.url, '--user', 'bob'], { ...env, TOKEN_VAULT_ADMIN_SECRET: 'bob-pass-123' });
    expect(add.code).toBe(0);
    const create = await runCli(['token', 'create', 'registry', '--name', 'publish-ci', '--json'], env);
    expect(create.code).toBe(0);
    const npmSecret = (JSON.parse(create.stdout) as { secret: string }).secret;
    expect((await (await fetch(`${verdaccio.url}/-/whoami`, { headers: { authorization: `Bearer ${npmSecret}` } })).json())).toEqual({ username: 'bob' });
    const sync = await runCli(['workspace', 'sync', '--all', '--json'], env);
    expect(JSON.parse(sync.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ workspaceName: 'registry', ok: true, total: 1, added: 0 })]));
    const revoke = await runCli(['token', 'revoke', 'registry/publish-ci', '--yes'], env);
    expect(revoke.code).toBe(0);
    const remove = await runCli(['workspace', 'remove', 'registry', '--with-tokens', '--yes'], env);
    expect(remove.code).toBe(0);
  });
});
