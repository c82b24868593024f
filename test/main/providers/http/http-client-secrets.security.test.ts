import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cloudflareProvider } from '../../../../src/main/providers/cloudflare-provider';
import { giteaProvider } from '../../../../src/main/providers/gitea-provider';
import { HttpClient } from '../../../../src/main/providers/http/http-client';
import { RemoteFailure } from '../../../../src/main/providers/http/remote-failure';
import { assertSafeUrl } from '../../../../src/main/providers/http/url-policy';
import { connect } from '../provider-test-kit';

/**
 * Services echo what they were sent ("invalid password 'hunter2'", the whole request in a 422). A short password or
 * a token without a known prefix has no shape the redacting patterns could catch, so these secrets are chosen to
 * slip past patterns: only cutting out the values actually sent keeps them out of messages.
 */
const PASSWORD = 'hunter2 pw!';
const BEARER = 'adm1n-tok';
const PRIVATE = 'pt-0042-x';
const COOKIE = 'sess=c00kie-val';
const ALL = [PASSWORD, BEARER, PRIVATE, 'c00kie-val', Buffer.from(`root:${PASSWORD}`).toString('base64')];

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let echo: Server;
let elsewhere: Server;
let echoUrl = '';
let elsewhereUrl = '';
const elsewhereSaw: string[] = [];

beforeAll(async () => {
  // Answers the status named in the path with an error that repeats the request's headers and body.
  echo = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/cross-307') return void res.writeHead(307, { location: `${elsewhereUrl}/landing` }).end();
      if (url.pathname === '/cross-303') return void res.writeHead(303, { location: `${elsewhereUrl}/landing` }).end();
      const said = `you sent ${body} with ${JSON.stringify(req.headers)}`;
      if (url.pathname === '/client/v4/user/tokens/verify') {
        // Cloudflare: success false inside a 200, the error repeating the token.
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ success: false, errors: [{ code: 1000, message: `Invalid API Token ${req.headers.authorization}` }], result: { id: 'x', status: 'active' } }));
      }
      const status = Number(/^\/(\d{3})/.exec(url.pathname)?.[1] ?? 403);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: said }));
    });
  });
  elsewhere = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      elsewhereSaw.push(`${req.method} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  // "localhost" vs 127.0.0.1: another origin.
  elsewhereUrl = `http://localhost:${(elsewhere.address() as AddressInfo).port}`;
});
afterAll(() => {
  echo.close();
  elsewhere.close();
});

const client = () =>
  new HttpClient({
    service: 'Echo',
    baseUrl: echoUrl,
    workspaceId: `echo-${Math.random()}`,
    rateLimit: { perSecond: 100, burst: 100 },
    maxRetries: 0,
    headers: { authorization: `Bearer ${BEARER}`, 'PRIVATE-TOKEN': PRIVATE },
  });

async function failureOf(p: Promise<unknown>): Promise<RemoteFailure> {
  const e = await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RemoteFailure);
  return e as RemoteFailure;
}

const expectClean = (text: string) => {
  for (const s of ALL) expect(text, `leaked ${s}`).not.toContain(s);
};

describe('remote error bodies never carry a sent secret into a message', () => {
  it.each([400, 401, 403, 404, 409, 418, 422])('HTTP %s echoing headers and a password body', async (status) => {
    const err = await failureOf(
      client().request({ method: 'POST', path: `/${status}`, headers: { cookie: COOKIE }, json: { email: 'a@b.c', password: PASSWORD }, what: 'logging in' }),
    );
    expectClean(err.message);
    expectClean(JSON.stringify(err.info));
    // The service's words are still there, minus the secrets.
    expect(err.info.detail ?? '').toContain('you sent');
  });

  it('a form body with a password field is cut out too', async () => {
    const err = await failureOf(client().request({ method: 'POST', path: '/400', body: new URLSearchParams({ user: 'root', password: PASSWORD }).toString(), what: 'logging in' }));
    expectClean(err.message);
    expect(err.message).not.toContain('hunter2');
  });

  it('a one-character credential drops the detail instead of mangling it', () => {
    const c = new HttpClient({ service: 'Echo', baseUrl: echoUrl, workspaceId: 'short', rateLimit: { perSecond: 1, burst: 1 }, headers: { authorization: 'Bearer q' } });
    expect(c.safeDetail('the token q is wrong')).toBeUndefined();
    expect(c.safeDetail('nothing secret here')).toBe('nothing secret here');
  });

  it('Gitea (Basic auth): a 403 repeating the Authorization header names no password', async () => {
    const ctx = connect('gitea', `${echoUrl}/403`, { username: 'root', adminSecret: PASSWORD }, { maxRetries: 0 });
    const err = await failureOf(giteaProvider.list(ctx));
    expect(err.code).toBe('remote-forbidden');
    expectClean(err.message);
    expectClean(JSON.stringify(err.info));
  });

  it('Cloudflare: success:false repeating the API token names no token', async () => {
    const ctx = connect('cloudflare', `${echoUrl}/client/v4`, { adminSecret: BEARER });
    const err = await failureOf(cloudflareProvider.verify(ctx));
    expect(err.message).toContain('error 1000');
    expectClean(err.message);
  });
});

describe('redirects never carry a credential to another host', () => {
  it('refuses a cross-origin 307 that would resend a password body', async () => {
    elsewhereSaw.length = 0;
    const err = await failureOf(client().request({ method: 'POST', path: '/cross-307', json: { password: PASSWORD }, what: 'logging in', schema: z.object({ ok: z.boolean() }) }));
    expect(err.code).toBe('unexpected-response');
    expectClean(err.message);
    expect(elsewhereSaw).toEqual([]);
  });

  it('a cross-origin 303 drops the body and the credentials (GET, nothing secret sent)', async () => {
    elsewhereSaw.length = 0;
    await client().request({ method: 'POST', path: '/cross-303', json: { password: PASSWORD }, what: 'logging in', schema: z.object({ ok: z.boolean() }) });
    expect(elsewhereSaw).toEqual(['GET ']);
  });
});

describe('service URLs', () => {
  it('refuses a URL with a user name or password in it, without repeating it', () => {
    for (const url of ['https://admin:s3cr3t-pw@gitlab.example.com', 'http://tok3n@127.0.0.1:8080']) {
      let message = '';
      try {
        assertSafeUrl(url);
      } catch (e) {
        message = (e as Error).message;
        expect(e).toMatchObject({ code: 'invalid-argument' });
      }
      expect(message).not.toBe('');
      expect(message).not.toMatch(/s3cr3t|tok3n/);
    }
  });
});
