import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteFailure } from '../../../../src/main/providers/http/remote-failure';
import { vaultProvider } from '../../../../src/main/providers/vault-provider';
import { connect } from '../provider-test-kit';

/** A self-signed certificate for 127.0.0.1, made now with openssl (Node cannot issue X.509 certificates itself). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } | string {
  const dir = mkdtempSync(join(tmpdir(), 'tv-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch (e) {
    return `openssl could not make a test certificate (${(e as Error).message})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ADMIN_SECRET = 'hvs.TLS-TEST-ADMIN-SECRET-0123456789';
const pair = selfSignedCertificate();
if (typeof pair === 'string') console.warn(`SKIPPED TLS tests: ${pair}`);

let server: Server | undefined;
let url = '';
let connections = 0;
let requests = 0;

beforeAll(async () => {
  if (typeof pair === 'string') return;
  server = createServer({ key: pair.key, cert: pair.cert }, (_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"keys":[]}}');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

describe.skipIf(typeof pair === 'string')('HTTP client: TLS failures', () => {
  it('a self-signed certificate maps to "tls": actionable, no secret, nothing sent, never retried', async () => {
    const ctx = connect('vault', url, { adminSecret: ADMIN_SECRET }, { maxRetries: 3 });
    const failure = await vaultProvider.list(ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(RemoteFailure);
    const f = failure as RemoteFailure;
    expect(f.code).toBe('tls');
    expect(f.message).toContain(`127.0.0.1:${new URL(url).port}`);
    expect(f.message).toMatch(/self-signed or issued by an authority this computer does not trust/);
    expect(f.message).toMatch(/Check the workspace URL/);
    expect(f.info.maybeApplied).toBeFalsy();
    for (const text of [f.message, JSON.stringify(f), String(f.stack)]) expect(text).not.toContain(ADMIN_SECRET);
    // The handshake failed before any HTTP request: the admin credential never left, and a TLS failure is not retried.
    expect(requests).toBe(0);
    expect(connections).toBe(1);
  });

  it('the same failure through verify (adding a workspace) keeps the code and the advice', async () => {
    const ctx = connect('vault', url, { adminSecret: ADMIN_SECRET });
    await expect(vaultProvider.verify(ctx)).rejects.toMatchObject({ code: 'tls', message: expect.stringMatching(/trusted authority/) });
    expect(requests).toBe(0);
  });
});
