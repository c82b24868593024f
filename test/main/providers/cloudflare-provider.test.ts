import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudflareProvider } from '../../../src/main/providers/cloudflare-provider';
import type { IssuedSecret, RemoteToken } from '../../../src/main/providers/provider-types';
import { createCloudflareServer } from '../../servers/contract/cloudflare-server';
import { connect } from './provider-test-kit';

const cf = createCloudflareServer();
let url = '';
beforeAll(async () => {
  url = await cf.server.start();
});
afterAll(() => cf.server.stop());
const ctx = () => connect('cloudflare', url, { adminSecret: cf.adminToken });

describe('Cloudflare provider (contract server)', () => {
  it('verifies the admin token and lists every page of the envelope', async () => {
    cf.seed(45);
    expect((await cloudflareProvider.verify(ctx())).account).toBe('token admin');
    const tokens = await cloudflareProvider.list(ctx());
    expect(tokens).toHaveLength(45);
    expect(tokens[0]).toMatchObject({ name: 'seed-0', status: 'active', scopes: ['pg1'] });
  });

  let created: IssuedSecret<RemoteToken>;
  it('creates with expires_on; the value appears only in the create answer', async () => {
    created = (await cloudflareProvider.create(ctx(), { name: 'dns-edit', scopes: ['pg-dns'], expiryPreset: '30d' })) as IssuedSecret<RemoteToken>;
    expect(created.secret.length).toBeGreaterThanOrEqual(40);
    expect(created.token.expiresAt).not.toBeNull();
    expect(JSON.stringify(await cloudflareProvider.list(ctx()))).not.toContain(created.secret);
  });

  it('rolls the value (same id, new secret)', async () => {
    const rolled = await cloudflareProvider.renew!(ctx(), created.token.remoteId);
    expect(rolled.token.remoteId).toBe(created.token.remoteId);
    expect(rolled.secret).not.toBe(created.secret);
  });

  it('deactivates and activates through status', async () => {
    await cloudflareProvider.setActive!(ctx(), created.token.remoteId, false);
    expect((await cloudflareProvider.list(ctx())).find((t) => t.remoteId === created.token.remoteId)?.status).toBe('inactive');
    await cloudflareProvider.setActive!(ctx(), created.token.remoteId, true);
    expect((await cloudflareProvider.list(ctx())).find((t) => t.remoteId === created.token.remoteId)?.status).toBe('active');
  });

  it('maps envelope errors: quota (400) and bad token (401)', async () => {
    cf.seed(10);
    await expect(cloudflareProvider.create(ctx(), { name: 'over-quota', scopes: ['x'] })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/quota/) });
    await expect(cloudflareProvider.list(connect('cloudflare', url, { adminSecret: 'wrong-token-value-1234567890' }))).rejects.toMatchObject({ code: 'bad-credential' });
  });

  it('revokes', async () => {
    await cloudflareProvider.revoke!(ctx(), created.token.remoteId);
    expect((await cloudflareProvider.list(ctx())).some((t) => t.remoteId === created.token.remoteId)).toBe(false);
  });
});

describe('Cloudflare checkSecret (user/tokens/verify with its status)', () => {
  it('valid, inactive when disabled, refused when rolled away or deleted, unknown on a fault', async () => {
    // The tests above filled the 50-token quota.
    cf.tokens.splice(0);
    const t = (await cloudflareProvider.create(ctx(), { name: 'check-me', scopes: ['pg'] })) as IssuedSecret<RemoteToken>;
    expect(await cloudflareProvider.checkSecret!(ctx(), t.secret)).toEqual({ state: 'valid', limited: false });
    await cloudflareProvider.setActive!(ctx(), t.token.remoteId, false);
    expect(await cloudflareProvider.checkSecret!(ctx(), t.secret)).toEqual({ state: 'invalid', reason: 'inactive' });
    await cloudflareProvider.setActive!(ctx(), t.token.remoteId, true);
    const rolled = await cloudflareProvider.renew!(ctx(), t.token.remoteId);
    expect(await cloudflareProvider.checkSecret!(ctx(), t.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
    expect(await cloudflareProvider.checkSecret!(ctx(), rolled.secret)).toEqual({ state: 'valid', limited: false });
    cf.server.inject({ kind: 'status', status: 502, path: /verify$/, times: 10 });
    expect(await cloudflareProvider.checkSecret!(connect('cloudflare', url, { adminSecret: cf.adminToken }, { maxRetries: 1 }), rolled.secret)).toMatchObject({ state: 'unknown', reason: 'server-error' });
    cf.server.clearFaults();
    // success:false inside a 200 is not a verdict either.
    cf.server.inject({ kind: 'respond', path: /verify$/, response: { status: 200, json: { success: false, errors: [{ code: 9109, message: 'odd' }], messages: [], result: null } } });
    expect(await cloudflareProvider.checkSecret!(ctx(), rolled.secret)).toMatchObject({ state: 'unknown', reason: 'unexpected-answer' });
    await cloudflareProvider.revoke!(ctx(), t.token.remoteId);
    expect(await cloudflareProvider.checkSecret!(ctx(), rolled.secret)).toMatchObject({ state: 'invalid', reason: 'refused' });
  });
});
