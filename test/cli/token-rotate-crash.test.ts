import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { reportJson } from '../../src/cli/cli-words';

/** What `token resume --json` prints per rotation. */
type RotationReport = ReturnType<typeof reportJson>;
import type { Vault } from '../../src/main/vault/vault';
import type { Workspace } from '../../src/main/vault/db/vault-types';
import { createCloudflareServer } from '../servers/contract/cloudflare-server';
import { createGiteaServer } from '../servers/contract/gitea-server';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { addWorkspace, issueToken, PASSWORD, reopen, tempVault } from '../main/use-cases/rotation/rotation-fixture';
import { ensureCliBuilt, runCli } from './cli-process';

/**
 * kill -9 at every step of a rotation, then `token resume` in a fresh process: no secret lost, the state explained.
 * The child SIGKILLs itself at TOKEN_VAULT_TEST_CRASH_AT: right after a journal step is durably written
 * (`journal:*`), right after a remote call returned (`remote:*`), or right after the token record changed (`store:*`).
 */
const gitea = createGiteaServer();
const gitlab = createGitlabServer();
const cf = createCloudflareServer();
let path = '';
let cleanup = () => {};
const ws: Record<string, Workspace> = {};
let env: Record<string, string> = {};

beforeAll(async () => {
  ensureCliBuilt();
  const [giteaUrl, gitlabUrl, cfUrl] = await Promise.all([gitea.server.start(), gitlab.server.start(), cf.server.start()]);
  const t = await tempVault();
  path = t.path;
  cleanup = t.cleanup;
  ws['gitea'] = addWorkspace(t.vault, { kind: 'gitea', name: 'gitea', baseUrl: giteaUrl, username: gitea.user, adminCredential: gitea.password });
  ws['gitlab'] = addWorkspace(t.vault, { kind: 'gitlab', name: 'gitlab', baseUrl: gitlabUrl, adminCredential: gitlab.adminToken });
  ws['cf'] = addWorkspace(t.vault, { kind: 'cloudflare', name: 'cf', baseUrl: cfUrl, adminCredential: cf.adminToken });
  t.vault.close();
  env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PASSWORD, TOKEN_VAULT_TEST_CRASH_AT: '' };
});
afterAll(async () => {
  await Promise.all([gitea.server.stop(), gitlab.server.stop(), cf.server.stop()]);
  cleanup();
});

async function withVault<T>(fn: (vault: Vault) => Promise<T> | T): Promise<T> {
  const vault = await reopen(path);
  try {
    return await fn(vault);
  } finally {
    vault.close();
  }
}

async function crashAt(point: string, args: string[]) {
  const run = await runCli(args, { ...env, TOKEN_VAULT_TEST_CRASH_AT: point });
  // The point was reached: the process died by SIGKILL, not by an error.
  expect({ signal: run.signal, stderr: run.stderr }).toEqual({ signal: 'SIGKILL', stderr: expect.any(String) });
  return run;
}

async function resume(): Promise<RotationReport[]> {
  const run = await runCli(['token', 'resume', '--json'], env);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as RotationReport[];
}

describe('create new -> confirm -> revoke old (Gitea), killed at every step', () => {
  const points = ['journal:create-requested', 'remote:create', 'journal:created', 'store:new-token', 'journal:awaiting-confirmation'];
  for (const point of points) {
    it(`rotate killed at ${point}: resume keeps or re-issues the new secret; confirm revokes the old`, async () => {
      const name = `gt-${point.replace(/[^a-z]/g, '')}`;
      const old = await withVault((v) => issueToken(v, ws['gitea']!, { name, scopes: ['all'] }));
      await crashAt(point, ['token', 'rotate', `gitea/${name}`]);
      const reports = await resume();
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ tokenId: old.id, state: 'awaiting-confirmation' });
      expect(reports[0]?.message).not.toMatch(/[0-9a-f]{40}/); // never a secret in the explanation

      await withVault((v) => {
        const fresh = v.tokens.findByName(ws['gitea']!.id, name);
        expect(fresh).toHaveLength(1);
        const secret = v.tokens.readSecret(fresh[0]!.id);
        // The vault's new secret is the one the service holds for that token, and the old one still works.
        expect(gitea.tokens.find((t) => String(t.id) === fresh[0]!.remoteId)?.sha1).toBe(secret);
        expect(gitea.tokens.find((t) => String(t.id) === old.remoteId)?.sha1).toBe(v.tokens.readSecret(old.id));
        // No token at the service that nobody holds: the vault knows every rotated one.
        const known = new Set(v.tokens.list({ workspaceId: ws['gitea']!.id }).map((t) => t.remoteId));
        expect(gitea.tokens.filter((t) => t.name.startsWith(`${name} (rotated`) && !known.has(String(t.id)))).toEqual([]);
        expect(v.tokens.get(old.id).replacedById).toBe(fresh[0]!.id);
      });
      // The secret printed by `resume` (when it re-created) or the stored one: `get` returns it.
      const confirm = await runCli(['token', 'rotate', `gitea/${name}`, '--confirm'], env);
      expect(confirm.code).toBe(0);
      expect(gitea.tokens.some((t) => String(t.id) === old.remoteId)).toBe(false);
      await withVault((v) => {
        expect(v.tokens.get(old.id).status).toBe('revoked');
        expect(v.journal.list()).toEqual([]);
      });
    });
  }

  for (const point of ['journal:revoke-requested', 'remote:revoke']) {
    it(`confirm killed at ${point}: resume revokes the old token`, async () => {
      const name = `gc-${point.replace(/[^a-z]/g, '')}`;
      const old = await withVault((v) => issueToken(v, ws['gitea']!, { name, scopes: ['all'] }));
      const rotated = await runCli(['token', 'rotate', `gitea/${name}`, '--json'], env);
      expect(rotated.code).toBe(0);
      const secret = (JSON.parse(rotated.stdout) as { secret: string }).secret;
      await crashAt(point, ['token', 'rotate', `gitea/${name}`, '--confirm']);
      expect(await resume()).toMatchObject([{ tokenId: old.id, state: 'completed' }]);
      expect(gitea.tokens.some((t) => String(t.id) === old.remoteId)).toBe(false);
      expect(gitea.tokens.some((t) => t.sha1 === secret)).toBe(true);
      const got = await runCli(['get', `gitea/${name}`], env);
      expect(got.stdout.trim()).toBe(secret);
      expect(await resume()).toEqual([]);
    });
  }
});

describe('the service renews in place, killed at every step', () => {
  const points = ['journal:renew-requested', 'remote:renew', 'journal:renew-issued', 'store:secret', 'journal:done'];

  for (const point of points) {
    it(`Cloudflare roll killed at ${point}: the vault ends with the service's current secret`, async () => {
      const name = `cf-${point.replace(/[^a-z]/g, '')}`;
      const old = await withVault((v) => issueToken(v, ws['cf']!, { name, scopes: ['pg1'] }));
      await crashAt(point, ['token', 'rotate', `cf/${name}`]);
      const reports = await resume();
      if (point === 'journal:done') expect(reports).toEqual([]);
      else expect(reports).toMatchObject([{ tokenId: old.id, state: 'completed' }]);
      await withVault((v) => {
        const row = cf.tokens.find((t) => t.id === old.remoteId);
        expect(v.tokens.readSecret(old.id)).toBe(row?.value);
        expect(v.journal.list()).toEqual([]);
      });
    });

    it(`GitLab rotate killed at ${point}: one active token, held by the vault, no family revocation`, async () => {
      const name = `gl-${point.replace(/[^a-z]/g, '')}`;
      const old = await withVault((v) => issueToken(v, ws['gitlab']!, { name, scopes: ['api'], expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() }));
      await crashAt(point, ['token', 'rotate', `gitlab/${name}`]);
      const reports = await resume();
      if (point === 'journal:done') expect(reports).toEqual([]);
      else expect(reports).toMatchObject([{ tokenId: old.id, state: 'completed' }]);
      await withVault((v) => {
        const t = v.tokens.get(old.id);
        const active = gitlab.tokens.filter((r) => r.name === name && !r.revoked);
        expect(active).toHaveLength(1);
        expect(t.remoteId).toBe(`pat:${active[0]!.id}`);
        expect(v.tokens.readSecret(old.id)).toMatch(/^glpat-/);
        expect(v.journal.list()).toEqual([]);
      });
    });
  }
});
