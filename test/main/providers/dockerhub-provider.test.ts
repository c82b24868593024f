import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DockerHubLogin, dockerhubProvider } from '../../../src/main/providers/dockerhub-provider';
import { LIST_PAGE_CAP } from '../../../src/main/providers/pagination';
import { isLostCreate, type IssuedSecret, type RemoteToken, type LostCreate } from '../../../src/main/providers/provider-types';
import { createDockerhubServer } from '../../servers/contract/dockerhub-server';
import { connect } from './provider-test-kit';

const hub = createDockerhubServer();
let url = '';
beforeAll(async () => {
  url = await hub.server.start();
});
afterAll(() => hub.server.stop());
beforeEach(() => {
  hub.server.clearFaults();
  hub.server.rateLimit = null;
  hub.state.paginate = 'normal';
});

const ctx = (overrides = {}) => connect('dockerhub', url, { username: hub.user, adminSecret: hub.password }, overrides);
const fast = { rateLimit: { perSecond: 10_000, burst: 10_000 } };

describe('Docker Hub provider (contract server)', () => {
  it('logs in once, keeps the 10-minute bearer, and follows `next` through every page', async () => {
    hub.seed(230);
    const c = ctx();
    expect(await dockerhubProvider.verify(c)).toEqual({ account: hub.user });
    expect(DockerHubLogin.safeParse(c.login.value).success).toBe(true);
    const logins = hub.state.logins;
    const tokens = await dockerhubProvider.list(c);
    expect(tokens).toHaveLength(230);
    expect(hub.state.logins).toBe(logins);
    expect(tokens[0]).toMatchObject({ name: 'seed-0', status: 'active', scopes: ['repo:read'], lastUsedAt: null, usageCount: null });
    // Microsecond timestamps parse.
    expect(Date.parse(tokens[0]!.createdAt!)).toBeGreaterThan(0);
  });

  let created: IssuedSecret<RemoteToken>;
  it('creates with one scope and expires_at; the secret appears only in the create answer', async () => {
    const out = await dockerhubProvider.create(ctx(), { name: 'ci-pull', scopes: ['repo:write'], expiryPreset: '30d' });
    expect(isLostCreate(out)).toBe(false);
    created = out as IssuedSecret<RemoteToken>;
    expect(created.secret).toMatch(/^dckr_pat_/);
    expect(Date.parse(created.token.expiresAt!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(JSON.stringify(await dockerhubProvider.list(ctx()))).not.toContain(created.secret);
    const one = await fetch(`${url}/v2/access-tokens/${created.token.remoteId}`, { headers: { authorization: `Bearer ${[...hub.bearers.keys()].at(-1)}` } });
    expect((await one.json()) as { token: string }).toMatchObject({ token: '***' });
  });

  it('refuses an unknown scope before calling the service', async () => {
    await expect(dockerhubProvider.create(ctx(), { name: 'x', scopes: ['repo:delete'] })).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('deactivates for real: the token is refused at the service, then works again once activated', async () => {
    await dockerhubProvider.setActive!(ctx(), created.token.remoteId, false);
    expect((await dockerhubProvider.list(ctx())).find((t) => t.remoteId === created.token.remoteId)?.status).toBe('inactive');
    expect(await dockerhubProvider.checkSecret!(ctx(), created.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
    await dockerhubProvider.setActive!(ctx(), created.token.remoteId, true);
    expect((await dockerhubProvider.list(ctx())).find((t) => t.remoteId === created.token.remoteId)?.status).toBe('active');
    expect(await dockerhubProvider.checkSecret!(ctx(), created.secret)).toEqual({ state: 'valid', limited: false });
  });

  it('maps last use once the token has been used; never a made-up count', async () => {
    const listed = (await dockerhubProvider.list(ctx())).find((t) => t.remoteId === created.token.remoteId)!;
    expect(listed.lastUsedAt).not.toBeNull();
    expect(listed.usageCount).toBeNull();
  });

  it('checkSecret: a server fault is unknown, never invalid; no Docker ID is needs-setting', async () => {
    hub.server.inject({ kind: 'status', status: 503, method: 'POST', path: /auth\/token$/, times: 10 });
    expect(await dockerhubProvider.checkSecret!(ctx({ maxRetries: 1 }), created.secret)).toMatchObject({ state: 'unknown', reason: 'server-error' });
    hub.server.clearFaults();
    hub.server.inject({ kind: 'reset-before', method: 'POST', path: /auth\/token$/, times: 10 });
    expect(await dockerhubProvider.checkSecret!(ctx({ maxRetries: 1 }), created.secret)).toMatchObject({ state: 'unknown', reason: 'unreachable' });
    hub.server.clearFaults();
    expect(await dockerhubProvider.checkSecret!(connect('dockerhub', url, { adminSecret: hub.password }), created.secret)).toEqual({ state: 'unknown', reason: 'needs-setting' });
  });

  it('revokes with 204; the deleted token is refused', async () => {
    await dockerhubProvider.revoke!(ctx(), created.token.remoteId);
    expect((await dockerhubProvider.list(ctx())).some((t) => t.remoteId === created.token.remoteId)).toBe(false);
    expect(await dockerhubProvider.checkSecret!(ctx(), created.secret)).toMatchObject({ state: 'invalid', reason: 'refused' });
  });

  it('logs in again once when the stored bearer has expired at the service', async () => {
    const c = ctx();
    await dockerhubProvider.verify(c);
    hub.bearers.clear();
    const before = hub.state.logins;
    await dockerhubProvider.list(c);
    expect(hub.state.logins - before).toBe(1);
  });

  it('says a personal access token cannot manage tokens, and never echoes a wrong password', async () => {
    const pat = hub.add('admin-pat', ['repo:admin']);
    const err = await dockerhubProvider.list(connect('dockerhub', url, { username: hub.user, adminSecret: pat.secret })).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'bad-credential', message: expect.stringMatching(/account password/) });
    const wrong = 'W-r0ng pass';
    hub.server.inject({ kind: 'status', status: 401, method: 'POST', path: /auth\/token$/, json: { errinfo: null, detail: `bad secret ${wrong}`, message: 'unauthorized' } });
    const bad = await dockerhubProvider.list(connect('dockerhub', url, { username: hub.user, adminSecret: wrong })).catch((e: Error & { code: string; info: unknown }) => e);
    expect(bad).toMatchObject({ code: 'bad-credential' });
    expect(JSON.stringify({ m: (bad as Error).message, i: (bad as { info: unknown }).info })).not.toContain(wrong);
  });

  it.each(['x-retry-after', 'retry-after'] as const)('waits out a 429 that says when with %s', async (style) => {
    hub.state.retryStyle = style;
    hub.server.rateLimit = { perSecond: 4, burst: 1 };
    const c = ctx();
    const started = Date.now();
    // Login + 3 pages with a burst of 1: each 429 is waited out (whole seconds) instead of failing after 3 quick retries.
    expect(await dockerhubProvider.list(c)).toHaveLength(hub.tokens.length);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('never creates twice when the create answer is lost: reconciled by listing', async () => {
    const posts = hub.server.count('POST', /access-tokens$/);
    hub.server.inject({ kind: 'reset-after', method: 'POST', path: /access-tokens$/ });
    const out = (await dockerhubProvider.create(ctx(), { name: 'lost-one' })) as LostCreate;
    expect(out.lost).toBe(true);
    expect(out.token?.name).toBe('lost-one');
    expect(hub.server.count('POST', /access-tokens$/) - posts).toBe(1);
    expect(hub.tokens.filter((t) => t.token_label === 'lost-one')).toHaveLength(1);
  });

  it('stops at the page cap when the server paginates forever, and at once when a page links to itself', async () => {
    hub.state.paginate = 'forever';
    const err = await dockerhubProvider.list(ctx(fast)).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'unexpected-response', message: expect.stringMatching(/more pages after 1000/) });
    expect(hub.server.count('GET', /access-tokens$/)).toBeGreaterThanOrEqual(LIST_PAGE_CAP);
    hub.state.paginate = 'same';
    await expect(dockerhubProvider.list(ctx(fast))).rejects.toMatchObject({ code: 'unexpected-response', message: expect.stringMatching(/already sent/) });
  });

  it('refuses a next page on another host', async () => {
    const page = { count: 2, next: 'https://evil.example/v2/access-tokens?page=2', previous: null, results: [{ uuid: 'u1', token_label: 'a', is_active: true }] };
    hub.server.inject({ kind: 'respond', method: 'GET', path: /access-tokens$/, response: { status: 200, json: page } });
    await expect(dockerhubProvider.list(ctx())).rejects.toMatchObject({ code: 'unexpected-response', message: expect.stringMatching(/another host/) });
  });

  it('reads a 4 MB page of tokens, and refuses an answer over the size limit', async () => {
    const row = (i: number) => ({ uuid: `u-${i}`, token_label: `label-${i}-${'x'.repeat(80)}`, is_active: true, created_at: '2026-01-01T00:00:00.000000Z', last_used: null, scopes: ['repo:read'], token: '' });
    const results = Array.from({ length: 30_000 }, (_, i) => row(i));
    const body = JSON.stringify({ count: results.length, next: null, previous: null, results });
    expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
    hub.server.inject({ kind: 'respond', method: 'GET', path: /access-tokens$/, response: { status: 200, text: body, headers: { 'content-type': 'application/json' } } });
    expect(await dockerhubProvider.list(ctx())).toHaveLength(30_000);
    hub.server.inject({ kind: 'oversized', method: 'GET', path: /access-tokens$/, bytes: 9 * 1024 * 1024 });
    await expect(dockerhubProvider.list(ctx())).rejects.toMatchObject({ code: 'unexpected-response', message: expect.stringMatching(/larger than 8 MB/) });
  });
});
