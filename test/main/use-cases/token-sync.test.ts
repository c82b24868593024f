import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../../src/main/vault';
import { syncWorkspace } from '../../../src/main/use-cases/sync-service';
import { createToken, regenerateToken, revokeToken, setTokenActive } from '../../../src/main/use-cases/tokens/token-operations';
import { addWorkspace } from '../../../src/main/use-cases/workspace-service';
import { createCloudflareServer } from '../../servers/contract/cloudflare-server';
import { createGitlabServer } from '../../servers/contract/gitlab-server';
import { newVault, tempDirs } from '../vault/vault-support';

const gl = createGitlabServer();
const cf = createCloudflareServer();
const dirs = tempDirs();
const fast = { backoffBaseMs: 5, timeoutMs: 5000 };
const op = { clientOverrides: fast };

beforeAll(async () => {
  await gl.server.start();
  await cf.server.start();
});
afterAll(async () => {
  await gl.server.stop();
  await cf.server.stop();
});

async function gitlabWorkspace(vault: Vault, name = 'gl') {
  const { workspace } = await addWorkspace(vault, { kind: 'gitlab', name, baseUrl: `${gl.server.url}#projects=5`, adminSecret: gl.adminToken }, fast);
  return workspace;
}

describe('workspaces, sync and token operations (real vault, contract servers)', () => {
  it('adds a workspace only after the credential is verified; the credential is stored encrypted', async () => {
    const vault = await newVault(dirs());
    await expect(addWorkspace(vault, { kind: 'gitlab', name: 'bad', baseUrl: gl.server.url, adminSecret: 'glpat-nope-nope-nope' }, fast)).rejects.toMatchObject({ code: 'bad-credential' });
    expect(vault.workspaces.list()).toHaveLength(0);
    await expect(addWorkspace(vault, { kind: 'gitlab', name: 'plain', baseUrl: 'http://gitlab.example.com', adminSecret: 'x' })).rejects.toMatchObject({ code: 'insecure-url' });
    const ws = await gitlabWorkspace(vault);
    expect(ws.hasAdminCredential).toBe(true);
    expect(vault.workspaces.connection(ws.id).adminCredential).toBe(gl.adminToken);
  });

  it('sync merges by remote id; the service wins; disappeared tokens become revoked-remote; secrets are kept', async () => {
    const vault = await newVault(dirs());
    const ws = await gitlabWorkspace(vault);
    gl.seed(3, 'project:5');
    const created = await createToken(vault, ws.id, { name: 'mine', type: 'project', scopes: ['api'], expiryPreset: '30d' }, op);
    expect(vault.tokens.readSecret(created.token.id)).toBe(created.secret);

    const first = await syncWorkspace(vault, vault.workspaces.get(ws.id), { clientOverrides: fast });
    expect(first.ok).toBe(true);
    expect(vault.tokens.list({ workspaceId: ws.id }).length).toBe(first.total);
    expect(vault.workspaces.get(ws.id).lastSyncAt).not.toBeNull();

    // At the service: "mine" revoked there, one seed deleted outright, another gets a new expiry.
    const row = gl.tokens.find((t) => `project:5:${t.id}` === created.token.remoteId)!;
    row.revoked = true;
    const gone = gl.tokens.findIndex((t) => t.owner === 'project:5' && t.name === 'seed-0');
    const goneId = `project:5:${gl.tokens[gone]!.id}`;
    gl.tokens.splice(gone, 1);
    gl.tokens.find((t) => t.owner === 'project:5' && t.name === 'seed-1')!.expires_at = '2031-01-02';

    await syncWorkspace(vault, vault.workspaces.get(ws.id), { clientOverrides: fast });
    expect(vault.tokens.get(created.token.id).status).toBe('revoked');
    expect(vault.tokens.readSecret(created.token.id)).toBe(created.secret);
    expect(vault.tokens.findByRemoteId(ws.id, goneId)?.status).toBe('revoked-remote');
    expect(vault.tokens.list({ workspaceId: ws.id }).find((t) => t.name === 'seed-1')?.expiresAt).toBe('2031-01-02T00:00:00.000Z');
  });

  it('a failed sync records the error on the workspace and changes no token', async () => {
    const vault = await newVault(dirs());
    const ws = await gitlabWorkspace(vault);
    await syncWorkspace(vault, ws, { clientOverrides: fast });
    const before = vault.tokens.list({ workspaceId: ws.id });
    gl.server.inject({ kind: 'status', status: 500, method: 'GET', times: 10 });
    const res = await syncWorkspace(vault, ws, { clientOverrides: { ...fast, maxRetries: 1 } });
    gl.server.clearFaults();
    expect(res).toMatchObject({ ok: false, error: { code: 'server-error' } });
    expect(vault.workspaces.get(ws.id).lastSyncError?.code).toBe('server-error');
    expect(vault.tokens.list({ workspaceId: ws.id })).toEqual(before);
  });

  it('regenerate (GitLab rotate) stores the new secret and the new remote id', async () => {
    const vault = await newVault(dirs());
    const ws = await gitlabWorkspace(vault);
    const created = await createToken(vault, ws.id, { name: 'rot', scopes: ['api'], expiryPreset: '7d' }, op);
    const renewed = await regenerateToken(vault, created.token.id, op);
    expect(renewed.secret).not.toBe(created.secret);
    expect(vault.tokens.readSecret(created.token.id)).toBe(renewed.secret);
    expect(vault.tokens.get(created.token.id).remoteId).not.toBe(created.token.remoteId);
    await revokeToken(vault, created.token.id, op);
    expect(vault.tokens.get(created.token.id).status).toBe('revoked');
  });

  it('Cloudflare activate/deactivate goes to the service and the vault', async () => {
    const vault = await newVault(dirs());
    const { workspace } = await addWorkspace(vault, { kind: 'cloudflare', name: 'cf', baseUrl: cf.server.url, adminSecret: cf.adminToken }, fast);
    const created = await createToken(vault, workspace.id, { name: 'zone', scopes: ['pg'] }, op);
    await setTokenActive(vault, created.token.id, false, op);
    expect(vault.tokens.get(created.token.id).status).toBe('inactive');
    expect(cf.tokens.find((t) => t.id === created.token.remoteId)?.status).toBe('disabled');
  });

  it('when storing the new secret fails, the secret is handed back with the error', async () => {
    const vault = await newVault(dirs());
    const ws = await gitlabWorkspace(vault);
    gl.server.inject({ kind: 'delay', method: 'POST', path: /personal_access_tokens$/, ms: 300 });
    const pending = createToken(vault, ws.id, { name: 'unlucky', scopes: ['api'], expiryPreset: '7d' }, op).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    vault.lock();
    const err = (await pending) as { code: string; unsavedSecret?: string; message: string };
    expect(err.code).toBe('secret-not-stored');
    expect(err.unsavedSecret).toMatch(/^glpat-/);
    expect(err.message).not.toContain(err.unsavedSecret!);
  });

  it('a lost create answer is recorded without a secret, and the user is told', async () => {
    const vault = await newVault(dirs());
    const ws = await gitlabWorkspace(vault);
    gl.server.inject({ kind: 'reset-after', method: 'POST', path: /personal_access_tokens$/ });
    await expect(createToken(vault, ws.id, { name: 'lost-one', scopes: ['api'], expiryPreset: '7d' }, op)).rejects.toMatchObject({ message: expect.stringMatching(/answer was lost/) });
    const rec = vault.tokens.list({ workspaceId: ws.id }).find((t) => t.name === 'lost-one');
    expect(rec?.hasSecret).toBe(false);
    expect(gl.tokens.filter((t) => t.name === 'lost-one')).toHaveLength(1);
  });

  it('a token in the trash is not brought back by a sync while the service still lists it; restored, it syncs again', async () => {
    const vault = await newVault(dirs());
    const ws = await gitlabWorkspace(vault, 'gl-trash');
    const created = await createToken(vault, ws.id, { name: 'trashed-here', type: 'project', scopes: ['api'], expiryPreset: '30d' }, op);
    const entry = vault.trash.trashToken(created.token.id);
    const after = await syncWorkspace(vault, vault.workspaces.get(ws.id), { clientOverrides: fast });
    expect(after.ok).toBe(true);
    expect(vault.tokens.list({ workspaceId: ws.id }).map((t) => t.remoteId)).not.toContain(created.token.remoteId);
    expect(gl.tokens.some((t) => `project:5:${t.id}` === created.token.remoteId && !t.revoked)).toBe(true);
    vault.trash.restore(entry.id);
    await syncWorkspace(vault, vault.workspaces.get(ws.id), { clientOverrides: fast });
    const back = vault.tokens.list({ workspaceId: ws.id }).filter((t) => t.remoteId === created.token.remoteId);
    expect(back.map((t) => t.id)).toEqual([created.token.id]);
    expect(vault.tokens.readSecret(created.token.id)).toBe(created.secret);
  });
});
