import sodium from 'libsodium-wrappers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushToTarget } from '../../../../src/main/use-cases/targets';
import type { TargetSpecOf } from '../../../../src/shared/deployment-targets';
import { createGithubSecretsServer } from '../../../servers/contract/github-secrets-server';
import { expectRefused, expectWritten, push, remoteDeps, verify } from './target-test-kit';

let gh: Awaited<ReturnType<typeof createGithubSecretsServer>>;
let url = '';
beforeAll(async () => {
  gh = await createGithubSecretsServer();
  url = await gh.server.start();
});
afterAll(() => gh.server.stop());

const SECRET = 'github_pat_Rotated0123456789_with "quotes" and ünïcode';
const deps = (token?: string) => remoteDeps('GitHub', url, { adminSecret: token ?? gh.tokens.admin });
const repo = (d: { workspaceId: string }, name = 'NPM_TOKEN') => ({ kind: 'github-secret', workspaceId: d.workspaceId, level: 'repo', owner: 'octo/app', name }) as const;

describe('GitHub Actions secret target (contract server that opens the sealed box)', () => {
  it('seals the secret to the repository key; the server decrypts exactly the secret; 201 then 204', async () => {
    const d = deps();
    const first = expectWritten(await push(repo(d), SECRET, d), 'created');
    expect(gh.valueOf('repo', 'octo/app', 'NPM_TOKEN')).toBe(SECRET);
    expect(first.receipt.remoteUpdatedAt).toBe(gh.secretOf('repo', 'octo/app', 'NPM_TOKEN')!.updated_at);
    expect(await verify(repo(d), SECRET, d, first.receipt)).toMatchObject({ status: 'verified', evidence: 'present-since-push' });
    expect(await verify(repo(d), SECRET, d)).toMatchObject({ status: 'verified', evidence: 'present' });
    expectWritten(await push(repo(d), `${SECRET}-2`, d), 'updated');
    expect(gh.valueOf('repo', 'octo/app', 'NPM_TOKEN')).toBe(`${SECRET}-2`);
  });

  it('verify notices a write after ours (updated_at moved) and a deleted secret', async () => {
    const d = deps();
    const out = expectWritten(await push(repo(d, 'MOVED'), SECRET, d), 'created');
    gh.secretOf('repo', 'octo/app', 'MOVED')!.updated_at = new Date(Date.parse(out.receipt.remoteUpdatedAt!) + 5_000).toISOString().replace('.000Z', 'Z');
    expect(await verify(repo(d, 'MOVED'), SECRET, d, out.receipt)).toMatchObject({ status: 'mismatch', problem: 'changed-since-push' });
    await fetch(`${url}/repos/octo/app/actions/secrets/MOVED`, { method: 'DELETE', headers: { authorization: `Bearer ${gh.tokens.admin}` } });
    expect(await verify(repo(d, 'MOVED'), SECRET, d, out.receipt)).toMatchObject({ status: 'mismatch', problem: 'missing' });
  });

  it('uses the current key after GitHub rotates the key pair', async () => {
    const d = deps();
    gh.rotateKey('repo', 'octo/app');
    expectWritten(await push(repo(d, 'AFTER_ROTATION'), SECRET, d), 'created');
    expect(gh.valueOf('repo', 'octo/app', 'AFTER_ROTATION')).toBe(SECRET);
  });

  it('the server refuses a box sealed to another key, a stale key_id, garbage, and a reserved name', async () => {
    await sodium.ready;
    const key = (await (await fetch(`${url}/repos/octo/app/actions/secrets/public-key`, { headers: { authorization: `Bearer ${gh.tokens.admin}` } })).json()) as { key_id: string; key: string };
    const other = sodium.crypto_box_keypair();
    const sealed = (pk: Uint8Array) => sodium.to_base64(sodium.crypto_box_seal(sodium.from_string('x'), pk), sodium.base64_variants.ORIGINAL);
    const putRaw = (name: string, body: unknown) =>
      fetch(`${url}/repos/octo/app/actions/secrets/${name}`, { method: 'PUT', headers: { authorization: `Bearer ${gh.tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);
    const right = sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL);
    expect(await putRaw('OK_NAME', { encrypted_value: sealed(right), key_id: key.key_id })).toBe(201);
    expect(await putRaw('WRONG_KEY', { encrypted_value: sealed(other.publicKey), key_id: key.key_id })).toBe(422);
    expect(await putRaw('STALE_ID', { encrypted_value: sealed(right), key_id: '123' })).toBe(422);
    expect(await putRaw('GARBAGE', { encrypted_value: Buffer.from('not a box').toString('base64'), key_id: key.key_id })).toBe(422);
    expect(await putRaw('GITHUB_TOKEN', { encrypted_value: sealed(right), key_id: key.key_id })).toBe(422);
    // and through our client, a reserved name that slipped past the schema is a typed failure
    const d = deps();
    const unchecked: TargetSpecOf<'github-secret'> = { ...repo(d), name: 'GITHUB_X' };
    expect(await pushToTarget(unchecked, SECRET, d)).toMatchObject({ status: 'failed', failure: { code: 'invalid-argument', httpStatus: 422 } });
  });

  it('org secrets: private by default, an existing visibility kept, an explicit one applied', async () => {
    const d = deps();
    const org = (more: Record<string, unknown> = {}) => ({ kind: 'github-secret', workspaceId: d.workspaceId, level: 'org', owner: 'octo', name: 'ORG_TOKEN', ...more }) as const;
    expectWritten(await push(org(), SECRET, d), 'created');
    expect(gh.secretOf('org', 'octo', 'ORG_TOKEN')).toMatchObject({ visibility: 'private', value: SECRET });
    gh.secretOf('org', 'octo', 'ORG_TOKEN')!.visibility = 'selected';
    expectWritten(await push(org(), `${SECRET}-2`, d), 'updated');
    expect(gh.secretOf('org', 'octo', 'ORG_TOKEN')).toMatchObject({ visibility: 'selected', value: `${SECRET}-2` });
    expectWritten(await push(org({ visibility: 'all' }), SECRET, d), 'updated');
    expect(gh.secretOf('org', 'octo', 'ORG_TOKEN')!.visibility).toBe('all');
  });

  it('refuses a secret over 48 KB before sending, and maps 401/403/404 without the secret', async () => {
    const d = deps();
    expectRefused(await push(repo(d), 'x'.repeat(48 * 1024 + 1), d), 'too-large');
    const bad = deps('ghp_wrong');
    const ro = deps(gh.tokens.readOnly);
    const outcomes = [await push(repo(bad), SECRET, bad), await push(repo(ro), SECRET, ro), await push({ ...repo(d), owner: 'octo/none' }, SECRET, d)];
    expect(outcomes.map((o) => (o.status === 'failed' ? o.failure.code : o.status))).toEqual(['bad-credential', 'remote-forbidden', 'remote-not-found']);
    for (const o of outcomes) expect(JSON.stringify(o)).not.toContain(SECRET);
  });
});
