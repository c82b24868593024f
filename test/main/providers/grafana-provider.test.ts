import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grafanaProvider } from '../../../src/main/providers/grafana-provider';
import type { IssuedSecret, RemoteToken } from '../../../src/main/providers/provider-types';
import { createGrafanaServer } from '../../servers/contract/grafana-server';
import { connect } from './provider-test-kit';

const gf = createGrafanaServer();
let url = '';
beforeAll(async () => {
  url = await gf.server.start();
});
afterAll(() => gf.server.stop());
// The contract server has no limit; the test must not wait for Grafana's cautious default pace.
const ctx = () => connect('grafana', url, { username: gf.user, adminSecret: gf.password }, { rateLimit: { perSecond: 1000, burst: 1000 } });

describe('Grafana provider (contract server)', () => {
  it('lists tokens across every service account page', async () => {
    for (let i = 0; i < 120; i++) gf.addToken(gf.addSa(`sa-${i}`), `tok-${i}`, i === 0 ? 3600 : 0);
    const tokens = await grafanaProvider.list(ctx());
    expect(tokens).toHaveLength(120);
    expect(tokens.find((t) => t.name === 'tok-0')?.expiresAt).not.toBeNull();
    expect(tokens.find((t) => t.name === 'tok-1')).toMatchObject({ remoteId: '2/2', type: 'sa-1', status: 'active' });
  });

  let created: IssuedSecret<RemoteToken>;
  it('creates a service account (role from scope) and a token with secondsToLive', async () => {
    created = (await grafanaProvider.create(ctx(), { name: 'alerts-bot', scopes: ['Editor'], expiryPreset: '7d' })) as IssuedSecret<RemoteToken>;
    expect(created.secret).toMatch(/^glsa_/);
    expect(gf.accounts.find((a) => a.name === 'alerts-bot')?.role).toBe('Editor');
    expect(Date.parse(created.token.expiresAt!) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it('a duplicate token name is a conflict', async () => {
    await expect(grafanaProvider.create(ctx(), { name: 'alerts-bot', type: 'alerts-bot' })).rejects.toMatchObject({ code: 'remote-conflict' });
  });

  it('deactivates at the service-account level (declared honestly)', async () => {
    expect(grafanaProvider.capabilities.activate).toBe('service-account');
    await grafanaProvider.setActive!(ctx(), created.token.remoteId, false);
    expect((await grafanaProvider.list(ctx())).find((t) => t.remoteId === created.token.remoteId)?.status).toBe('inactive');
    await grafanaProvider.setActive!(ctx(), created.token.remoteId, true);
    expect((await grafanaProvider.list(ctx())).find((t) => t.remoteId === created.token.remoteId)?.status).toBe('active');
  });

  it('revokes; a wrong password is bad-credential', async () => {
    await grafanaProvider.revoke!(ctx(), created.token.remoteId);
    expect((await grafanaProvider.list(ctx())).some((t) => t.remoteId === created.token.remoteId)).toBe(false);
    await expect(grafanaProvider.list(connect('grafana', url, { username: gf.user, adminSecret: 'bad' }))).rejects.toMatchObject({ code: 'bad-credential' });
  });
});

describe('Grafana checkSecret (access-control/user/permissions)', () => {
  it('valid; inactive while its service account is disabled; refused once deleted; a 403 or fault is unknown', async () => {
    const t = (await grafanaProvider.create(ctx(), { name: 'check-me', scopes: ['Viewer'] })) as IssuedSecret<RemoteToken>;
    expect(await grafanaProvider.checkSecret!(ctx(), t.secret)).toEqual({ state: 'valid', limited: false });
    expect((await grafanaProvider.list(ctx())).find((x) => x.remoteId === t.token.remoteId)?.lastUsedAt).not.toBeNull();
    await grafanaProvider.setActive!(ctx(), t.token.remoteId, false);
    expect(await grafanaProvider.checkSecret!(ctx(), t.secret)).toEqual({ state: 'invalid', reason: 'inactive', status: 401 });
    await grafanaProvider.setActive!(ctx(), t.token.remoteId, true);
    gf.server.inject({ kind: 'status', status: 403, path: /permissions$/ });
    expect(await grafanaProvider.checkSecret!(ctx(), t.secret)).toMatchObject({ state: 'unknown', reason: 'unexpected-answer', status: 403 });
    gf.server.inject({ kind: 'reset-before', path: /permissions$/, times: 10 });
    expect(await grafanaProvider.checkSecret!(connect('grafana', url, { username: gf.user, adminSecret: gf.password }, { maxRetries: 1 }), t.secret)).toMatchObject({ state: 'unknown', reason: 'unreachable' });
    gf.server.clearFaults();
    await grafanaProvider.revoke!(ctx(), t.token.remoteId);
    expect(await grafanaProvider.checkSecret!(ctx(), t.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
  });
});
