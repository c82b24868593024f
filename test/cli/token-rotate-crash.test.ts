import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Each case starts the CLI several times against servers in child processes: on a loaded machine (two files at
// once, other work on both cores) that exceeds the default 30 s, which is not what these tests measure.
vi.setConfig({ testTimeout: 180_000 });
import { TargetService } from '../../src/main/use-cases/targets';
import type { reportJson } from '../../src/cli/cli-words';

/** What `token resume --json` prints per rotation. */
type RotationReport = ReturnType<typeof reportJson>;
import type { Vault } from '../../src/main/vault/vault';
import type { Workspace } from '../../src/main/vault/db/vault-types';
import { createCloudflareServer } from '../servers/contract/cloudflare-server';
import { createGiteaSecretsServer } from '../servers/contract/gitea-secrets-server';
import { createGiteaServer } from '../servers/contract/gitea-server';
import { createGitlabServer } from '../servers/contract/gitlab-server';
import { addWorkspace, issueToken, PASSWORD, tempVault, withVaultAt } from '../main/use-cases/rotation/rotation-fixture';
import { ensureCliBuilt, runCli } from './cli-process';

/**
 * kill -9 at every step of a rotation, then `token resume` in a fresh process: no secret lost, the state explained.
 * The child SIGKILLs itself at TOKEN_VAULT_TEST_CRASH_AT: right after a journal step is durably written
 * (`journal:*`), right after a remote call returned (`remote:*`), or right after the token record changed (`store:*`).
 */
const gitea = createGiteaServer();
const gitlab = createGitlabServer();
const cf = createCloudflareServer();
const giteaSecrets = createGiteaSecretsServer();
const files = mkdtempSync(join(tmpdir(), 'tv-crash-targets-'));
let path = '';
let cleanup = () => {};
const ws: Record<string, Workspace> = {};
let env: Record<string, string> = {};

beforeAll(async () => {
  ensureCliBuilt();
  const [giteaUrl, gitlabUrl, cfUrl, secretsUrl] = await Promise.all([gitea.server.start(), gitlab.server.start(), cf.server.start(), giteaSecrets.server.start()]);
  const t = await tempVault();
  path = t.path;
  cleanup = t.cleanup;
  ws['gitea'] = addWorkspace(t.vault, { kind: 'gitea', name: 'gitea', baseUrl: giteaUrl, username: gitea.user, adminCredential: gitea.password });
  ws['gitlab'] = addWorkspace(t.vault, { kind: 'gitlab', name: 'gitlab', baseUrl: gitlabUrl, adminCredential: gitlab.adminToken });
  ws['cf'] = addWorkspace(t.vault, { kind: 'cloudflare', name: 'cf', baseUrl: cfUrl, adminCredential: cf.adminToken });
  ws['ci'] = addWorkspace(t.vault, { kind: 'gitea', name: 'ci', baseUrl: secretsUrl, username: giteaSecrets.opts.user, adminCredential: giteaSecrets.opts.password });
  t.vault.close();
  env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: PASSWORD, TOKEN_VAULT_TEST_CRASH_AT: '' };
});
afterAll(async () => {
  await Promise.all([gitea.server.stop(), gitlab.server.stop(), cf.server.stop(), giteaSecrets.server.stop()]);
  cleanup();
  rmSync(files, { recursive: true, force: true });
});

const withVault = <T>(fn: (vault: Vault) => Promise<T> | T): Promise<T> => withVaultAt(path, fn);

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

/**
 * The steps after the new secret is stored (issue 13): each target written after its own journal step, the issuer
 * checked, the old token revoked. Killed at each, `token resume` finishes it; a target file is whole at every point
 * (the old secret's version or the new one's, nothing between, no temp file left beside it).
 */
describe('rotation that deploys, killed at every new step', () => {
  const fileText = (secret: string) => `# deploy\nAPP=shop\nDEPLOY_TOKEN=${secret}\n`;

  /** A token with two .env targets and a Gitea Actions secret; returns how to read what each holds. */
  async function deployedToken(name: string, workspace: Workspace, input: Parameters<typeof issueToken>[2]) {
    return withVault(async (v) => {
      const old = await issueToken(v, workspace, input);
      const secret = v.tokens.readSecret(old.id) as string;
      const paths = ['a.env', 'b.env'].map((f) => join(files, `${name}-${f}`));
      const targets = new TargetService({ vault: v });
      for (const p of paths) {
        writeFileSync(p, fileText(secret));
        targets.add(old.id, { kind: 'dotenv', path: p, key: 'DEPLOY_TOKEN' });
      }
      const secretName = `T_${name.replace(/[^a-z0-9]/gi, '_').toUpperCase()}`;
      targets.add(old.id, { kind: 'gitea-secret', workspaceId: ws['ci']!.id, level: 'repo', owner: 'team/app', name: secretName });
      return { old, secret, paths, remote: () => giteaSecrets.valueOf('repo', 'team/app', secretName) };
    });
  }

  /** Each file holds one whole version, and no temp file of ours is left in the folder. */
  function expectWhole(paths: string[], secrets: (string | null | undefined)[]) {
    const versions = secrets.filter((s): s is string => typeof s === 'string').map(fileText);
    for (const p of paths) expect(versions).toContain(readFileSync(p, 'utf8'));
    expect(readdirSync(files).filter((f) => !f.endsWith('.env'))).toEqual([]);
  }

  const replacePoints = [
    'journal:created',
    'journal:deploy-requested',
    'target:deployed',
    'journal:deploy-requested:1',
    'journal:deploy-requested:2',
    'journal:issuer-check-requested',
    'remote:check-secret',
    'journal:revoke-requested',
    'remote:revoke',
  ];
  for (const point of replacePoints) {
    it(`create new killed at ${point}: resume writes every target, checks, and revokes the old token`, async () => {
      const name = `dg-${point.replace(/[^a-z0-9]/g, '')}`;
      const { old, secret: oldSecret, paths, remote } = await deployedToken(name, ws['gitea']!, { name, scopes: ['all'] });
      await crashAt(point, ['token', 'rotate', `gitea/${name}`]);
      const fresh = await withVault((v) => v.tokens.findByName(ws['gitea']!.id, name)[0]);
      const newSecret = await withVault((v) => (fresh ? v.tokens.readSecret(fresh.id) : null));
      expectWhole(paths, [oldSecret, newSecret]);

      const reports = await resume();
      expect(reports).toMatchObject([{ tokenId: old.id, state: 'completed' }]);
      expect(reports[0]?.message).not.toContain(oldSecret);
      await withVault((v) => {
        const now = v.tokens.findByName(ws['gitea']!.id, name);
        expect(now).toHaveLength(1);
        const secret = v.tokens.readSecret(now[0]!.id) as string;
        expect(secret).not.toBe(oldSecret);
        for (const p of paths) expect(readFileSync(p, 'utf8')).toBe(fileText(secret));
        expect(remote()).toBe(secret);
        expect(v.targets.list(now[0]!.id)).toHaveLength(3);
        expect(v.tokens.get(old.id).status).toBe('revoked');
        expect(v.journal.list()).toEqual([]);
      });
      expect(gitea.tokens.some((t) => String(t.id) === old.remoteId)).toBe(false);
      expectWhole(paths, [await withVault((v) => v.tokens.readSecret(v.tokens.findByName(ws['gitea']!.id, name)[0]!.id))]);
      expect(await resume()).toEqual([]);
    });
  }

  const nativePoints = ['store:secret', 'journal:deploy-requested', 'target:deployed', 'journal:deploy-requested:2', 'journal:issuer-check-requested', 'remote:check-secret'];
  for (const point of nativePoints) {
    it(`GitLab rotate killed at ${point}: resume writes the renewed secret everywhere`, async () => {
      const name = `dn-${point.replace(/[^a-z0-9]/g, '')}`;
      const { old, secret: oldSecret, paths, remote } = await deployedToken(name, ws['gitlab']!, { name, scopes: ['api'], expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() });
      await crashAt(point, ['token', 'rotate', `gitlab/${name}`]);
      expectWhole(paths, [oldSecret, await withVault((v) => v.tokens.readSecret(old.id))]);
      expect(await resume()).toMatchObject([{ tokenId: old.id, state: 'completed' }]);
      await withVault((v) => {
        const secret = v.tokens.readSecret(old.id) as string;
        expect(secret).not.toBe(oldSecret);
        expect(gitlab.tokens.filter((r) => r.name === name && !r.revoked)).toHaveLength(1);
        for (const p of paths) expect(readFileSync(p, 'utf8')).toBe(fileText(secret));
        expect(remote()).toBe(secret);
        expect(v.journal.list()).toEqual([]);
      });
    });
  }
});
