import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabProvider } from '../../../src/main/providers/gitlab-provider';
import { isLostCreate, type IssuedSecret, type RemoteToken } from '../../../src/main/providers/provider-types';
import { createGitlabServer } from '../../servers/contract/gitlab-server';
import { connect } from './provider-test-kit';

const gl = createGitlabServer();
let url = '';
beforeAll(async () => {
  url = await gl.server.start();
});
afterAll(() => gl.server.stop());

const ctx = (options: Record<string, string> = {}) => connect('gitlab', url, { adminSecret: gl.adminToken, options });

describe('GitLab provider (contract server)', () => {
  it('lists every page of personal, project and group tokens', async () => {
    gl.seed(230);
    gl.seed(3, 'project:7');
    gl.seed(2, 'group:9');
    const tokens = await gitlabProvider.list(ctx({ projects: '7', groups: '9' }));
    expect(tokens).toHaveLength(235);
    expect(tokens.filter((t) => t.type === 'project:7')).toHaveLength(3);
    expect(tokens[0]).toMatchObject({ remoteId: 'pat:1', name: 'seed-0', status: 'active', scopes: ['read_api'] });
    // 3 pages of PATs + 1 project + 1 group.
    expect(gl.server.count('GET', /access_tokens$|personal_access_tokens$/)).toBe(5);
  });

  it('refuses a token without scopes instead of choosing read_api for the user, before any request', async () => {
    const before = gl.server.count('POST', /personal_access_tokens$/);
    await expect(gitlabProvider.create(ctx(), { name: 'no-scopes', expiryPreset: '30d' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('at least one scope') });
    await expect(gitlabProvider.create(ctx(), { name: 'no-scopes', expiryPreset: '30d', scopes: [] })).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(gl.server.count('POST', /personal_access_tokens$/)).toBe(before);
    expect(gitlabProvider.capabilities.scopesRequired).toBe(true);
  });

  it('creates a token with an expiry date and returns its secret once', async () => {
    const out = (await gitlabProvider.create(ctx(), { name: 'ci', expiryPreset: '30d', scopes: ['api'] })) as IssuedSecret<RemoteToken>;
    expect(isLostCreate(out)).toBe(false);
    expect(out.secret).toMatch(/^glpat-/);
    expect(out.token.expiresAt?.slice(0, 10)).toBe(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    const listed = await gitlabProvider.list(ctx());
    expect(JSON.stringify(listed)).not.toContain(out.secret);
  });

  it('rotates: new id and secret, old token revoked', async () => {
    const created = (await gitlabProvider.create(ctx(), { name: 'rotate-me', scopes: ['api'], expiryPreset: '7d' })) as IssuedSecret<RemoteToken>;
    const rotated = await gitlabProvider.renew!(ctx(), created.token.remoteId);
    expect(rotated.token.remoteId).not.toBe(created.token.remoteId);
    expect(rotated.secret).not.toBe(created.secret);
    const listed = await gitlabProvider.list(ctx());
    expect(listed.find((t) => t.remoteId === created.token.remoteId)?.status).toBe('revoked');
  });

  it('creates and revokes a project token', async () => {
    const created = (await gitlabProvider.create(ctx({ projects: '7' }), { name: 'deploy', type: 'project', scopes: ['read_repository'], expiryPreset: '90d' })) as IssuedSecret<RemoteToken>;
    expect(created.token.remoteId).toMatch(/^project:7:\d+$/);
    await gitlabProvider.revoke!(ctx({ projects: '7' }), created.token.remoteId);
    const listed = await gitlabProvider.list(ctx({ projects: '7' }));
    expect(listed.find((t) => t.remoteId === created.token.remoteId)?.status).toBe('revoked');
  });

  it('maps a wrong admin token to bad-credential without echoing it', async () => {
    const bad = connect('gitlab', url, { adminSecret: 'glpat-wrong-wrong-wrong-1234' });
    const err = await gitlabProvider.list(bad).catch((e: unknown) => e as Error & { code: string });
    expect(err).toMatchObject({ code: 'bad-credential' });
    expect((err as Error).message).not.toContain('glpat-wrong');
  });

  it('paginates with x-next-page under a server rate limit (429 + Retry-After waited out)', async () => {
    gl.server.rateLimit = { perSecond: 50, burst: 1 };
    try {
      const tokens = await gitlabProvider.list(ctx());
      expect(tokens.length).toBeGreaterThan(230);
    } finally {
      gl.server.rateLimit = null;
    }
  });
});

describe('GitLab checkSecret (personal_access_tokens/self)', () => {
  it('valid for a personal and a project token; refused once rotated away or revoked; a fault is unknown', async () => {
    gl.server.clearFaults();
    const pat = (await gitlabProvider.create(ctx(), { name: 'check-me', scopes: ['read_api'], expiryPreset: '7d' })) as IssuedSecret<RemoteToken>;
    const proj = (await gitlabProvider.create(ctx({ projects: '7' }), { name: 'check-proj', type: 'project', scopes: ['read_repository'], expiryPreset: '7d' })) as IssuedSecret<RemoteToken>;
    expect(await gitlabProvider.checkSecret!(ctx(), pat.secret)).toEqual({ state: 'valid', limited: false });
    expect(await gitlabProvider.checkSecret!(ctx(), proj.secret)).toEqual({ state: 'valid', limited: false });
    expect((await gitlabProvider.list(ctx())).find((t) => t.remoteId === pat.token.remoteId)?.lastUsedAt).not.toBeNull();

    const rotated = await gitlabProvider.renew!(ctx(), pat.token.remoteId);
    expect(await gitlabProvider.checkSecret!(ctx(), pat.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
    expect(await gitlabProvider.checkSecret!(ctx(), rotated.secret)).toEqual({ state: 'valid', limited: false });
    await gitlabProvider.revoke!(ctx({ projects: '7' }), proj.token.remoteId);
    expect(await gitlabProvider.checkSecret!(ctx(), proj.secret)).toMatchObject({ state: 'invalid', reason: 'refused' });

    gl.server.inject({ kind: 'status', status: 500, path: /self$/, times: 10 });
    expect(await gitlabProvider.checkSecret!(connect('gitlab', url, { adminSecret: gl.adminToken }, { maxRetries: 1 }), rotated.secret)).toMatchObject({ state: 'unknown', reason: 'server-error' });
    gl.server.clearFaults();
    gl.server.inject({ kind: 'malformed', path: /self$/ });
    expect(await gitlabProvider.checkSecret!(ctx(), rotated.secret)).toMatchObject({ state: 'unknown', reason: 'unexpected-answer' });
  });
});
