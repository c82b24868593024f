import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotationReport } from '../../src/shared/ipc/rotation-channels';
import type { Vault } from '../../src/main/vault/vault';
import type { Workspace } from '../../src/main/vault/db/vault-types';
import { addVerdaccioUser, serverInstalled, startStrapi, startVerdaccio, type RealServer, type StrapiServer } from '../servers/real-servers';
import { addWorkspace, issueToken, PASSWORD, reopen, tempVault } from '../main/use-cases/rotation/rotation-fixture';
import { ensureCliBuilt, runCli } from './cli-process';

/** Rotation against a real Strapi 5.54 (native regenerate) and a real Verdaccio 6.8 (create -> confirm -> revoke). */
const strapiInstalled = serverInstalled('strapi');
const verdaccioInstalled = serverInstalled('verdaccio');
if (!strapiInstalled || !verdaccioInstalled)
  process.stdout.write('SKIP part of token-rotate-real: run `node test/servers/install-servers.mjs` first\n');

let path = '';
let cleanup = () => {};
let env: Record<string, string> = {};

async function withVault<T>(fn: (vault: Vault) => Promise<T> | T): Promise<T> {
  const vault = await reopen(path);
  try {
    return await fn(vault);
  } finally {
    vault.close();
  }
}
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
    strapi = await startStrapi();
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
});
