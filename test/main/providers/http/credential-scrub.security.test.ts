import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrubSecrets, sentSecrets } from '../../../../src/main/providers/http/credential-scrub';
import { HttpClient } from '../../../../src/main/providers/http/http-client';

/**
 * Issue 10 item 12: a service that echoes a credential base64-, base64url- or hex-encoded (a debug dump of the raw
 * header, a JWT-ish error, a hex trace) must not get it into an error message. The token and password are chosen
 * so that base64 and base64url differ ('+', '/', '=' against '-', '_', no padding).
 */
const TOKEN = 's3cr?>>~~~et';
const USER = 'root';
const PASSWORD = 'pa?ss>>w~~d';

const forms = (text: string): string[] => {
  const b = Buffer.from(text, 'utf8');
  return [b.toString('base64'), b.toString('base64').replace(/=+$/, ''), b.toString('base64url'), b.toString('hex'), b.toString('hex').toUpperCase()];
};

describe('issue 10 item 12: the scrubber removes encoded forms of every credential the request carried', () => {
  it('sentSecrets lists base64, base64url and hex of a bearer token and of a Basic header\'s user:password and password', () => {
    const sent = sentSecrets({ authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`, 'private-token': TOKEN }, undefined, undefined);
    for (const f of [...forms(TOKEN), ...forms(PASSWORD), ...forms(`${USER}:${PASSWORD}`)]) expect(sent).toContain(f);
  });

  it('scrubSecrets cuts every encoded form out of a text', () => {
    const sent = sentSecrets({ authorization: `Bearer ${TOKEN}` }, { password: PASSWORD }, undefined);
    const text = `dump: ${forms(TOKEN).join(' | ')} and ${forms(PASSWORD).join(' | ')}`;
    const clean = scrubSecrets(text, sent) ?? '';
    for (const f of [...forms(TOKEN), ...forms(PASSWORD)]) expect(clean).not.toContain(f);
    expect(clean).toContain('[redacted]');
  });

  let server: Server;
  let url = '';
  beforeAll(async () => {
    // Answers 400 with every encoded form of whatever credential it was sent.
    server = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      const basic = /^Basic (.+)$/.exec(auth)?.[1];
      const raw = basic ? Buffer.from(basic, 'base64').toString('utf8') : (/^Bearer (.+)$/.exec(auth)?.[1] ?? '');
      const password = raw.includes(':') ? raw.slice(raw.indexOf(':') + 1) : raw;
      const echoed = [...forms(raw), ...forms(password)].join(' ; ');
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `bad credential, got ${echoed}` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const client = (headers: Record<string, string>) =>
    new HttpClient({ service: 'Echo', baseUrl: url, workspaceId: `ws-${Math.random()}`, rateLimit: { perSecond: 100, burst: 100 }, headers, maxRetries: 0 });

  it('a bearer token echoed encoded never reaches the error message', async () => {
    const error = (await client({ authorization: `Bearer ${TOKEN}` }).request({ method: 'GET', path: '/x', what: 'testing' }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    for (const f of forms(TOKEN)) expect(error.message).not.toContain(f);
  });

  it('a Basic password echoed encoded (alone or as user:password) never reaches the error message', async () => {
    const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const error = (await client({ authorization: basic }).request({ method: 'GET', path: '/x', what: 'testing' }).catch((e: unknown) => e)) as Error;
    for (const f of [...forms(PASSWORD), ...forms(`${USER}:${PASSWORD}`)]) expect(error.message).not.toContain(f);
  });
});
