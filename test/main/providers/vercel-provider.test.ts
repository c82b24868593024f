import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IssuedSecret, RemoteToken, LostCreate } from '../../../src/main/providers/provider-types';
import { vercelProvider } from '../../../src/main/providers/vercel-provider';
import { createVercelServer } from '../../servers/contract/vercel-server';
import { connect } from './provider-test-kit';

const vc = createVercelServer();
let url = '';
beforeAll(async () => {
  url = await vc.server.start();
});
afterAll(() => vc.server.stop());
beforeEach(() => {
  vc.server.clearFaults();
  vc.server.rateLimit = null;
});
const ctx = (overrides = {}) => connect('vercel', url, { adminSecret: vc.adminToken }, overrides);

describe('Vercel provider (contract server)', () => {
  it('verifies the token and lists every page through the `until` cursor', async () => {
    vc.seed(250);
    expect(await vercelProvider.verify(ctx())).toEqual({ account: 'token admin' });
    const tokens = await vercelProvider.list(ctx());
    expect(tokens).toHaveLength(251);
    expect(new Set(tokens.map((t) => t.remoteId)).size).toBe(251);
    expect(vc.server.count('GET', /\/v6\/user\/tokens$/)).toBe(3);
    expect(tokens.find((t) => t.name === 'seed-0')).toMatchObject({ status: 'active', expiresAt: null, lastUsedAt: null, usageCount: null });
  });

  it('maps a wrong token (403 at Vercel) to bad-credential', async () => {
    await expect(vercelProvider.verify(connect('vercel', url, { adminSecret: 'not-a-real-token-000' }))).rejects.toMatchObject({ code: 'bad-credential' });
  });

  let created: IssuedSecret<RemoteToken>;
  it('creates with expiresAt in ms; the bearer appears only in the create answer', async () => {
    created = (await vercelProvider.create(ctx(), { name: 'deploy', expiryPreset: '7d' })) as IssuedSecret<RemoteToken>;
    expect(created.secret.length).toBeGreaterThanOrEqual(24);
    expect(Math.abs(Date.parse(created.token.expiresAt!) - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    expect(JSON.stringify(await vercelProvider.list(ctx()))).not.toContain(created.secret);
  });

  it('checkSecret: valid, and the use shows up as last use', async () => {
    expect(await vercelProvider.checkSecret!(ctx(), created.secret)).toEqual({ state: 'valid', limited: false });
    await new Promise((r) => setTimeout(r, 5));
    expect(await vercelProvider.checkSecret!(ctx(), created.secret)).toEqual({ state: 'valid', limited: false });
    const listed = (await vercelProvider.list(ctx())).find((t) => t.remoteId === created.token.remoteId)!;
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('checkSecret: an expired token is refused (403, like a bad one); a fault is unknown', async () => {
    const old = vc.add('expired-one', { expiresAt: Date.now() - 1000 });
    expect(await vercelProvider.checkSecret!(ctx(), old.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 403 });
    vc.server.inject({ kind: 'status', status: 500, method: 'GET', path: /current$/, times: 10 });
    expect(await vercelProvider.checkSecret!(ctx({ maxRetries: 1 }), created.secret)).toMatchObject({ state: 'unknown', reason: 'server-error' });
  });

  it('says when the admin token cannot create tokens (CLI login or team token)', async () => {
    const oauth = vc.add('cli-login', { type: 'oauth2-token' });
    await expect(vercelProvider.create(connect('vercel', url, { adminSecret: oauth.secret }), { name: 'x' })).rejects.toMatchObject({
      code: 'remote-forbidden',
      message: expect.stringMatching(/Only user authentication tokens/),
    });
  });

  it('waits out a 429 that gives only X-RateLimit-Reset (unix time) and error.limit', async () => {
    vc.server.rateLimit = { perSecond: 4, burst: 1 };
    const started = Date.now();
    expect((await vercelProvider.list(ctx())).length).toBeGreaterThan(250);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('reconciles a lost create by listing, never creating twice', async () => {
    const before = vc.tokens.length;
    vc.server.inject({ kind: 'reset-after', method: 'POST', path: /\/v3\/user\/tokens$/ });
    const out = (await vercelProvider.create(ctx(), { name: 'lost-deploy' })) as LostCreate;
    expect(out).toMatchObject({ lost: true, token: { name: 'lost-deploy' } });
    expect(vc.tokens.length - before).toBe(1);
  });

  it('deletes; the deleted token is refused', async () => {
    await vercelProvider.revoke!(ctx(), created.token.remoteId);
    expect((await vercelProvider.list(ctx())).some((t) => t.remoteId === created.token.remoteId)).toBe(false);
    expect(await vercelProvider.checkSecret!(ctx(), created.secret)).toMatchObject({ state: 'invalid', reason: 'refused' });
  });
});
