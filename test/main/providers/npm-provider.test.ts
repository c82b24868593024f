import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmProvider } from '../../../src/main/providers/npm-provider';
import { contextFor, memoryLogin } from '../../../src/main/providers/provider-registry';
import type { IssuedSecret, ProviderContext, RemoteToken } from '../../../src/main/providers/provider-types';
import { ContractServer } from '../../servers/contract/contract-server';
import { addVerdaccioUser, freePort, serverInstalled, startVerdaccio, type RealServer } from '../../servers/real-servers';

const installed = serverInstalled('verdaccio');
if (!installed) process.stdout.write('SKIP npm-provider: run `node test/servers/install-servers.mjs` first\n');

describe.skipIf(!installed)('npm provider (real Verdaccio 6.8)', () => {
  let verdaccio: RealServer;
  const session = memoryLogin();
  let ctx: ProviderContext;
  beforeAll(async () => {
    verdaccio = await startVerdaccio();
    process.stdout.write(`verdaccio ready in ${verdaccio.startupMs} ms\n`);
    await addVerdaccioUser(verdaccio.url, 'alice', 'alice-pass-1');
    ctx = contextFor(npmProvider, { id: 'npm-test', name: 'npm', baseUrl: verdaccio.url, username: 'alice', adminSecret: 'alice-pass-1', options: {} }, session);
  });
  afterAll(() => verdaccio?.stop());

  it('logs in with the CouchDB user protocol and lists no tokens yet', async () => {
    expect(await npmProvider.verify(ctx)).toEqual({ account: 'alice' });
    expect(session.value).toMatchObject({ token: expect.any(String) });
    expect(await npmProvider.list(ctx)).toEqual([]);
  });

  let created: IssuedSecret<RemoteToken>;
  it('creates a read-only token: full secret once, masked in lists', async () => {
    created = (await npmProvider.create(ctx, { name: 'ci publish', type: 'read-only' })) as IssuedSecret<RemoteToken>;
    expect(created.secret.length).toBeGreaterThan(20);
    expect(created.token.name).toBe('ci publish');
    const listed = await npmProvider.list(ctx);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ remoteId: created.token.remoteId, type: 'read-only', status: 'active' });
    expect(listed[0]!.masked).toMatch(/^.{5}\.\.\..{5}$/);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const who = await fetch(`${verdaccio.url}/-/whoami`, { headers: { authorization: `Bearer ${created.secret}` } });
    expect(await who.json()).toEqual({ username: 'alice' });
  });

  it('checkSecret: whoami names the user for a working token; a made-up token gets 200 {} and is refused', async () => {
    expect(await npmProvider.checkSecret!(ctx, created.secret)).toEqual({ state: 'valid', limited: false });
    const bogus = await fetch(`${verdaccio.url}/-/whoami`, { headers: { authorization: 'Bearer bm90LWEtdG9rZW4tYXQtYWxs' } });
    // The quirk the check guards against, observed on this very server.
    expect(bogus.status).toBe(200);
    expect(await bogus.json()).toEqual({});
    expect(await npmProvider.checkSecret!(ctx, 'bm90LWEtdG9rZW4tYXQtYWxs')).toEqual({ state: 'invalid', reason: 'refused' });
  });

  it('checkSecret: a registry that is down or failing is unknown, never invalid', async () => {
    const down = contextFor(npmProvider, { id: 'npm-down', name: 'npm', baseUrl: `http://127.0.0.1:${await freePort()}`, username: 'alice', adminSecret: 'x', options: {} }, memoryLogin(), { maxRetries: 0 });
    expect(await npmProvider.checkSecret!(down, created.secret)).toMatchObject({ state: 'unknown', reason: 'unreachable' });
    const failing = new ContractServer([['GET', /^\/-\/whoami$/, () => ({ status: 503, json: { error: 'maintenance' } })]]);
    const failingUrl = await failing.start();
    try {
      const c = contextFor(npmProvider, { id: 'npm-503', name: 'npm', baseUrl: failingUrl, username: 'alice', adminSecret: 'x', options: {} }, memoryLogin(), { maxRetries: 1, backoffBaseMs: 5 });
      expect(await npmProvider.checkSecret!(c, created.secret)).toMatchObject({ state: 'unknown', reason: 'server-error', status: 503 });
    } finally {
      await failing.stop();
    }
  });

  it('maps a wrong password to bad-credential', async () => {
    const bad = contextFor(npmProvider, { id: 'npm-bad', name: 'npm', baseUrl: verdaccio.url, username: 'alice', adminSecret: 'nope-nope', options: {} }, memoryLogin());
    await expect(npmProvider.list(bad)).rejects.toMatchObject({ code: 'bad-credential' });
  });

  it('logs in again once when the stored session token is no longer valid', async () => {
    session.value = { token: 'bm90LWEtdG9rZW4=' };
    expect(await npmProvider.list(ctx)).toHaveLength(1);
    expect((session.value as { token: string }).token).not.toBe('bm90LWEtdG9rZW4=');
  });

  it('revokes by key; the revoked token is refused', async () => {
    await npmProvider.revoke!(ctx, created.token.remoteId);
    expect(await npmProvider.list(ctx)).toEqual([]);
    const res = await fetch(`${verdaccio.url}/-/npm/v1/tokens`, { headers: { authorization: `Bearer ${created.secret}` } });
    expect([401, 403]).toContain(res.status);
    const check = await npmProvider.checkSecret!(ctx, created.secret);
    expect(check).toMatchObject({ state: 'invalid', reason: 'refused' });
    process.stdout.write(`verdaccio whoami for a revoked token: ${JSON.stringify(check)}\n`);
  });

  it('declares no rotate, no expiry, no activation', () => {
    expect(npmProvider.capabilities).toMatchObject({ renew: 'none', expiry: 'none', activate: 'none', remoteNames: false });
  });
});
