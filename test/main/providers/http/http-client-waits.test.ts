import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OperationDto } from '../../../../src/shared/ipc/operations-channels';
import { bucketFor } from '../../../../src/main/providers/http/rate-limiter';
import { giteaProvider } from '../../../../src/main/providers/gitea-provider';
import { contextFor, getProvider, memoryLogin, type ClientOverrides } from '../../../../src/main/providers/provider-registry';
import { isLostCreate, type LostCreate } from '../../../../src/main/providers/provider-types';
import { RemoteOperations } from '../../../../src/main/use-cases/remote-operations';
import { createGiteaServer } from '../../../servers/contract/gitea-server';
import { connect } from '../provider-test-kit';

/**
 * Defect 5 of issue 12: the HTTP client's waits are observable (the window counts them down) and abortable (a cancel
 * channel), and a request that got no answer says why, each cause its own code, against real sockets.
 */

const gitea = createGiteaServer();
let giteaUrl = '';
let silent: Server;
let silentUrl = '';
const held: Socket[] = [];
beforeAll(async () => {
  giteaUrl = await gitea.server.start();
  // Accepts connections and never answers a byte: what a hung service looks like.
  silent = createServer((socket) => void held.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await gitea.server.stop();
  held.forEach((s) => s.destroy());
  await new Promise<void>((r) => silent.close(() => r()));
});
beforeEach(() => gitea.server.clearFaults());

type Failure = Error & { code: string; info?: { maybeApplied?: boolean } };
const failureOf = (p: Promise<unknown>): Promise<Failure> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Failure) => e,
  );

/** A port nothing listens on: bound, then closed, so the kernel refuses it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('no answer: each cause its own code, against a real socket', () => {
  const creds = { username: 'u', adminSecret: 'super-secret-password-value' };

  it('a closed port is connection-refused, nothing sent, no secret in the message', async () => {
    const port = await closedPort();
    const err = await failureOf(giteaProvider.list(connect('gitea', `http://127.0.0.1:${port}/`, creds, { maxRetries: 0 })));
    expect(err.code).toBe('connection-refused');
    expect(err.info?.maybeApplied).toBe(false);
    expect(err.message).toMatch(/refused/);
    expect(err.message).not.toContain('super-secret');
  });

  it('a server that never answers is timeout', async () => {
    const err = await failureOf(giteaProvider.list(connect('gitea', silentUrl, creds, { maxRetries: 0, timeoutMs: 300 })));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not answer in time/);
  });

  it('an unresolvable .invalid host is host-not-found, never retried', async () => {
    const err = await failureOf(giteaProvider.list(connect('gitea', 'https://token-vault-test.invalid/', creds, { maxRetries: 3 })));
    expect(err.code).toBe('host-not-found');
    expect(err.message).toContain('token-vault-test.invalid');
    expect(err.message).not.toContain('super-secret');
  });

  // The self-signed TLS server is in http-client-tls.test.ts ("tls", never retried); the four codes differ:
  it('the codes are distinct words in the shared list', async () => {
    const { ERROR_CODES } = await import('../../../../src/shared/result');
    for (const code of ['connection-refused', 'host-not-found', 'timeout', 'tls', 'cancelled', 'network']) expect(ERROR_CODES).toContain(code);
  });
});

/** One workspace's context (a fixed id: requests of one workspace share its rate-limit bucket). */
function giteaAt(workspaceId: string, overrides: ClientOverrides = {}) {
  return contextFor(
    getProvider('gitea'),
    { id: workspaceId, name: 'gitea-waits', baseUrl: giteaUrl, username: gitea.user, adminSecret: gitea.password, options: {} },
    memoryLogin(),
    { backoffBaseMs: 5, timeoutMs: 5_000, ...overrides },
  );
}

function recorder() {
  const events: OperationDto[][] = [];
  const ops = new RemoteOperations((event, payload) => {
    if (event === 'operations:changed') events.push((payload as { operations: OperationDto[] }).operations);
  });
  const waitingSeen = () => events.flat().find((o) => o.waitingUntil !== null);
  return { ops, events, waitingSeen };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('observable and abortable waits', () => {
  it('a create behind a 429 Retry-After 60 announces when it resumes; cancelling sends nothing', async () => {
    const workspaceId = randomUUID();
    // A listing met the 429 first: too long to wait inside one call, so it fails and the bucket stays paused 60 s.
    gitea.server.inject({ kind: 'status', status: 429, retryAfter: '60', method: 'GET', path: /tokens$/ });
    expect((await failureOf(giteaProvider.list(giteaAt(workspaceId)))).code).toBe('rate-limited');

    const { ops, events, waitingSeen } = recorder();
    const posts = gitea.server.count('POST', /tokens$/);
    const started = Date.now();
    const create = ops.run({ workspaceId, service: 'Gitea', kind: 'create' }, (overrides) => giteaProvider.create(giteaAt(workspaceId, overrides), { name: 'behind-429' }));
    await until(() => waitingSeen() !== undefined);
    const waiting = waitingSeen()!;
    expect(waiting).toMatchObject({ workspaceId, service: 'Gitea', kind: 'create', cancellable: true });
    const resumesIn = Date.parse(waiting.waitingUntil!) - started;
    expect(resumesIn).toBeGreaterThan(55_000);
    expect(resumesIn).toBeLessThanOrEqual(61_000);
    // Nothing an event carries is a secret or a URL.
    expect(JSON.stringify(events)).not.toContain(gitea.password);
    expect(JSON.stringify(events)).not.toContain(giteaUrl);

    expect(ops.cancel(waiting.id)).toBe(true);
    const err = await failureOf(create);
    expect(err.code).toBe('cancelled');
    expect(err.info?.maybeApplied).toBe(false);
    expect(err.message).toMatch(/nothing was sent/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(gitea.server.count('POST', /tokens$/)).toBe(posts);
    expect(gitea.tokens.some((t) => t.name === 'behind-429')).toBe(false);
    // The operation is gone from the list, and a second cancel is refused.
    expect(events.at(-1)).toEqual([]);
    expect(ops.cancel(waiting.id)).toBe(false);
  });

  it('a cancelled wait leaves the bucket usable for others of the same workspace', async () => {
    const workspaceId = randomUUID();
    const { ops, waitingSeen } = recorder();
    const ctx = giteaAt(workspaceId);
    const rate = getProvider('gitea').rateLimit;
    bucketFor(workspaceId, rate.perSecond, rate.burst).pauseUntil(Date.now() + 1500);
    const first = ops.run({ workspaceId, service: 'Gitea', kind: 'sync' }, (overrides) => giteaProvider.list(giteaAt(workspaceId, overrides)));
    await until(() => waitingSeen() !== undefined);
    ops.cancel(waitingSeen()!.id);
    expect((await failureOf(first)).code).toBe('cancelled');
    await expect(giteaProvider.list(ctx)).resolves.toBeInstanceOf(Array);
  });

  it('a create cancelled after its request went out is reconciled by listing (the cancel does not stop the listing), never twice', async () => {
    const workspaceId = randomUUID();
    gitea.server.inject({ kind: 'delay', method: 'POST', path: /tokens$/, ms: 800 });
    const { ops, events } = recorder();
    const posts = gitea.server.count('POST', /tokens$/);
    const gets = gitea.server.count('GET', /tokens$/);
    const run = ops.run({ workspaceId, service: 'Gitea', kind: 'create' }, (overrides) => giteaProvider.create(giteaAt(workspaceId, overrides), { name: 'cancelled-in-flight' }));
    await until(() => gitea.server.count('POST', /tokens$/) > posts);
    const id = events.at(-1)![0]!.id;
    expect(ops.cancel(id)).toBe(true);
    const out = await run;
    expect(isLostCreate(out)).toBe(true);
    expect((out as LostCreate).cause).toBe('cancelled');
    expect(gitea.server.count('GET', /tokens$/)).toBeGreaterThan(gets);
    expect(gitea.server.count('POST', /tokens$/) - posts).toBe(1);
    // While it was reconciled it could not be cancelled again.
    expect(events.some((list) => list.some((o) => o.id === id && !o.cancellable))).toBe(true);
    await new Promise((r) => setTimeout(r, 900));
    expect(gitea.tokens.filter((t) => t.name === 'cancelled-in-flight').length).toBeLessThanOrEqual(1);
  });
});
