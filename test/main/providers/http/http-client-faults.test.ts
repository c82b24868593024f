import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { giteaProvider } from '../../../../src/main/providers/gitea-provider';
import { HttpClient } from '../../../../src/main/providers/http/http-client';
import { parseWaitHeader } from '../../../../src/main/providers/http/retry-headers';
import { assertSafeUrl } from '../../../../src/main/providers/http/url-policy';
import { isLostCreate, type LostCreate } from '../../../../src/main/providers/provider-types';
import { vaultProvider } from '../../../../src/main/providers/vault-provider';
import { createGiteaServer } from '../../../servers/contract/gitea-server';
import { createVaultServer } from '../../../servers/contract/vault-server';
import { connect } from '../provider-test-kit';

const gitea = createGiteaServer();
const vault = createVaultServer();
let giteaUrl = '';
let vaultUrl = '';
beforeAll(async () => {
  giteaUrl = await gitea.server.start();
  vaultUrl = await vault.server.start();
});
afterAll(async () => {
  await gitea.server.stop();
  await vault.server.stop();
});
beforeEach(() => {
  gitea.server.clearFaults();
  vault.server.clearFaults();
});

const giteaCtx = (overrides = {}) => connect('gitea', giteaUrl, { username: gitea.user, adminSecret: gitea.password }, overrides);
const vaultCtx = (overrides = {}) => connect('vault', vaultUrl, { adminSecret: vault.rootToken }, overrides);
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string; message?: string }) => e.code ?? String(e));

describe('HTTP client faults', () => {
  it('times out a slow answer, then retries an idempotent list and succeeds', async () => {
    gitea.add('slow-one');
    gitea.server.inject({ kind: 'delay', method: 'GET', path: /tokens$/, ms: 600 });
    const tokens = await giteaProvider.list(giteaCtx({ timeoutMs: 300 }));
    expect(tokens.map((t) => t.name)).toContain('slow-one');
    expect(gitea.server.count('GET', /tokens$/)).toBeGreaterThanOrEqual(2);
  });

  it('reports timeout when every attempt is too slow', async () => {
    gitea.server.inject({ kind: 'delay', method: 'GET', path: /tokens$/, ms: 400, times: 10 });
    expect(await codeOf(giteaProvider.list(giteaCtx({ timeoutMs: 150, maxRetries: 1 })))).toBe('timeout');
  });

  it('retries a 5xx on a list, but fails with server-error when it persists', async () => {
    gitea.server.inject({ kind: 'status', status: 502, method: 'GET', path: /tokens$/ });
    await expect(giteaProvider.list(giteaCtx())).resolves.toBeInstanceOf(Array);
    gitea.server.inject({ kind: 'status', status: 500, method: 'GET', path: /tokens$/, times: 10 });
    expect(await codeOf(giteaProvider.list(giteaCtx({ maxRetries: 2 })))).toBe('server-error');
  });

  it('never retries a create on 5xx', async () => {
    const before = gitea.server.count('POST', /tokens$/);
    gitea.server.inject({ kind: 'status', status: 503, method: 'POST', path: /tokens$/ });
    expect(await codeOf(giteaProvider.create(giteaCtx(), { name: 'no-retry' }))).toBe('server-error');
    expect(gitea.server.count('POST', /tokens$/) - before).toBe(1);
  });

  it('maps malformed JSON to unexpected-response', async () => {
    gitea.server.inject({ kind: 'malformed', method: 'GET', path: /tokens$/ });
    expect(await codeOf(giteaProvider.list(giteaCtx()))).toBe('unexpected-response');
  });

  it('refuses an oversized answer with unexpected-response', async () => {
    gitea.server.inject({ kind: 'oversized', method: 'GET', path: /tokens$/, bytes: 3 * 1024 * 1024 });
    const err = await giteaProvider.list(giteaCtx({ maxBodyBytes: 1024 * 1024 })).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'unexpected-response' });
    expect((err as Error).message).toMatch(/larger than/);
  });

  it('reconciles a create whose answer was lost by listing, never creating twice', async () => {
    const before = gitea.tokens.length;
    const posts = gitea.server.count('POST', /tokens$/);
    gitea.server.inject({ kind: 'reset-after', method: 'POST', path: /tokens$/ });
    const out = await giteaProvider.create(giteaCtx(), { name: 'lost-answer' });
    expect(isLostCreate(out)).toBe(true);
    const lost = out as LostCreate;
    expect(lost.token?.name).toBe('lost-answer');
    expect(lost.message).toMatch(/answer was lost/);
    expect(gitea.tokens.length - before).toBe(1);
    expect(gitea.server.count('POST', /tokens$/) - posts).toBe(1);
  });

  it('says clearly when a lost create cannot be found at the service', async () => {
    gitea.server.inject({ kind: 'reset-before', method: 'POST', path: /tokens$/ });
    const out = (await giteaProvider.create(giteaCtx(), { name: 'never-made' })) as LostCreate;
    expect(out.lost).toBe(true);
    expect(out.token).toBeNull();
    expect(out.message).toMatch(/lists no such token/);
  });

  it('reconciles a timed-out Vault create by accessor metadata', async () => {
    vault.server.inject({ kind: 'delay', method: 'POST', path: /create-orphan$/, ms: 500 });
    const out = (await vaultProvider.create(vaultCtx({ timeoutMs: 200 }), { name: 'slow-create' })) as LostCreate;
    await new Promise((r) => setTimeout(r, 400));
    expect(out.lost).toBe(true);
    // Whether the server had finished by the time we listed decides found/not found; never two tokens.
    expect(vault.tokens.filter((t) => t.meta?.token_vault_name === 'slow-create')).toHaveLength(1);
  });

  it('honours a 429 Retry-After in seconds before retrying a list', async () => {
    gitea.server.inject({ kind: 'status', status: 429, retryAfter: '1', method: 'GET', path: /tokens$/ });
    const started = Date.now();
    await giteaProvider.list(giteaCtx());
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('honours a 503 Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 1500).toUTCString();
    gitea.server.inject({ kind: 'status', status: 503, retryAfter: at, method: 'GET', path: /tokens$/ });
    const started = Date.now();
    await giteaProvider.list(giteaCtx());
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(parseWaitHeader('120')).toBe(120_000);
  });

  it('does not retry a create on 429: rate-limited with the wait in the message', async () => {
    gitea.server.inject({ kind: 'status', status: 429, retryAfter: '7', method: 'POST', path: /tokens$/ });
    const err = await giteaProvider.create(giteaCtx(), { name: 'limited' }).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'rate-limited' });
    expect((err as Error).message).toMatch(/7 s/);
  });

  it('refuses a port of another protocol (fetch\'s "bad port") as invalid-argument, nothing sent, no secret', async () => {
    // The refused connection itself is in http-client-waits.test.ts (a closed port is connection-refused).
    const ctx = connect('gitea', 'http://127.0.0.1:9/', { username: 'u', adminSecret: 'super-secret-password-value' }, { maxRetries: 3 });
    const err = await giteaProvider.list(ctx).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'invalid-argument' });
    expect((err as Error).message).toMatch(/port 9/);
    expect((err as Error).message).not.toContain('super-secret');
  });

  it('validates responses with zod (a wrong shape is unexpected-response)', async () => {
    const client = new HttpClient({ service: 'Test', baseUrl: giteaUrl, workspaceId: 'zod', rateLimit: { perSecond: 100, burst: 100 }, headers: { authorization: `Basic ${Buffer.from(`${gitea.user}:${gitea.password}`).toString('base64')}` } });
    expect(await codeOf(client.request({ method: 'GET', path: '/api/v1/user', schema: z.object({ nope: z.number() }), what: 'testing' }))).toBe('unexpected-response');
  });
});

describe('URLs and redirects', () => {
  let other: Server;
  let redirector: Server;
  let otherUrl = '';
  let redirectorUrl = '';
  const seen: (string | undefined)[] = [];
  beforeAll(async () => {
    other = createServer((req, res) => {
      seen.push(req.headers.authorization ?? req.headers['x-vault-token']?.toString());
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    redirector = createServer((req, res) => {
      if (req.url === '/same') return void res.writeHead(307, { location: '/final' }).end();
      if (req.url === '/final') {
        seen.push(`same:${req.headers.authorization}`);
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
      if (req.url === '/insecure') return void res.writeHead(302, { location: 'http://example.com/steal' }).end();
      res.writeHead(302, { location: `${otherUrl}/landing` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    // "localhost" vs 127.0.0.1: another origin for the redirect check.
    redirectorUrl = `http://localhost:${(redirector.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    other.close();
    redirector.close();
  });
  const client = () => new HttpClient({ service: 'Test', baseUrl: redirectorUrl, workspaceId: 'redirects', rateLimit: { perSecond: 100, burst: 100 }, headers: { authorization: 'Bearer top-secret-admin', 'x-vault-token': 'hvs.top-secret' } });

  it('drops Authorization and X-Vault-Token when a redirect leads to another host', async () => {
    seen.length = 0;
    await client().request({ method: 'GET', path: '/elsewhere', schema: z.object({ ok: z.boolean() }), what: 'testing' });
    expect(seen).toEqual([undefined]);
  });

  it('keeps credentials on a same-origin redirect', async () => {
    seen.length = 0;
    await client().request({ method: 'GET', path: '/same', schema: z.object({ ok: z.boolean() }), what: 'testing' });
    expect(seen).toEqual(['same:Bearer top-secret-admin']);
  });

  it('refuses a redirect to plain http on a non-loopback host', async () => {
    expect(await codeOf(client().request({ method: 'GET', path: '/insecure', what: 'testing' }))).toBe('insecure-url');
  });

  it('allows plain http only to loopback hosts', () => {
    for (const ok of ['http://127.0.0.1:8080', 'http://127.5.6.7', 'http://localhost:3000', 'http://[::1]:9000', 'https://example.com']) expect(() => assertSafeUrl(ok)).not.toThrow();
    for (const bad of ['http://example.com', 'http://10.0.0.1', 'http://128.0.0.1', 'http://localhost.evil.com', 'ftp://127.0.0.1']) {
      expect(() => assertSafeUrl(bad), bad).toThrow(expect.objectContaining({ code: 'insecure-url' }));
    }
    expect(() => connect('gitlab', 'http://gitlab.example.com', { adminSecret: 'x' })).toThrow(expect.objectContaining({ code: 'insecure-url' }));
  });
});
