import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureLogging, redactText } from '../../../src/main/log/redacting-logger';
import { listProviders } from '../../../src/main/providers/provider-registry';
import type { ProviderKind } from '../../../src/main/providers/provider-types';
import { SecretCheck } from '../../../src/shared/secret-check';
import { connect } from './provider-test-kit';

/**
 * A secret being checked travels in a header or a login body, and services repeat what they were sent in their
 * errors. This secret has no shape the redacting patterns know (short, with a space), so only cutting out the value
 * actually sent keeps it out of what a check returns and of every log line written meanwhile.
 */
const SECRET = 'tv s3cr3t!';
const encoded = [SECRET, encodeURIComponent(SECRET), JSON.stringify(SECRET).slice(1, -1)];

let echo: Server;
let echoUrl = '';
let status = 401;
beforeAll(async () => {
  // Every answer repeats the request's headers and body, with the status under test (and a zero wait on 429).
  echo = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const said = `you sent ${Buffer.concat(chunks).toString('utf8')} with ${JSON.stringify(req.headers)}`;
      const body = status === 200 ? { unexpected: said } : { message: said, error: { message: said }, errors: [said], detail: said };
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '0' } : {}) }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});
afterAll(() => echo.close());

const creds: Partial<Record<ProviderKind, { username?: string; adminSecret?: string }>> = {
  dockerhub: { username: 'someone', adminSecret: 'x' },
  datadog: { adminSecret: `${'a'.repeat(32)}:${'b'.repeat(40)}` },
  npm: { username: 'u', adminSecret: 'p' },
};

describe('checking a secret never puts it in a result or a log line', () => {
  const lines: string[] = [];
  beforeAll(() => configureLogging({ level: 'debug', sink: (line) => lines.push(line) }));
  afterAll(() => configureLogging({ level: 'warn', sink: (line) => process.stderr.write(`${line}\n`) }));

  const checkable = listProviders().filter((p) => p.checkSecret);
  it('every provider can check a secret', () => {
    expect(checkable.map((p) => p.kind).sort()).toEqual(listProviders().map((p) => p.kind).sort());
  });

  it.each([200, 400, 401, 403, 404, 422, 429, 500, 502])('HTTP %s echoing the request, for every provider and token type', async (code) => {
    status = code;
    lines.length = 0;
    for (const provider of checkable) {
      for (const type of [undefined, ...provider.capabilities.types]) {
        const ctx = connect(provider.kind, echoUrl, creds[provider.kind] ?? { adminSecret: 'admin' }, { maxRetries: 1, backoffBaseMs: 1, rateLimit: { perSecond: 1000, burst: 1000 } });
        const result = await provider.checkSecret!(ctx, SECRET, { type: type ?? null });
        expect(SecretCheck.safeParse(result).success, `${provider.kind} returned a well-formed check`).toBe(true);
        // A service that answered with an error never yields "valid"; only 401 (or a documented meaning) yields "invalid".
        if (code >= 500 || code === 429 || code === 404) expect(result.state, `${provider.kind} ${code}`).not.toBe('invalid');
        for (const s of encoded) {
          expect(JSON.stringify(result), `${provider.kind} result`).not.toContain(s);
          expect(lines.join('\n'), `${provider.kind} log`).not.toContain(s);
        }
      }
    }
  });

  it('GitHub revocation errors that echo the secret keep it out of the message', async () => {
    const github = listProviders().find((p) => p.kind === 'github')!;
    for (const code of [400, 403, 422, 500]) {
      status = code;
      const err = await github.revokeSecret!(connect('github', echoUrl, {}, { maxRetries: 0 }), SECRET).catch((e: unknown) => e);
      for (const s of encoded) expect(JSON.stringify({ message: (err as Error).message, info: (err as { info?: unknown }).info })).not.toContain(s);
    }
  });
});

describe('secrets a service itself puts in an error body (not ones we sent)', () => {
  it('the new issuers\' token shapes are redacted by shape', () => {
    for (const secret of ['dckr_pat_2b3c4d5e6f7a8b9c0d1e', 'dckr_oat_2b3c4d5e6f7a8b9c0d1e', 'HRKU-6f1b2c3d-aaaa-bbbb-cccc-0123456789ab', 'gho_16C7e42F292c6912E7710c838347Ae178B4a', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a']) {
      expect(redactText(`created ${secret} but failed`)).toBe('created [redacted] but failed');
    }
  });

  it('a Docker Hub error that shows a freshly made token keeps it out of the message', async () => {
    const leaked = 'dckr_pat_Zq8r2NwX5p0AbCdEfGh1';
    status = 500;
    const server = createServer((req, res) => {
      if (req.url === '/v2/auth/token') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"jwt"}');
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `token ${leaked} was created but could not be saved` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const provider = listProviders().find((p) => p.kind === 'dockerhub')!;
      const ctx = connect('dockerhub', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, { username: 'u', adminSecret: 'p' }, { maxRetries: 0 });
      const err = await provider.create(ctx, { name: 'x' }).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/rejected the request/);
      expect(JSON.stringify({ m: (err as Error).message, i: (err as { info?: unknown }).info })).not.toContain(leaked);
    } finally {
      server.close();
    }
  });
});

