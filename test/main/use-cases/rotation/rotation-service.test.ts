import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RotationService } from '../../../../src/main/use-cases/rotation/rotation-service';
import { summarize } from '../../../../src/main/reminders/reminder-engine';
import { defaultPolicies } from '../../../../src/main/reminders/reminder-types';
import type { Vault } from '../../../../src/main/vault/vault';
import type { Workspace } from '../../../../src/main/vault/db/vault-types';
import { AppFailure } from '../../../../src/main/errors';
import { createGiteaServer } from '../../../servers/contract/gitea-server';
import { createGitlabServer } from '../../../servers/contract/gitlab-server';
import { createCloudflareServer } from '../../../servers/contract/cloudflare-server';
import { addWorkspace, issueToken, tempVault } from './rotation-fixture';

const gitea = createGiteaServer();
const gitlab = createGitlabServer();
const cf = createCloudflareServer();
let giteaUrl = '';
let gitlabUrl = '';
let cfUrl = '';

beforeAll(async () => {
  giteaUrl = await gitea.server.start();
  gitlabUrl = await gitlab.server.start();
  cfUrl = await cf.server.start();
});
afterAll(async () => {
  await Promise.all([gitea.server.stop(), gitlab.server.stop(), cf.server.stop()]);
});

let vault: Vault;
let cleanup: () => void;
beforeEach(async () => {
  const t = await tempVault();
  vault = t.vault;
  cleanup = t.cleanup;
  gitea.server.clearFaults();
  return () => cleanup();
});

const giteaWs = (): Workspace => addWorkspace(vault, { kind: 'gitea', name: `gitea-${Math.random()}`, baseUrl: giteaUrl, username: gitea.user, adminCredential: gitea.password });
const serverSecret = (remoteId: string | null) => gitea.tokens.find((t) => String(t.id) === remoteId)?.sha1;

describe('create new -> confirm -> revoke old (Gitea contract server)', () => {
  it('keeps the old token stored and working until the user confirms, then revokes it', async () => {
    const ws = giteaWs();
    const old = await issueToken(vault, ws, { name: 'ci-deploy', scopes: ['all'] });
    const rotation = new RotationService({ vault });
    const out = await rotation.rotate(old.id);
    expect(out.kind).toBe('awaiting-confirmation');
    if (out.kind !== 'awaiting-confirmation') return;
    const fresh = vault.tokens.get(out.newTokenId);
    // The vault holds exactly the secret the service issued, and the service still has the old one.
    expect(vault.tokens.readSecret(fresh.id)).toBe(out.secret);
    expect(serverSecret(fresh.remoteId)).toBe(out.secret);
    expect(serverSecret(old.remoteId)).toBe(vault.tokens.readSecret(old.id));
    expect(fresh).toMatchObject({ name: 'ci-deploy', replacesId: old.id, status: 'active' });
    expect(vault.tokens.get(old.id)).toMatchObject({ name: 'ci-deploy (replaced)', replacedById: fresh.id, status: 'active' });
    expect(rotation.listPending()).toMatchObject([{ tokenId: old.id, state: 'awaiting-confirmation', newTokenId: fresh.id }]);
    // The old one reminds nothing while it waits.
    const facts = vault.tokens.reminderFacts().map((f) => ({ ...f, expiresAt: '2020-01-01T00:00:00Z' }));
    expect(summarize(facts, defaultPolicies('UTC'), new Date()).due.map((d) => d.tokenId)).toEqual([fresh.id]);
    await expect(rotation.rotate(old.id)).rejects.toMatchObject({ code: 'rotation-in-progress' });

    const confirmed = await rotation.confirm(fresh.id);
    expect(confirmed).toMatchObject({ state: 'revoked', oldTokenId: old.id, newTokenId: fresh.id });
    expect(serverSecret(old.remoteId)).toBeUndefined();
    expect(serverSecret(fresh.remoteId)).toBe(out.secret);
    expect(vault.tokens.get(old.id).status).toBe('revoked');
    expect(vault.journal.list()).toEqual([]);
    expect(vault.audit.list({ tokenId: old.id }).map((a) => a.action)).toContain('revoked');
  });

  it('a create that fails at the service leaves everything as it was', async () => {
    const ws = giteaWs();
    const old = await issueToken(vault, ws, { name: 'fails-create', scopes: ['all'] });
    gitea.server.inject({ kind: 'status', status: 500, method: 'POST' });
    const before = gitea.tokens.length;
    const err = await new RotationService({ vault }).rotate(old.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).message).toMatch(/Nothing changed/);
    expect(gitea.tokens.length).toBe(before);
    expect(vault.journal.list()).toEqual([]);
    expect(vault.tokens.list({ workspaceId: ws.id })).toHaveLength(1);
    expect(vault.tokens.get(old.id).replacedById).toBeNull();
  });

  it('a revoke that fails at confirm is kept in the journal and finished by resume', async () => {
    const ws = giteaWs();
    const old = await issueToken(vault, ws, { name: 'fails-revoke', scopes: ['all'] });
    const rotation = new RotationService({ vault });
    const out = await rotation.rotate(old.id);
    gitea.server.inject({ kind: 'status', status: 503, method: 'DELETE', times: 5 });
    await expect(rotation.confirm(old.id)).rejects.toThrow(/new token is stored and active, but the old one could not be revoked yet/);
    expect(rotation.listPending()).toMatchObject([{ step: 'revoke-requested', state: 'needs-attention' }]);
    gitea.server.clearFaults();
    const reports = await rotation.resumeAll();
    expect(reports).toMatchObject([{ state: 'completed', tokenId: old.id }]);
    expect(serverSecret(old.remoteId)).toBeUndefined();
    expect(out.kind === 'awaiting-confirmation' && vault.tokens.readSecret(out.newTokenId)).toBe(out.kind === 'awaiting-confirmation' ? out.secret : '');
  });

  it('a grace period keeps the old token until it ends', async () => {
    const ws = giteaWs();
    const old = await issueToken(vault, ws, { name: 'graceful', scopes: ['all'] });
    let now = Date.now();
    const rotation = new RotationService({ vault, clock: { now: () => new Date(now) } });
    await rotation.rotate(old.id);
    expect(await rotation.confirm(old.id, { graceDays: 2 })).toMatchObject({ state: 'scheduled' });
    expect(await rotation.resumeAll()).toMatchObject([{ state: 'scheduled' }]);
    expect(serverSecret(old.remoteId)).toBeDefined();
    now += 2 * 86_400_000 + 1;
    expect(await rotation.resumeAll()).toMatchObject([{ state: 'completed' }]);
    expect(serverSecret(old.remoteId)).toBeUndefined();
  });

  it('hands the new secret back in the error when the vault cannot store it', async () => {
    const ws = giteaWs();
    const old = await issueToken(vault, ws, { name: 'store-fails', scopes: ['all'] });
    // Lock the vault right after the service answered: every write now fails.
    const rotation = new RotationService({ vault, checkpoint: (p) => p === 'remote:create' && vault.lock() });
    const err = (await rotation.rotate(old.id).catch((e: unknown) => e)) as AppFailure;
    expect(err.code).toBe('secret-not-stored');
    expect(err.message).not.toContain(err.unsavedSecret!);
    const created = gitea.tokens.find((t) => t.sha1 === err.unsavedSecret);
    expect(created?.name).toMatch(/^store-fails \(rotated /);
  });
});

describe('the service renews in place', () => {
  it('GitLab rotate: new id and secret stored, old id revoked by GitLab, new expiry', async () => {
    const ws = addWorkspace(vault, { kind: 'gitlab', name: 'gl', baseUrl: gitlabUrl, adminCredential: gitlab.adminToken });
    const old = await issueToken(vault, ws, { name: 'gl-bot', scopes: ['api'], expiresAt: new Date(Date.now() + 5 * 86_400_000).toISOString() });
    const out = await new RotationService({ vault }).rotate(old.id, { expiresAt: '2027-01-15T00:00:00Z' });
    expect(out).toMatchObject({ kind: 'renewed', method: 'rotate', tokenId: old.id, keptExpiry: false });
    const after = vault.tokens.get(old.id);
    expect(after.remoteId).not.toBe(old.remoteId);
    expect(after.expiresAt?.slice(0, 10)).toBe('2027-01-15');
    expect(after.lastRotatedAt).not.toBeNull();
    expect(vault.tokens.readSecret(old.id)).toBe(out.kind === 'renewed' ? out.secret : '');
    const oldRow = gitlab.tokens.find((t) => `pat:${t.id}` === old.remoteId);
    expect(oldRow?.revoked).toBe(true);
    expect(vault.journal.list()).toEqual([]);
  });

  it('Cloudflare roll: same token, new value stored', async () => {
    const ws = addWorkspace(vault, { kind: 'cloudflare', name: 'cf', baseUrl: cfUrl, adminCredential: cf.adminToken });
    const old = await issueToken(vault, ws, { name: 'cf-dns', scopes: ['pg1'] });
    const out = await new RotationService({ vault }).rotate(old.id);
    expect(out).toMatchObject({ kind: 'renewed', method: 'roll' });
    const row = cf.tokens.find((t) => t.id === old.remoteId);
    expect(vault.tokens.readSecret(old.id)).toBe(row?.value);
  });
});

describe('remote failures in the middle of a native rotation', () => {
  it('a roll refused by the service changes nothing', async () => {
    const ws = addWorkspace(vault, { kind: 'cloudflare', name: 'cf-fail', baseUrl: cfUrl, adminCredential: cf.adminToken });
    const old = await issueToken(vault, ws, { name: 'cf-refused', scopes: ['pg1'] });
    const before = vault.tokens.readSecret(old.id);
    cf.server.inject({ kind: 'status', status: 500, method: 'PUT', path: /\/value$/ });
    await expect(new RotationService({ vault }).rotate(old.id)).rejects.toThrow(/Nothing changed/);
    expect(vault.tokens.readSecret(old.id)).toBe(before);
    expect(cf.tokens.find((t) => t.id === old.remoteId)?.value).toBe(before);
    expect(vault.journal.list()).toEqual([]);
  });

  it('a roll whose answer is lost (connection reset after it took effect) is settled by resume', async () => {
    const ws = addWorkspace(vault, { kind: 'cloudflare', name: 'cf-reset', baseUrl: cfUrl, adminCredential: cf.adminToken });
    const old = await issueToken(vault, ws, { name: 'cf-lost', scopes: ['pg1'] });
    cf.server.inject({ kind: 'reset-after', method: 'PUT', path: /\/value$/ });
    const rotation = new RotationService({ vault });
    // What to do next is structured; the command line and the window word it.
    await expect(rotation.rotate(old.id)).rejects.toMatchObject({ next: 'resume' });
    // The service rolled the value; the vault's copy is dead now, and the journal says so.
    expect(cf.tokens.find((t) => t.id === old.remoteId)?.value).not.toBe(vault.tokens.readSecret(old.id));
    expect(rotation.listPending()).toMatchObject([{ step: 'renew-requested', state: 'needs-attention' }]);
    const [report] = await rotation.resumeAll();
    expect(report).toMatchObject({ state: 'completed' });
    expect(vault.tokens.readSecret(old.id)).toBe(cf.tokens.find((t) => t.id === old.remoteId)?.value);
    expect(report?.secret).toBe(vault.tokens.readSecret(old.id));
    expect(JSON.stringify(report?.finding)).not.toContain(report?.secret ?? '#');
  });

  it('a resume that fails again keeps the journal for the next try', async () => {
    const ws = addWorkspace(vault, { kind: 'cloudflare', name: 'cf-twice', baseUrl: cfUrl, adminCredential: cf.adminToken });
    const old = await issueToken(vault, ws, { name: 'cf-twice', scopes: ['pg1'] });
    cf.server.inject({ kind: 'reset-after', method: 'PUT', path: /\/value$/ });
    const rotation = new RotationService({ vault });
    await expect(rotation.rotate(old.id)).rejects.toThrow();
    cf.server.inject({ kind: 'status', status: 500, method: 'PUT', path: /\/value$/ });
    expect(await rotation.resumeAll()).toMatchObject([{ state: 'needs-attention', step: 'renew-requested' }]);
    expect(vault.journal.list()).toHaveLength(1);
    expect(await rotation.resumeAll()).toMatchObject([{ state: 'completed' }]);
    expect(vault.tokens.readSecret(old.id)).toBe(cf.tokens.find((t) => t.id === old.remoteId)?.value);
  });
});

describe('manual workspaces', () => {
  it('links to the token page, stores the pasted secret, and says to revoke by hand', async () => {
    const ws = addWorkspace(vault, { kind: 'manual', name: 'graphor', tokenPageUrl: 'https://graphor.example/settings/tokens' });
    const old = vault.tokens.insert({ workspaceId: ws.id, name: 'mcp', secret: 'gr-old-secret' });
    const rotation = new RotationService({ vault });
    expect(await rotation.rotate(old.id)).toMatchObject({ kind: 'manual', tokenPageUrl: 'https://graphor.example/settings/tokens' });
    expect(rotation.listPending()).toMatchObject([{ state: 'awaiting-secret' }]);
    const pasted = await rotation.pasteSecret(old.id, 'gr-new-secret', { expiresAt: '2027-01-01T00:00:00Z' });
    expect(pasted.kind).toBe('awaiting-confirmation');
    if (pasted.kind !== 'awaiting-confirmation') return;
    expect(vault.tokens.readSecret(pasted.newTokenId)).toBe('gr-new-secret');
    expect(vault.tokens.readSecret(old.id)).toBe('gr-old-secret');
    expect(await rotation.confirm(old.id)).toMatchObject({ state: 'revoke-by-hand' });
    expect(vault.tokens.get(old.id).status).toBe('revoked');
  });
});
