import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVaultKvServer } from '../../../servers/contract/vault-kv-server';
import { expectWritten, push, remoteDeps, verify } from './target-test-kit';

const kv = createVaultKvServer();
let url = '';
beforeAll(async () => {
  url = await kv.server.start();
});
afterAll(() => kv.server.stop());
beforeEach(() => {
  kv.server.onRequest = null;
  kv.server.requests.splice(0);
});

const SECRET = 'hvs.rotated-secret-0123456789';
const deps = (token?: string) => remoteDeps('Vault', url, { adminSecret: token ?? kv.tokens.root });
let n = 0;
const fresh = (d: { workspaceId: string }, more: Record<string, unknown> = {}) => ({ kind: 'vault-kv', workspaceId: d.workspaceId, mount: 'secret', path: `apps/ci-${++n}`, key: 'npm_token', ...more }) as const;

/** Writes as another client would (root token), straight to the API. */
const writeRaw = (mount: string, path: string, data: Record<string, unknown>, cas?: number) =>
  fetch(`${url}/v1/${mount}/data/${path}`, { method: 'POST', headers: { 'x-vault-token': kv.tokens.root, 'content-type': 'application/json' }, body: JSON.stringify({ data, ...(cas === undefined ? {} : { options: { cas } }) }) }).then((r) => r.status);

describe('Vault KV v2 target (contract server)', () => {
  it('creates with cas 0, reads back, and a second push writes no new version', async () => {
    const d = deps();
    const t = fresh(d);
    const out = expectWritten(await push(t, SECRET, d), 'created');
    expect(out.receipt.version).toBe(1);
    expect(kv.dataOf('secret', t.path)).toEqual({ npm_token: SECRET });
    expect(await verify(t, SECRET, d)).toMatchObject({ status: 'verified', evidence: 'value-read-back' });
    expectWritten(await push(t, SECRET, d), 'unchanged');
    expect(kv.versionOf('secret', t.path)).toBe(1);
    expect(kv.server.count('POST', /\/data\//)).toBe(1);
  });

  it('keeps the other keys of the secret and writes on top of the version it read', async () => {
    const d = deps();
    const t = fresh(d);
    expect(await writeRaw('secret', t.path, { user: 'svc', npm_token: 'old', port: 5432 })).toBe(200);
    const out = expectWritten(await push(t, SECRET, d), 'updated');
    expect(out.receipt.version).toBe(2);
    expect(kv.dataOf('secret', t.path)).toEqual({ user: 'svc', npm_token: SECRET, port: 5432 });
  });

  it('another writer between our read and our write: cas refuses, we re-read, and both changes survive', async () => {
    const d = deps();
    const t = fresh(d);
    await writeRaw('secret', t.path, { user: 'svc' });
    let raced = false;
    kv.server.onRequest = async (method, path) => {
      if (method === 'POST' && path.includes(t.path) && !raced) {
        raced = true;
        await writeRaw('secret', t.path, { user: 'svc', added_meanwhile: 'yes' });
      }
    };
    expectWritten(await push(t, SECRET, d), 'created');
    expect(kv.dataOf('secret', t.path)).toEqual({ user: 'svc', added_meanwhile: 'yes', npm_token: SECRET });
    expect(kv.versionOf('secret', t.path)).toBe(3);
  });

  it('works on a cas_required mount path, a nested mount, and over a soft-deleted latest version', async () => {
    const d = deps();
    const t = fresh(d);
    await fetch(`${url}/v1/secret/metadata/${t.path}`, { method: 'POST', headers: { 'x-vault-token': kv.tokens.root, 'content-type': 'application/json' }, body: JSON.stringify({ cas_required: true }) });
    expect(await writeRaw('secret', t.path, { a: 1 })).toBe(400);
    expectWritten(await push(t, SECRET, d), 'created');
    const nested = fresh(d, { mount: 'kv/team' });
    expectWritten(await push(nested, SECRET, d), 'created');
    expect(kv.dataOf('kv/team', nested.path)).toEqual({ npm_token: SECRET });
    // the latest version deleted: it reads as 404 but its number still counts for cas
    await fetch(`${url}/v1/kv/team/data/${nested.path}`, { method: 'DELETE', headers: { 'x-vault-token': kv.tokens.root } });
    expect(await verify(nested, SECRET, d)).toMatchObject({ status: 'mismatch', problem: 'missing' });
    const again = expectWritten(await push(nested, SECRET, d), 'created');
    expect(again.receipt.version).toBe(2);
    expect(await verify(nested, SECRET, d)).toMatchObject({ status: 'verified' });
  });

  it('verify sees another value; 403 for a read-only token, 404 for an unknown mount, never the secret', async () => {
    const d = deps();
    const t = fresh(d);
    expectWritten(await push(t, SECRET, d), 'created');
    expect(await verify(t, 'something else', d)).toMatchObject({ status: 'mismatch', problem: 'value-differs' });
    const reader = deps(kv.tokens.reader);
    const denied = await push({ ...t, workspaceId: reader.workspaceId }, `${SECRET}-2`, reader);
    expect(denied).toMatchObject({ status: 'failed', failure: { code: 'remote-forbidden' } });
    expect(await verify({ ...t, workspaceId: reader.workspaceId }, SECRET, reader)).toMatchObject({ status: 'verified' });
    const nomount = await push({ ...t, mount: 'nope' }, SECRET, d);
    expect(nomount).toMatchObject({ status: 'failed', failure: { code: 'remote-not-found' } });
    for (const o of [denied, nomount]) expect(JSON.stringify(o)).not.toContain(SECRET);
  });
});
