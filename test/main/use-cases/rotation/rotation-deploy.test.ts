import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RotationProgress } from '../../../../src/shared/ipc/rotation-channels';
import { RotationService } from '../../../../src/main/use-cases/rotation/rotation-service';
import { TargetService } from '../../../../src/main/use-cases/targets';
import type { Vault } from '../../../../src/main/vault/vault';
import type { TokenSummary, Workspace } from '../../../../src/main/vault/db/vault-types';
import { createGiteaSecretsServer } from '../../../servers/contract/gitea-secrets-server';
import { createGiteaServer } from '../../../servers/contract/gitea-server';
import { createGithubSecretsServer } from '../../../servers/contract/github-secrets-server';
import { createGitlabServer } from '../../../servers/contract/gitlab-server';
import { createGitlabVariablesServer } from '../../../servers/contract/gitlab-variables-server';
import { createCloudflareServer } from '../../../servers/contract/cloudflare-server';
import { createVaultKvServer } from '../../../servers/contract/vault-kv-server';
import { addWorkspace, issueToken, tempVault } from './rotation-fixture';

/**
 * Rotation that redeploys: after the new secret is stored it is written to every deployment target (files and each
 * remote kind, against their contract servers), read back, checked at the issuer, and only then is the old token
 * revoked, on its own.
 */
const gitea = createGiteaServer();
const gitlab = createGitlabServer();
const cf = createCloudflareServer();
const glVars = createGitlabVariablesServer();
const giteaSecrets = createGiteaSecretsServer();
const kv = createVaultKvServer();
let gh: Awaited<ReturnType<typeof createGithubSecretsServer>>;
const url: Record<string, string> = {};

beforeAll(async () => {
  gh = await createGithubSecretsServer();
  [url.gitea, url.gitlab, url.cf, url.glVars, url.giteaSecrets, url.kv, url.gh] = await Promise.all([
    gitea.server.start(),
    gitlab.server.start(),
    cf.server.start(),
    glVars.server.start(),
    giteaSecrets.server.start(),
    kv.server.start(),
    gh.server.start(),
  ]);
});
afterAll(async () => {
  await Promise.all([gitea, gitlab, cf, glVars, giteaSecrets, kv, gh].map((s) => s.server.stop()));
});

let vault: Vault;
let dir = '';
let cleanup: () => void;
beforeEach(async () => {
  const t = await tempVault();
  vault = t.vault;
  cleanup = t.cleanup;
  dir = mkdtempSync(join(tmpdir(), 'tv-deploy-'));
  for (const s of [gitea, glVars, giteaSecrets, kv]) s.server.clearFaults();
  return () => {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  };
});

const ws = {
  gitea: (): Workspace => addWorkspace(vault, { kind: 'gitea', name: 'gitea', baseUrl: url.gitea!, username: gitea.user, adminCredential: gitea.password }),
  gitlab: (): Workspace => addWorkspace(vault, { kind: 'gitlab', name: 'gitlab', baseUrl: url.gitlab!, adminCredential: gitlab.adminToken }),
  cf: (): Workspace => addWorkspace(vault, { kind: 'cloudflare', name: 'cf', baseUrl: url.cf!, adminCredential: cf.adminToken }),
};
const serverSecret = (remoteId: string | null) => gitea.tokens.find((t) => String(t.id) === remoteId)?.sha1;

/** A .env with other lines, a comment and mode 0640, holding the token under DEPLOY_TOKEN. */
function envFile(secret: string | null, name = '.env'): string {
  const path = join(dir, name);
  writeFileSync(path, `# app settings\nAPP_NAME=shop\nDEPLOY_TOKEN=${secret ?? 'none'}\nexport REGION="eu-1"\n`);
  chmodSync(path, 0o640);
  return path;
}

/** One target of every remote kind, each in its own workspace pointing at its contract server. */
function remoteTargets(token: TokenSummary, key: string) {
  const targets = new TargetService({ vault });
  const glWs = addWorkspace(vault, { kind: 'gitlab', name: 'gl-ci', baseUrl: url.glVars!, adminCredential: glVars.tokens.maintainer });
  const gtWs = addWorkspace(vault, { kind: 'gitea', name: 'gitea-ci', baseUrl: url.giteaSecrets!, username: giteaSecrets.opts.user, adminCredential: giteaSecrets.opts.password });
  const ghWs = addWorkspace(vault, { kind: 'github', name: 'gh', baseUrl: url.gh!, adminCredential: gh.tokens.admin });
  const kvWs = addWorkspace(vault, { kind: 'vault', name: 'kv', baseUrl: url.kv!, adminCredential: kv.tokens.root });
  targets.add(token.id, { kind: 'gitlab-variable', workspaceId: glWs.id, level: 'project', owner: 'team/app', key });
  targets.add(token.id, { kind: 'gitea-secret', workspaceId: gtWs.id, level: 'repo', owner: 'team/app', name: key });
  targets.add(token.id, { kind: 'github-secret', workspaceId: ghWs.id, level: 'repo', owner: 'octo/app', name: key });
  targets.add(token.id, { kind: 'vault-kv', workspaceId: kvWs.id, path: `ci/${key.toLowerCase()}`, key: 'token' });
  return {
    values: () => ({
      gitlab: glVars.variables('project', '7').find((v) => v.key === key)?.value,
      gitea: giteaSecrets.valueOf('repo', 'team/app', key),
      github: gh.valueOf('repo', 'octo/app', key),
      vault: kv.dataOf('secret', `ci/${key.toLowerCase()}`)?.['token'],
    }),
  };
}

describe('create new -> deploy -> check -> revoke old, on its own', () => {
  it('writes a file and every remote kind, reads each back, checks the new secret at Gitea, then revokes the old token', async () => {
    const w = ws.gitea();
    const old = await issueToken(vault, w, { name: 'release', scopes: ['all'] });
    const oldSecret = vault.tokens.readSecret(old.id);
    const file = envFile(oldSecret);
    new TargetService({ vault }).add(old.id, { kind: 'dotenv', path: file, key: 'DEPLOY_TOKEN' });
    const remote = remoteTargets(old, 'DEPLOY_TOKEN');
    const events: RotationProgress[] = [];

    const out = await new RotationService({ vault, onProgress: (p) => events.push(p) }).rotate(old.id);

    expect(out.kind).toBe('replaced');
    if (out.kind !== 'replaced') return;
    expect(out.revoke).toEqual({ state: 'revoked' });
    expect(out.deploy.issuer).toEqual({ state: 'valid', limited: false });
    expect(out.deploy.targets.map((t) => [t.spec.kind, t.push?.status, t.verify?.status])).toEqual([
      ['dotenv', 'written', 'verified'],
      ['gitlab-variable', 'written', 'verified'],
      ['gitea-secret', 'written', 'verified'],
      ['github-secret', 'written', 'verified'],
      ['vault-kv', 'written', 'verified'],
    ]);
    // Every place holds exactly the new secret; the file kept its other lines, comment and mode.
    expect(remote.values()).toEqual({ gitlab: out.secret, gitea: out.secret, github: out.secret, vault: out.secret });
    expect(readFileSync(file, 'utf8')).toBe(`# app settings\nAPP_NAME=shop\nDEPLOY_TOKEN=${out.secret}\nexport REGION="eu-1"\n`);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // The old token is gone at the service and marked so; the new one holds the targets now.
    expect(serverSecret(old.remoteId)).toBeUndefined();
    expect(vault.tokens.get(old.id).status).toBe('revoked');
    expect(vault.targets.list(old.id)).toEqual([]);
    expect(vault.targets.list(out.newTokenId)).toHaveLength(5);
    expect(vault.journal.list()).toEqual([]);
    // Progress: each target pushed, verified and done in order, then the issuer, then the revoke; never the secret.
    expect(events.filter((e) => e.step === 'target' && e.target.phase === 'done').map((e) => (e.step === 'target' ? [e.target.index, e.target.ok] : null))).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, true],
      [4, true],
    ]);
    expect(events.map((e) => e.step).slice(-2)).toEqual(['checking-issuer', 'revoking']);
    expect(JSON.stringify(events)).not.toContain(out.secret);
    expect(JSON.stringify(events)).not.toContain(oldSecret);
    expect(vault.audit.list({ tokenId: out.newTokenId }).map((a) => a.action)).toContain('deployed');
  });

  it('with a grace period, schedules the revoke no earlier than the grace after the start; resume revokes once due', async () => {
    const w = ws.gitea();
    const old = await issueToken(vault, w, { name: 'graceful', scopes: ['all'] });
    new TargetService({ vault }).add(old.id, { kind: 'dotenv', path: envFile(vault.tokens.readSecret(old.id)), key: 'DEPLOY_TOKEN' });
    let now = new Date('2031-03-01T10:00:00Z');
    const rotation = new RotationService({ vault, clock: { now: () => now } });
    const out = await rotation.rotate(old.id, { graceDays: 2 });
    expect(out).toMatchObject({ kind: 'replaced', revoke: { state: 'scheduled', revokeAt: '2031-03-03T10:00:00.000Z' } });
    expect(serverSecret(old.remoteId)).toBe(vault.tokens.readSecret(old.id));
    now = new Date('2031-03-03T09:59:00Z');
    expect(await rotation.resumeAll()).toMatchObject([{ tokenId: old.id, state: 'scheduled' }]);
    expect(serverSecret(old.remoteId)).toBeDefined();
    now = new Date('2031-03-03T10:00:01Z');
    expect(await rotation.resumeAll()).toMatchObject([{ tokenId: old.id, state: 'completed', finding: { what: 'revoked-old', afterGrace: true } }]);
    expect(serverSecret(old.remoteId)).toBeUndefined();
  });

  it('a target that fails stops the rotation before the revoke; push after mending it, then confirm, finishes', async () => {
    const w = ws.gitea();
    const old = await issueToken(vault, w, { name: 'mend-me', scopes: ['all'] });
    const oldSecret = vault.tokens.readSecret(old.id);
    const good = envFile(oldSecret, 'good.env');
    const bad = join(dir, 'bad.env');
    const targets = new TargetService({ vault });
    targets.add(old.id, { kind: 'dotenv', path: good, key: 'DEPLOY_TOKEN' });
    const badTarget = targets.add(old.id, { kind: 'dotenv', path: bad, key: 'DEPLOY_TOKEN' });
    mkdirSync(bad); // a folder where the file should be: refused, nothing written

    const rotation = new RotationService({ vault });
    const out = await rotation.rotate(old.id);
    expect(out).toMatchObject({ kind: 'awaiting-confirmation', waitingBecause: 'targets-failed' });
    if (out.kind !== 'awaiting-confirmation' || !out.deploy) throw new Error('expected a deploy report');
    expect(out.deploy.targets.find((t) => t.targetId === badTarget.id)?.push).toMatchObject({ status: 'failed', failure: { reason: 'not-a-regular-file' } });
    // The good target already holds the new secret; the old token still works and is not revoked.
    expect(readFileSync(good, 'utf8')).toContain(`DEPLOY_TOKEN=${out.secret}\n`);
    expect(serverSecret(old.remoteId)).toBe(oldSecret);
    expect(rotation.listPending()).toMatchObject([{ tokenId: old.id, state: 'awaiting-confirmation', next: 'push', finding: { what: 'waiting-for-confirmation', because: 'targets-failed' } }]);
    // A second rotation waits for this one.
    await expect(rotation.rotate(old.id)).rejects.toMatchObject({ code: 'rotation-in-progress' });

    rmSync(bad, { recursive: true });
    const pushed = await targets.push(out.newTokenId);
    expect(pushed.targets.map((t) => t.verify?.status)).toEqual(['verified', 'verified']);
    expect(readFileSync(bad, 'utf8')).toBe(`DEPLOY_TOKEN=${out.secret}\n`);
    expect(statSync(bad).mode & 0o777).toBe(0o600); // a file Token Vault creates is the owner's only

    expect(await rotation.confirm(out.newTokenId)).toMatchObject({ state: 'revoked' });
    expect(serverSecret(old.remoteId)).toBeUndefined();
  });

  it('keeps the old token when the service cannot say whether the new secret works (unknown is not valid)', async () => {
    const w = ws.gitea();
    const old = await issueToken(vault, w, { name: 'unsure', scopes: ['all'] });
    new TargetService({ vault }).add(old.id, { kind: 'dotenv', path: envFile(vault.tokens.readSecret(old.id)), key: 'DEPLOY_TOKEN' });
    gitea.server.inject({ kind: 'status', status: 503, method: 'GET', path: /^\/api\/v1\/user$/, times: 10 });
    const out = await new RotationService({ vault }).rotate(old.id);
    expect(out).toMatchObject({ kind: 'awaiting-confirmation', waitingBecause: 'issuer-unknown', deploy: { issuer: { state: 'unknown', reason: 'server-error' } } });
    expect(serverSecret(old.remoteId)).toBe(vault.tokens.readSecret(old.id));
  });

  it('a token without targets waits for the confirmation as before, and nothing new is asked of the service', async () => {
    const w = ws.gitea();
    const old = await issueToken(vault, w, { name: 'plain', scopes: ['all'] });
    gitea.server.requests.splice(0);
    const out = await new RotationService({ vault }).rotate(old.id);
    expect(out).toMatchObject({ kind: 'awaiting-confirmation', waitingBecause: 'no-targets', deploy: null });
    expect(gitea.server.count('GET', /^\/api\/v1\/user$/)).toBe(0);
  });

  it('a push while the rotation writes its targets is refused; a removed target is skipped', async () => {
    const w = ws.gitea();
    const old = await issueToken(vault, w, { name: 'busy', scopes: ['all'] });
    const oldSecret = vault.tokens.readSecret(old.id);
    const targets = new TargetService({ vault });
    const first = targets.add(old.id, { kind: 'dotenv', path: envFile(oldSecret, 'a.env'), key: 'DEPLOY_TOKEN' });
    const second = targets.add(old.id, { kind: 'dotenv', path: envFile(oldSecret, 'b.env'), key: 'DEPLOY_TOKEN' });
    let refused: unknown;
    const out = await new RotationService({
      vault,
      onProgress: (p) => {
        if (p.step !== 'target' || p.target.phase !== 'pushing' || p.target.index !== 0) return;
        refused = targets.push(p.target.tokenId).catch((e: unknown) => e);
        vault.targets.remove(second.id);
      },
    }).rotate(old.id);
    await expect(refused).resolves.toMatchObject({ code: 'rotation-in-progress' });
    expect(out).toMatchObject({ kind: 'replaced', revoke: { state: 'revoked' } });
    if (out.kind === 'replaced') expect(out.deploy.targets.map((t) => t.targetId)).toEqual([first.id]);
    // removed before its turn: left as it was
    expect(readFileSync(join(dir, 'b.env'), 'utf8')).toContain(`DEPLOY_TOKEN=${oldSecret}\n`);
  });
});

describe('the service renews in place: the new secret is deployed at once', () => {
  it('GitLab rotate: the file and a Gitea Actions secret get the new secret; the rotation is over', async () => {
    const w = ws.gitlab();
    const old = await issueToken(vault, w, { name: 'gl-deploy', scopes: ['api'], expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() });
    const file = envFile(vault.tokens.readSecret(old.id));
    new TargetService({ vault }).add(old.id, { kind: 'dotenv', path: file, key: 'DEPLOY_TOKEN' });
    const gtWs = addWorkspace(vault, { kind: 'gitea', name: 'gitea-ci', baseUrl: url.giteaSecrets!, username: giteaSecrets.opts.user, adminCredential: giteaSecrets.opts.password });
    new TargetService({ vault }).add(old.id, { kind: 'gitea-secret', workspaceId: gtWs.id, level: 'repo', owner: 'team/app', name: 'GL_TOKEN' });
    const out = await new RotationService({ vault }).rotate(old.id);
    expect(out.kind).toBe('renewed');
    if (out.kind !== 'renewed' || !out.deploy) throw new Error('expected a deploy report');
    expect(out.deploy.issuer).toMatchObject({ state: 'valid' });
    expect(out.deploy.targets.every((t) => t.verify?.status === 'verified')).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(`DEPLOY_TOKEN=${out.secret}\n`);
    expect(giteaSecrets.valueOf('repo', 'team/app', 'GL_TOKEN')).toBe(out.secret);
    expect(vault.journal.list()).toEqual([]);
  });

  it('Cloudflare roll with a failed target: the rotation ends (the old secret is dead), the failure is reported', async () => {
    const w = ws.cf();
    const old = await issueToken(vault, w, { name: 'cf-deploy', scopes: ['pg1'] });
    const bad = join(dir, 'missing-folder', '.env');
    mkdirSync(join(dir, 'missing-folder'));
    new TargetService({ vault }).add(old.id, { kind: 'dotenv', path: bad, key: 'CF_TOKEN' });
    rmSync(join(dir, 'missing-folder'), { recursive: true });
    const out = await new RotationService({ vault }).rotate(old.id);
    expect(out.kind).toBe('renewed');
    if (out.kind !== 'renewed') return;
    expect(out.deploy?.targets[0]?.push).toMatchObject({ status: 'failed', failure: { reason: 'folder-missing' } });
    expect(vault.tokens.readSecret(old.id)).toBe(out.secret);
    expect(vault.journal.list()).toEqual([]);
  });
});
