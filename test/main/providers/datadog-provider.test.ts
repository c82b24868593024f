import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datadogAdminKeys, datadogProvider, renameDatadogKey } from '../../../src/main/providers/datadog-provider';
import type { IssuedSecret, RemoteToken, LostCreate } from '../../../src/main/providers/provider-types';
import { createDatadogServer } from '../../servers/contract/datadog-server';
import { connect } from './provider-test-kit';

const dd = createDatadogServer();
let url = '';
beforeAll(async () => {
  url = await dd.server.start();
});
afterAll(() => dd.server.stop());
beforeEach(() => {
  dd.server.clearFaults();
  dd.server.rateLimit = null;
  dd.state.oneTimeRead = false;
});
const ctx = (overrides = {}) => connect('datadog', url, { adminSecret: dd.adminSecret }, overrides);

describe('Datadog provider (contract server)', () => {
  it('reads the admin credential as API key + application key', () => {
    expect(datadogAdminKeys('a1:b2')).toEqual({ apiKey: 'a1', appKey: 'b2' });
    expect(datadogAdminKeys(' a1 \n b2 ')).toEqual({ apiKey: 'a1', appKey: 'b2' });
    expect(() => datadogAdminKeys('only-one')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });

  it('verifies, and lists both kinds of key through page[number] as two token types', async () => {
    dd.seed(230, 'app');
    dd.seed(3, 'api');
    expect(await datadogProvider.verify(ctx())).toEqual({ account: 'Datadog organization' });
    const tokens = await datadogProvider.list(ctx());
    expect(tokens.filter((t) => t.type === 'api-key')).toHaveLength(4);
    expect(tokens.filter((t) => t.type === 'application-key')).toHaveLength(231);
    // 1 API page, 3 app pages of 100.
    expect(dd.server.count('GET', /application_keys$/)).toBe(3);
    const seeded = tokens.find((t) => t.name === 'seed-app-0')!;
    expect(seeded).toMatchObject({ remoteId: expect.stringMatching(/^app:/), masked: expect.stringMatching(/^….{4}$/), lastUsedAt: null, usageCount: null, expiresAt: null });
    expect(JSON.stringify(tokens)).not.toContain(dd.adminApp.key);
  });

  it('maps wrong admin keys (403 at Datadog) to bad-credential', async () => {
    await expect(datadogProvider.verify(connect('datadog', url, { adminSecret: 'abc:def' }))).rejects.toMatchObject({ code: 'bad-credential' });
  });

  let api: IssuedSecret<RemoteToken>;
  let app: IssuedSecret<RemoteToken>;
  it('creates an API key and an application key with scopes; the key is in the create answer', async () => {
    api = (await datadogProvider.create(ctx(), { name: 'agent-prod', type: 'api-key' })) as IssuedSecret<RemoteToken>;
    app = (await datadogProvider.create(ctx(), { name: 'terraform', type: 'application-key', scopes: ['dashboards_read'] })) as IssuedSecret<RemoteToken>;
    expect(api.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(app.secret).toMatch(/^[0-9a-f]{40}$/);
    expect(app.token.scopes).toEqual(['dashboards_read']);
    expect(JSON.stringify(await datadogProvider.list(ctx()))).not.toMatch(new RegExp(`${api.secret}|${app.secret}`));
  });

  it('refuses an expiry and API-key scopes before calling the service', async () => {
    await expect(datadogProvider.create(ctx(), { name: 'x', type: 'api-key', expiryPreset: '30d' })).rejects.toMatchObject({ code: 'unsupported' });
    await expect(datadogProvider.create(ctx(), { name: 'x', type: 'api-key', scopes: ['a'] })).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('renames a key (PATCH with the id in path and body)', async () => {
    const renamed = await renameDatadogKey(ctx(), app.token.remoteId, 'terraform-ci');
    expect(renamed.name).toBe('terraform-ci');
    expect((await datadogProvider.list(ctx())).find((t) => t.remoteId === app.token.remoteId)?.name).toBe('terraform-ci');
  });

  it('checkSecret: both kinds valid (by type, or by length without a hint); the service records the use of the API key', async () => {
    expect(await datadogProvider.checkSecret!(ctx(), api.secret, { type: 'api-key' })).toEqual({ state: 'valid', limited: false });
    expect(await datadogProvider.checkSecret!(ctx(), app.secret, { type: 'application-key' })).toEqual({ state: 'valid', limited: false });
    expect(await datadogProvider.checkSecret!(ctx(), app.secret)).toEqual({ state: 'valid', limited: false });
    expect(dd.keys.find((k) => k.key === api.secret)?.date_last_used).not.toBeNull();
  });

  it('checkSecret: an app key is called refused only when the API key beside it still works', async () => {
    const revokedApp = dd.add('app', 'gone');
    dd.keys.splice(dd.keys.indexOf(revokedApp), 1);
    expect(await datadogProvider.checkSecret!(ctx(), revokedApp.key, { type: 'application-key' })).toEqual({ state: 'invalid', reason: 'refused', status: 403 });
    // The workspace's own API key is dead: nobody can tell whether the app key works.
    expect(await datadogProvider.checkSecret!(connect('datadog', url, { adminSecret: `${'0'.repeat(32)}:${dd.adminApp.key}` }), app.secret, { type: 'application-key' })).toEqual({ state: 'unknown', reason: 'needs-setting' });
  });

  it('checkSecret: a fault is unknown, never invalid', async () => {
    dd.server.inject({ kind: 'status', status: 502, path: /validate$/, times: 10 });
    expect(await datadogProvider.checkSecret!(ctx({ maxRetries: 1 }), api.secret, { type: 'api-key' })).toMatchObject({ state: 'unknown', reason: 'server-error' });
  });

  it('reconciles a lost API-key create and recovers the key by reading it again', async () => {
    dd.server.inject({ kind: 'reset-after', method: 'POST', path: /api_keys$/ });
    const out = await datadogProvider.create(ctx(), { name: 'lost-api-key', type: 'api-key' });
    expect('lost' in out).toBe(false);
    const issued = out as IssuedSecret<RemoteToken>;
    expect(issued.secret).toBe(dd.keys.find((k) => k.name === 'lost-api-key')?.key);
    expect(dd.keys.filter((k) => k.name === 'lost-api-key')).toHaveLength(1);
  });

  it('a lost application-key create in a One-Time-Read org is recorded without a secret', async () => {
    dd.state.oneTimeRead = true;
    dd.server.inject({ kind: 'reset-after', method: 'POST', path: /application_keys$/ });
    const out = (await datadogProvider.create(ctx(), { name: 'lost-app-key', type: 'application-key' })) as LostCreate;
    expect(out).toMatchObject({ lost: true, token: { name: 'lost-app-key', type: 'application-key' } });
  });

  it('waits out a 429 whose X-RateLimit-Reset is seconds from now', async () => {
    dd.server.rateLimit = { perSecond: 4, burst: 1 };
    const started = Date.now();
    expect((await datadogProvider.list(ctx())).length).toBeGreaterThan(230);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('revokes both kinds (204); the revoked API key is refused', async () => {
    await datadogProvider.revoke!(ctx(), api.token.remoteId);
    await datadogProvider.revoke!(ctx(), app.token.remoteId);
    const ids = (await datadogProvider.list(ctx())).map((t) => t.remoteId);
    expect(ids).not.toContain(api.token.remoteId);
    expect(ids).not.toContain(app.token.remoteId);
    expect(await datadogProvider.checkSecret!(ctx(), api.secret, { type: 'api-key' })).toEqual({ state: 'invalid', reason: 'refused', status: 403 });
  });
});
