import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { githubProvider } from '../../../src/main/providers/github-provider';
import { RotationService } from '../../../src/main/use-cases/rotation/rotation-service';
import { revokeToken } from '../../../src/main/use-cases/tokens/token-operations';
import { addWorkspace } from '../../../src/main/use-cases/workspace-service';
import { createGithubCredentialsServer } from '../../servers/contract/github-credentials-server';
import { newVault, tempDirs } from '../vault/vault-support';
import { connect } from './provider-test-kit';

const gh = createGithubCredentialsServer();
let url = '';
const dirs = tempDirs();
beforeAll(async () => {
  url = await gh.server.start();
});
afterAll(() => gh.server.stop());
beforeEach(() => {
  gh.server.clearFaults();
  gh.state.enterprise = false;
  gh.state.revokeCalls = 0;
});
const ctx = (adminSecret?: string, overrides = {}) => connect('github', url, adminSecret ? { adminSecret } : {}, overrides);

describe('GitHub provider (contract server)', () => {
  it('says plainly that GitHub creates and lists no tokens through an API', async () => {
    expect(githubProvider.capabilities).toMatchObject({ create: false, list: false, revoke: true, renew: 'none' });
    expect(githubProvider.capabilities.notes.join(' ')).toMatch(/no API to create or list personal access tokens/);
    expect(githubProvider.fields).toMatchObject({ defaultBaseUrl: 'https://api.github.com', adminSecret: 'optional' });
    await expect(githubProvider.create(ctx(), { name: 'x' })).rejects.toMatchObject({ code: 'unsupported' });
    expect(await githubProvider.list(ctx())).toEqual([]);
  });

  it('verifies an optional admin token, and needs none', async () => {
    expect(await githubProvider.verify(ctx())).toEqual({ account: 'no admin token (revoke only)' });
    expect(await githubProvider.verify(ctx(gh.adminToken))).toEqual({ account: 'admin' });
    await expect(githubProvider.verify(ctx('ghp_wrongwrongwrongwrong'))).rejects.toMatchObject({ code: 'bad-credential' });
  });

  it('revokes a leaked token by its secret, unauthenticated even when the workspace has an admin token', async () => {
    const leaked = gh.issue();
    expect(await githubProvider.checkSecret!(ctx(), leaked)).toEqual({ state: 'valid', limited: false });
    await githubProvider.revokeSecret!(ctx(gh.adminToken), leaked);
    expect(gh.tokens.get(leaked)?.revoked).toBe(true);
    expect(gh.server.requests.filter((r) => r.path === '/credentials/revoke').at(-1)?.headers.authorization).toBeUndefined();
    expect(await githubProvider.checkSecret!(ctx(), leaked)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
  });

  it('on GitHub Enterprise Server (401 unauthenticated) tries once with the admin token', async () => {
    gh.state.enterprise = true;
    const leaked = gh.issue();
    await githubProvider.revokeSecret!(ctx(gh.adminToken), leaked);
    expect(gh.tokens.get(leaked)?.revoked).toBe(true);
    await expect(githubProvider.revokeSecret!(ctx(), gh.issue())).rejects.toMatchObject({ code: 'bad-credential' });
  });

  it('a 422 says which tokens GitHub can revoke, without echoing the value', async () => {
    gh.server.inject({ kind: 'status', status: 422, path: /revoke$/, json: { message: 'Validation Failed: not-a-github-token-value is not a credential' } });
    const err = await githubProvider.revokeSecret!(ctx(), 'not-a-github-token-value').catch((e: Error & { code: string; info: unknown }) => e);
    expect(err).toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/ghp_, github_pat_/) });
    expect(JSON.stringify({ m: (err as Error).message, i: (err as { info: unknown }).info })).not.toContain('not-a-github-token-value');
  });

  it('past 60 revocations an hour: rate-limited, with the wait', async () => {
    gh.state.revokeCalls = 60;
    const err = await githubProvider.revokeSecret!(ctx(undefined, { maxRetries: 0 }), gh.issue()).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'rate-limited', message: expect.stringMatching(/Try again in 36\d\d s/) });
  });

  it('checkSecret: a 403 (GitHub also rate-limits with 403) and a 5xx are unknown, never invalid', async () => {
    const t = gh.issue();
    gh.server.inject({ kind: 'status', status: 403, path: /^\/user$/, json: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0' } });
    expect(await githubProvider.checkSecret!(ctx(), t)).toMatchObject({ state: 'unknown', reason: 'unexpected-answer', status: 403 });
    gh.server.inject({ kind: 'status', status: 500, path: /^\/user$/, times: 10 });
    expect(await githubProvider.checkSecret!(ctx(undefined, { maxRetries: 1 }), t)).toMatchObject({ state: 'unknown', reason: 'server-error' });
  });

  it('the revoke use case sends a pasted token (no id at GitHub) to credential revocation', async () => {
    const vault = await newVault(dirs());
    const { workspace } = await addWorkspace(vault, { kind: 'github', name: 'gh', baseUrl: url }, { backoffBaseMs: 5 });
    const leaked = gh.issue('github_pat_');
    const stored = vault.tokens.insert({ workspaceId: workspace.id, name: 'leaked-ci', secret: leaked });
    await revokeToken(vault, stored.id, { clientOverrides: { backoffBaseMs: 5 } });
    expect(vault.tokens.get(stored.id).status).toBe('revoked');
    expect(gh.tokens.get(leaked)?.revoked).toBe(true);
  });

  it('rotating a GitHub token asks for the new one to be pasted (no create API)', async () => {
    const vault = await newVault(dirs());
    const { workspace } = await addWorkspace(vault, { kind: 'github', name: 'gh', baseUrl: url }, { backoffBaseMs: 5 });
    const stored = vault.tokens.insert({ workspaceId: workspace.id, name: 'deploy', secret: gh.issue() });
    const started = await new RotationService({ vault }).rotate(stored.id);
    expect(started).toMatchObject({ kind: 'manual', tokenId: stored.id });
  });
});
