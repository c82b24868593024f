import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmProvider } from '../../../src/main/providers/npm-provider';
import { contextFor, memoryLogin } from '../../../src/main/providers/provider-registry';
import type { IssuedSecret, ProviderContext, RemoteToken } from '../../../src/main/providers/provider-types';
import { addVerdaccioUser, serverInstalled, startVerdaccio, type RealServer } from '../../servers/real-servers';

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
  });

  it('declares no rotate, no expiry, no activation', () => {
    expect(npmProvider.capabilities).toMatchObject({ renew: 'none', expiry: 'none', activate: 'none', remoteNames: false });
  });
});
