import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { herokuProvider } from '../../../src/main/providers/heroku-provider';
import type { IssuedSecret, RemoteToken } from '../../../src/main/providers/provider-types';
import { createHerokuServer } from '../../servers/contract/heroku-server';
import { connect } from './provider-test-kit';

const hk = createHerokuServer();
let url = '';
beforeAll(async () => {
  url = await hk.server.start();
});
afterAll(() => hk.server.stop());
beforeEach(() => {
  hk.server.clearFaults();
  hk.server.rateLimit = null;
});
const ctx = (overrides = {}) => connect('heroku', url, { adminSecret: hk.adminToken }, overrides);

describe('Heroku provider (contract server)', () => {
  it('verifies, and lists every authorization through Range / Next-Range (206 until the last page)', async () => {
    hk.seed(2100);
    expect(await herokuProvider.verify(ctx())).toEqual({ account: 'dev@example.com' });
    const tokens = await herokuProvider.list(ctx());
    expect(tokens).toHaveLength(2101);
    expect(new Set(tokens.map((t) => t.remoteId)).size).toBe(2101);
    expect(hk.server.count('GET', /authorizations$/)).toBe(3);
    expect(tokens.find((t) => t.name === 'seed-0')).toMatchObject({ status: 'active', expiresAt: null, lastUsedAt: null, usageCount: null, scopes: ['global'] });
    // Heroku re-shows access tokens when listed; none of them reaches a RemoteToken.
    expect(JSON.stringify(tokens)).not.toContain('HRKU-');
  });

  let created: IssuedSecret<RemoteToken>;
  it('creates with expires_in and a scope; the access token comes back', async () => {
    created = (await herokuProvider.create(ctx(), { name: 'deploy-bot', scopes: ['write'], expiryPreset: '7d' })) as IssuedSecret<RemoteToken>;
    expect(created.secret).toMatch(/^HRKU-/);
    expect(created.token).toMatchObject({ name: 'deploy-bot', scopes: ['write'] });
    expect(Math.abs(Date.parse(created.token.expiresAt!) - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
  });

  it('checkSecret: valid through /oauth/authorizations/~', async () => {
    expect(await herokuProvider.checkSecret!(ctx(), created.secret)).toEqual({ state: 'valid', limited: false });
  });

  it('regenerates tokens natively: new secret, the old one refused', async () => {
    const renewed = await herokuProvider.renew!(ctx(), created.token.remoteId);
    expect(renewed.token.remoteId).toBe(created.token.remoteId);
    expect(renewed.secret).not.toBe(created.secret);
    expect(await herokuProvider.checkSecret!(ctx(), created.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
    expect(await herokuProvider.checkSecret!(ctx(), renewed.secret)).toEqual({ state: 'valid', limited: false });
    created = renewed;
  });

  it('checkSecret: a token that is no OAuth authorization (404 on ~) is tried on /account', async () => {
    hk.server.inject({ kind: 'status', status: 404, path: /~$/, json: { id: 'not_found', resource: 'authorization', message: 'Not found' } });
    expect(await herokuProvider.checkSecret!(ctx(), created.secret)).toEqual({ state: 'valid', limited: false });
    expect(hk.server.count('GET', /^\/account$/)).toBeGreaterThanOrEqual(1);
  });

  it('checkSecret: a fault is unknown, never invalid', async () => {
    hk.server.inject({ kind: 'status', status: 503, path: /~$/, times: 10 });
    expect(await herokuProvider.checkSecret!(ctx({ maxRetries: 1 }), created.secret)).toMatchObject({ state: 'unknown', reason: 'server-error' });
  });

  it('retries a 429 that gives no wait with backoff, and reports rate-limited when it persists', async () => {
    hk.server.inject({ kind: 'status', status: 429, path: /authorizations$/, json: { id: 'rate_limit', message: 'Your account reached the API rate limit.' }, headers: { 'ratelimit-remaining': '0' } });
    expect((await herokuProvider.list(ctx())).length).toBeGreaterThan(2100);
    hk.server.inject({ kind: 'status', status: 429, path: /authorizations$/, json: { id: 'rate_limit', message: 'Your account reached the API rate limit.' }, times: 10 });
    await expect(herokuProvider.list(ctx({ maxRetries: 2 }))).rejects.toMatchObject({ code: 'rate-limited', message: expect.stringMatching(/Wait a little/) });
  });

  it('recovers the access token of a create whose answer was lost, by reading the authorization', async () => {
    const before = hk.auths.length;
    hk.server.inject({ kind: 'reset-after', method: 'POST', path: /authorizations$/ });
    const out = (await herokuProvider.create(ctx(), { name: 'lost-auth' })) as IssuedSecret<RemoteToken>;
    expect('lost' in out).toBe(false);
    expect(out.secret).toBe(hk.auths.find((a) => a.description === 'lost-auth')?.token);
    expect(hk.auths.length - before).toBe(1);
  });

  it('revokes; the revoked token is refused', async () => {
    await herokuProvider.revoke!(ctx(), created.token.remoteId);
    expect((await herokuProvider.list(ctx())).some((t) => t.remoteId === created.token.remoteId)).toBe(false);
    expect(await herokuProvider.checkSecret!(ctx(), created.secret)).toMatchObject({ state: 'invalid', reason: 'refused' });
  });
});
