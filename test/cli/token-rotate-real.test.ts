import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Each case starts the CLI several times against servers in child processes: on a loaded machine (two files at
// once, other work on both cores) that exceeds the default 30 s, which is not what these tests measure.
vi.setConfig({ testTimeout: 180_000 });
import type { RotationReport } from '../../src/shared/ipc/rotation-channels';
import type { Vault } from '../../src/main/vault/vault';
import type { Workspace } from '../../src/main/vault/db/vault-types';
import { addVerdaccioUser, serverInstalled, startVerdaccio, type RealServer, type StrapiServer } from '../servers/real-servers';
import { leaseStrapi } from '../servers/strapi-lease';
import { addWorkspace, issueToken, PASSWORD, tempVault, withVaultAt } from '../main/use-cases/rotation/rotation-fixture';
import { ensureCliBuilt, runCli } from './cli-process';

/** Rotation against a real Strapi 5.54 (native regenerate) and a real Verdaccio 6.8 (create -> confirm -> revoke). */
const strapiInstalled = serverInstalled('strapi');
const verdaccioInstalled = serverInstalled('verdaccio');
if (!strapiInstalled || !verdaccioInstalled)
  process.stdout.write('SKIP part of token-rotate-real: run `node test/servers/install-servers.mjs` first\n');

let path = '';
let cleanup = () => {};
let env: Record<string, string> = {};

const withVault = <T>(fn: (vault: Vault) => Promise<T> | T): Promise<T> => withVaultAt(path, fn);
async function resume(): Promise<RotationReport[]> {
  const run = await runCli(['token', 'resume', '--json'], env);
  return JSON.parse(run.stdout) as RotationReport[];
}

beforeAll(async () => {
  ensureCliBuilt();
  const t = await tempVault();
  t.vault.close();
  path = t.path;
  cleanup = t.cleanup;
  env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PASSWORD, TOKEN_VAULT_TEST_CRASH_AT: '' };
});
afterAll(() => cleanup());

describe.skipIf(!strapiInstalled)('Strapi regenerate (real Strapi 5.54)', () => {
  let strapi: StrapiServer;
  let ws: Workspace;
  const works = async (secret: string | null) =>
    (await fetch(`${strapi.url}/api/articles`, { headers: { authorization: `Bearer ${secret}` } })).status;

  beforeAll(async () => {
    strapi = await leaseStrapi();
    ws = await withVault((v) => addWorkspace(v, { kind: 'strapi', name: 'strapi', baseUrl: strapi.url, username: strapi.email, adminCredential: strapi.password }));
  });
  afterAll(() => strapi?.stop());

  it('rotates in place, says the expiry is kept, and the old key stops working', async () => {
    const old = await withVault((v) => issueToken(v, ws, { name: 'site-read', type: 'read-only', expiryPreset: '7d' }));
    const oldSecret = await withVault((v) => v.tokens.readSecret(old.id));
    expect(await works(oldSecret)).toBe(200);
    const run = await runCli(['token', 'rotate', 'strapi/site-read', '--json'], env);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { kind: string; secret: string; keptExpiry: boolean; expiresAt: string; notes: string[] };
    expect(out).toMatchObject({ kind: 'renewed', method: 'regenerate', keptExpiry: true, expiresAt: old.expiresAt });
    expect(out.notes.join(' ')).toMatch(/keeps the old expiry/);
    expect(await works(out.secret)).toBe(200);
    expect(await works(oldSecret)).toBe(401);
    expect(await withVault((v) => v.tokens.readSecret(old.id))).toBe(out.secret);
  });

  for (const point of ['journal:renew-requested', 'remote:renew', 'journal:renew-issued', 'store:secret']) {
    it(`killed at ${point}: resume leaves the vault with a key Strapi accepts`, async () => {
      const name = `kill-${point.replace(/[^a-z]/g, '')}`;
      const old = await withVault((v) => issueToken(v, ws, { name, type: 'read-only', expiryPreset: '7d' }));
      const run = await runCli(['token', 'rotate', `strapi/${name}`], { ...env, TOKEN_VAULT_TEST_CRASH_AT: point });
      expect(run.signal).toBe('SIGKILL');
      expect(await resume()).toMatchObject([{ tokenId: old.id, state: 'completed' }]);
      const secret = await withVault((v) => v.tokens.readSecret(old.id));
      expect(await works(secret)).toBe(200);
      expect(await resume()).toEqual([]);
    });
  }
});

/**
 * The npm command line as a user runs it: Debian's npm (the project's Node carries none) started by the project's Node,
 * reading the .npmrc Token Vault rewrote. npm's own settings from the test runner (npm_config_*) are left out, so the
 * file under test is the only place the token can come from.
 */
function npmWhoami(registry: string, home: string, userconfig?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  // Run from an empty folder below HOME: npm reads a project .npmrc from its working folder before the user's.
  const cwd = join(home, 'work');
  mkdirSync(cwd, { recursive: true });
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['/usr/lib/node_modules/npm/bin/npm-cli.js', 'whoami', '--registry', `${registry}/`, ...(userconfig ? ['--userconfig', userconfig] : []), '--no-update-notifier', '--fetch-retries=0'],
      { cwd, env: { ...env, HOME: home, npm_config_cache: join(home, '.npm-cache') } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
const npmInstalled = (() => {
  try {
    return statSync('/usr/lib/node_modules/npm/bin/npm-cli.js').isFile();
  } catch {
    return false;
  }
})();

describe.skipIf(!verdaccioInstalled)('npm tokens: create -> confirm -> revoke (real Verdaccio 6.8)', () => {
  let verdaccio: RealServer;
  let ws: Workspace;
  const works = async (secret: string | null) =>
    (await fetch(`${verdaccio.url}/-/npm/v1/tokens`, { headers: { authorization: `Bearer ${secret}` } })).status === 200;

  beforeAll(async () => {
    verdaccio = await startVerdaccio();
    await addVerdaccioUser(verdaccio.url, 'alice', 'alice-pass-1');
    ws = await withVault((v) => addWorkspace(v, { kind: 'npm', name: 'npm', baseUrl: verdaccio.url, username: 'alice', adminCredential: 'alice-pass-1' }));
  });
  afterAll(() => verdaccio?.stop());

  for (const point of ['', 'remote:create', 'journal:created', 'journal:revoke-requested']) {
    it(`rotation ${point ? `killed at ${point}` : 'uninterrupted'}: both keys work until confirmed, then only the new one`, async () => {
      const name = `publish-${point.replace(/[^a-z]/g, '') || 'plain'}`;
      const old = await withVault((v) => issueToken(v, ws, { name }));
      const oldSecret = await withVault((v) => v.tokens.readSecret(old.id));
      const rotateCrash = point && !point.includes('revoke') ? point : '';
      const run = await runCli(['token', 'rotate', `npm/${name}`], { ...env, TOKEN_VAULT_TEST_CRASH_AT: rotateCrash });
      if (rotateCrash) {
        expect(run.signal).toBe('SIGKILL');
        expect(await resume()).toMatchObject([{ tokenId: old.id, state: 'awaiting-confirmation' }]);
      } else expect(run.code).toBe(0);
      const fresh = await withVault((v) => v.tokens.findByName(ws.id, name)[0]!);
      const newSecret = await withVault((v) => v.tokens.readSecret(fresh.id));
      expect(fresh.replacesId).toBe(old.id);
      expect(await works(newSecret)).toBe(true);
      expect(await works(oldSecret)).toBe(true);

      const confirmCrash = point.includes('revoke') ? point : '';
      const confirm = await runCli(['token', 'rotate', `npm/${name}`, '--confirm'], { ...env, TOKEN_VAULT_TEST_CRASH_AT: confirmCrash });
      if (confirmCrash) {
        expect(confirm.signal).toBe('SIGKILL');
        expect(await resume()).toMatchObject([{ tokenId: old.id, state: 'completed' }]);
      } else expect(confirm.code).toBe(0);
      expect(await works(oldSecret)).toBe(false);
      expect(await works(newSecret)).toBe(true);
      // Exactly the vault's tokens exist at the registry: nothing orphaned by the crash.
      const listed = (await (await fetch(`${verdaccio.url}/-/npm/v1/tokens`, { headers: { authorization: `Bearer ${newSecret}` } })).json()) as { objects: { key: string }[] };
      const active = await withVault((v) => v.tokens.list({ workspaceId: ws.id, status: 'active' }).map((t) => t.remoteId));
      expect(listed.objects.map((o) => o.key).sort()).toEqual(active.sort());
    });
  }

  it.skipIf(!npmInstalled)('a token deployed to an .npmrc: rotate with no --confirm rewrites the file, npm whoami works through it, the old token is refused', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tv-npmrc-'));
    try {
      const old = await withVault((v) => issueToken(v, ws, { name: 'ci-publish' }));
      const oldSecret = (await withVault((v) => v.tokens.readSecret(old.id))) as string;
      const host = new URL(verdaccio.url).host;
      const npmrc = join(home, '.npmrc');
      // ~/.npmrc, where npm looks by default. The lines a developer's file holds besides the token, CRLF endings on one, and a private mode: all kept.
      const text = (secret: string) => `# work registry\r\nregistry=${verdaccio.url}/\n//${host}/:_authToken=${secret}\nfund=false\n; the end\n`;
      writeFileSync(npmrc, text(oldSecret));
      chmodSync(npmrc, 0o604);
      expect(await npmWhoami(verdaccio.url, home)).toMatchObject({ code: 0, stdout: 'alice\n' });

      const add = await runCli(['use', 'add', 'npm/ci-publish', '--file', npmrc, '--key', verdaccio.url], env);
      expect(add.code, add.stderr).toBe(0);
      const run = await runCli(['token', 'rotate', 'npm/ci-publish', '--json'], env);
      expect(run.code, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as { kind: string; secret: string; newTokenId: string; revoke: { state: string } };
      expect(out).toMatchObject({ kind: 'replaced', oldTokenId: old.id, revoke: { state: 'revoked' } });
      expect(out.secret).not.toBe(oldSecret);

      expect(readFileSync(npmrc, 'utf8')).toBe(text(out.secret));
      expect(statSync(npmrc).mode & 0o777).toBe(0o604);
      expect(await npmWhoami(verdaccio.url, home)).toMatchObject({ code: 0, stdout: 'alice\n' });
      expect(await works(oldSecret)).toBe(false);
      // The old token's file, as it was, is refused by npm too: the registry no longer knows the token.
      const stale = join(home, 'stale-npmrc');
      writeFileSync(stale, text(oldSecret));
      const refused = await npmWhoami(verdaccio.url, home, stale);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(/^npm error code E40[13]$/m);

      await withVault((v) => {
        expect(v.tokens.get(old.id).status).toBe('revoked');
        expect(v.tokens.get(out.newTokenId).replacesId).toBe(old.id);
        // The target followed the token to its replacement, with this push's results.
        expect(v.targets.list(out.newTokenId)).toMatchObject([{ spec: { kind: 'npmrc', path: npmrc }, lastPush: { status: 'written' }, lastVerify: { status: 'verified' } }]);
        expect(v.journal.list()).toEqual([]);
      });
      expect(run.stderr + add.stdout + add.stderr).not.toContain(oldSecret);
      expect(run.stderr).not.toContain(out.secret);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
