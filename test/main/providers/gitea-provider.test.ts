import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giteaProvider } from '../../../src/main/providers/gitea-provider';
import type { IssuedSecret, RemoteToken } from '../../../src/main/providers/provider-types';
import { createGiteaServer } from '../../servers/contract/gitea-server';
import { connect } from './provider-test-kit';

const gt = createGiteaServer();
let url = '';
beforeAll(async () => {
  url = await gt.server.start();
});
afterAll(() => gt.server.stop());
const ctx = () => connect('gitea', url, { username: gt.user, adminSecret: gt.password });

describe('Gitea provider (contract server)', () => {
  it('lists every page with Basic auth; masks by token_last_eight', async () => {
    gt.seed(120);
    expect((await giteaProvider.verify(ctx())).account).toBe(gt.user);
    const tokens = await giteaProvider.list(ctx());
    expect(tokens).toHaveLength(120);
    expect(tokens[0]!.masked).toBe(`…${gt.tokens[0]!.sha1.slice(-8)}`);
  });

  it('creates (sha1 once), refuses an expiry, and a used name', async () => {
    const created = (await giteaProvider.create(ctx(), { name: 'ci', scopes: ['read:repository'] })) as IssuedSecret<RemoteToken>;
    expect(created.secret).toHaveLength(40);
    await expect(giteaProvider.create(ctx(), { name: 'x', expiryPreset: '30d' })).rejects.toMatchObject({ code: 'unsupported' });
    await expect(giteaProvider.create(ctx(), { name: 'ci' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/used already/) });
    await giteaProvider.revoke!(ctx(), created.token.remoteId);
    await expect(giteaProvider.revoke!(ctx(), created.token.remoteId)).rejects.toMatchObject({ code: 'remote-not-found' });
  });
});

describe('Gitea checkSecret (GET /api/v1/user with the token)', () => {
  it('valid; valid but limited without read:user; refused once deleted; unknown on a fault', async () => {
    const full = (await giteaProvider.create(ctx(), { name: 'check-all', scopes: ['all'] })) as IssuedSecret<RemoteToken>;
    const narrow = (await giteaProvider.create(ctx(), { name: 'check-narrow', scopes: ['read:repository'] })) as IssuedSecret<RemoteToken>;
    expect(await giteaProvider.checkSecret!(ctx(), full.secret)).toEqual({ state: 'valid', limited: false });
    expect(await giteaProvider.checkSecret!(ctx(), narrow.secret)).toEqual({ state: 'valid', limited: true });
    gt.server.inject({ kind: 'status', status: 500, path: /\/user$/, times: 10 });
    expect(await giteaProvider.checkSecret!(connect('gitea', url, { username: gt.user, adminSecret: gt.password }, { maxRetries: 1 }), full.secret)).toMatchObject({ state: 'unknown', reason: 'server-error' });
    gt.server.clearFaults();
    await giteaProvider.revoke!(ctx(), full.token.remoteId);
    expect(await giteaProvider.checkSecret!(ctx(), full.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
  });
});
