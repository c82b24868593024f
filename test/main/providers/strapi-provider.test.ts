import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, memoryLogin } from '../../../src/main/providers/provider-registry';
import { isLostCreate, type IssuedSecret, type RemoteToken, type ProviderContext } from '../../../src/main/providers/provider-types';
import { StrapiSession, strapiProvider } from '../../../src/main/providers/strapi-provider';
import { countingProxy, serverInstalled, type StrapiServer } from '../../servers/real-servers';
import { leaseStrapi } from '../../servers/strapi-lease';

/** Against a real Strapi 5.54 (test/servers/strapi), through a proxy that counts logins. */
const installed = serverInstalled('strapi');
if (!installed) process.stdout.write('SKIP strapi-provider: run `node test/servers/install-servers.mjs` first\n');

describe.skipIf(!installed)('Strapi provider (real Strapi 5.54)', () => {
  let strapi: StrapiServer;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  // One session for the whole file: Strapi allows 5 logins per 5 minutes.
  const session = memoryLogin();
  let ctx: ProviderContext;
  const logins = () => proxy.paths.filter((p) => p === 'POST /admin/login').length;

  beforeAll(async () => {
    strapi = await leaseStrapi();
    process.stdout.write(`strapi lent in ${strapi.startupMs} ms (create-user ${strapi.createUserMs} ms)\n`);
    proxy = await countingProxy(strapi.url);
    ctx = contextFor(strapiProvider, { id: 'strapi-test', name: 'strapi', baseUrl: proxy.url, username: strapi.email, adminSecret: strapi.password, options: {} }, session);
  });
  afterAll(async () => {
    await proxy?.stop();
    await strapi?.stop();
  });

  it('logs in once and lists the built-in tokens', async () => {
    expect(await strapiProvider.verify(ctx)).toEqual({ account: strapi.email });
    const tokens = await strapiProvider.list(ctx);
    expect(tokens.map((t) => t.name).sort()).toEqual(['Full Access', 'Read Only']);
    expect(tokens.every((t) => t.expiresAt === null && t.status === 'active')).toBe(true);
    expect(logins()).toBe(1);
    expect(StrapiSession.safeParse(session.value).success).toBe(true);
  });

  let created: IssuedSecret<RemoteToken>;
  it('creates a 7-day read-only token and returns its access key once', async () => {
    const out = await strapiProvider.create(ctx, { name: 'ci-reader', description: 'for CI', expiryPreset: '7d', type: 'read-only' });
    expect(isLostCreate(out)).toBe(false);
    created = out as IssuedSecret<RemoteToken>;
    expect(created.secret).toMatch(/^[0-9a-f]{256}$/);
    expect(Date.parse(created.token.expiresAt!) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const res = await fetch(`${strapi.url}/api/articles`, { headers: { authorization: `Bearer ${created.secret}` } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await strapiProvider.list(ctx))).not.toContain(created.secret);
  });

  it('checkSecret on /api/i18n/locales: a read-only token may not read locales (403) and counts as valid but limited', async () => {
    expect(await strapiProvider.checkSecret!(ctx, created.secret)).toEqual({ state: 'valid', limited: true });
    const onArticles = contextFor(strapiProvider, { id: 'strapi-test', name: 'strapi', baseUrl: strapi.url, username: strapi.email, adminSecret: strapi.password, options: { checkPath: '/api/articles' } }, session);
    expect(await strapiProvider.checkSecret!(onArticles, created.secret)).toEqual({ state: 'valid', limited: false });
    expect(await strapiProvider.checkSecret!(ctx, 'f'.repeat(256))).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
    // A path that does not exist answers 404 for every token: no verdict.
    const nowhere = contextFor(strapiProvider, { id: 'strapi-test', name: 'strapi', baseUrl: strapi.url, username: strapi.email, adminSecret: strapi.password, options: { checkPath: '/api/nothing-here' } }, session);
    expect(await strapiProvider.checkSecret!(nowhere, created.secret)).toMatchObject({ state: 'unknown', reason: 'unexpected-answer', status: 404 });
  });

  it('refuses a lifetime Strapi does not offer, and a taken name', async () => {
    await expect(strapiProvider.create(ctx, { name: 'odd', expiryPreset: '1y' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(strapiProvider.create(ctx, { name: 'ci-reader', expiryPreset: '7d' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/Name already taken/) });
  });

  it('regenerates: new key, old key rejected, expiry NOT extended (declared)', async () => {
    expect(strapiProvider.capabilities.renewKeepsExpiry).toBe(true);
    const renewed = await strapiProvider.renew!(ctx, created.token.remoteId);
    expect(renewed.secret).not.toBe(created.secret);
    expect(renewed.token.expiresAt).toBe(created.token.expiresAt);
    expect((await fetch(`${strapi.url}/api/articles`, { headers: { authorization: `Bearer ${created.secret}` } })).status).toBe(401);
    expect((await fetch(`${strapi.url}/api/articles`, { headers: { authorization: `Bearer ${renewed.secret}` } })).status).toBe(200);
    expect(await strapiProvider.checkSecret!(ctx, created.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
    expect(await strapiProvider.checkSecret!(ctx, renewed.secret)).toMatchObject({ state: 'valid' });
    created = { ...created, secret: renewed.secret };
  });

  it('refreshes an expired admin session with the cookie, without logging in again', async () => {
    const before = logins();
    const stale = StrapiSession.parse(session.value);
    // Pretend the access JWT expired: a garbage JWT marked as still valid forces a 401 -> refresh path.
    session.value = { ...stale, jwt: 'expired.jwt.value', jwtExpiresAt: Date.now() + 3_600_000 };
    const tokens = await strapiProvider.list(ctx);
    expect(tokens.length).toBe(3);
    expect(logins()).toBe(before);
    expect(proxy.paths.filter((p) => p === 'POST /admin/access-token').length).toBeGreaterThanOrEqual(1);
    expect(StrapiSession.parse(session.value).jwt).not.toBe('expired.jwt.value');
  });

  it('reuses a stored session from another "process" (a fresh context) without a login', async () => {
    const before = logins();
    const other = contextFor(strapiProvider, { id: 'strapi-test-2', name: 'strapi', baseUrl: proxy.url, username: strapi.email, adminSecret: strapi.password, options: {} }, memoryLogin(session.value));
    await strapiProvider.list(other);
    expect(logins()).toBe(before);
  });

  it('logs in exactly once when both JWT and refresh cookie are dead, and never loops on a wrong password', async () => {
    const before = logins();
    session.value = { jwt: 'dead', cookie: 'strapi_admin_refresh=dead', jwtExpiresAt: Date.now() + 3_600_000 };
    await strapiProvider.list(ctx);
    expect(logins() - before).toBe(1);
    const wrong = contextFor(strapiProvider, { id: 'strapi-wrong', name: 'strapi', baseUrl: proxy.url, username: strapi.email, adminSecret: 'Wrong-passw0rd', options: {} }, memoryLogin());
    const err = await strapiProvider.list(wrong).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'bad-credential' });
    expect((err as Error).message).not.toContain('Wrong-passw0rd');
    expect(logins() - before).toBe(2);
  });

  it('revokes a token (and a second revoke is harmless)', async () => {
    await strapiProvider.revoke!(ctx, created.token.remoteId);
    await strapiProvider.revoke!(ctx, created.token.remoteId);
    expect((await strapiProvider.list(ctx)).map((t) => t.name)).not.toContain('ci-reader');
    expect(await strapiProvider.checkSecret!(ctx, created.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
  });
});
