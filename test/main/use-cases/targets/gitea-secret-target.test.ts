import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentTargetSpec, type TargetSpecOf } from '../../../../src/shared/deployment-targets';
import { pushToTarget } from '../../../../src/main/use-cases/targets';
import { createGiteaSecretsServer } from '../../../servers/contract/gitea-secrets-server';
import { expectWritten, push, remoteDeps, verify } from './target-test-kit';

const gt = createGiteaSecretsServer();
let url = '';
beforeAll(async () => {
  url = await gt.server.start();
});
afterAll(() => gt.server.stop());

const SECRET = 'gitea-rotated-secret-0123456789';
const basicDeps = (user = gt.opts.user, password = gt.opts.password) => remoteDeps('Gitea', url, { adminSecret: password, username: user });
const tokenDeps = () => remoteDeps('Gitea', url, { adminSecret: gt.opts.token });
const repo = (d: { workspaceId: string }, name = 'DEPLOY_TOKEN') => ({ kind: 'gitea-secret', workspaceId: d.workspaceId, level: 'repo', owner: 'team/app', name }) as const;

describe('Gitea / Forgejo Actions secret target (contract server)', () => {
  it('creates (201) then updates (204) a repo secret; verify finds it by name', async () => {
    const d = basicDeps();
    expectWritten(await push(repo(d), SECRET, d), 'created');
    expect(gt.valueOf('repo', 'team/app', 'DEPLOY_TOKEN')).toBe(SECRET);
    expectWritten(await push(repo(d), `${SECRET}-2`, d), 'updated');
    expect(gt.valueOf('repo', 'team/app', 'DEPLOY_TOKEN')).toBe(`${SECRET}-2`);
    // write-only: existence is all that can be checked
    expect(await verify(repo(d), `${SECRET}-2`, d)).toMatchObject({ status: 'verified', evidence: 'present' });
  });

  it('names are case-insensitive (stored upper-case); a lower-case name is the same secret', async () => {
    const d = basicDeps();
    expectWritten(await push(repo(d, 'npm_token'), SECRET, d), 'created');
    expect(gt.valueOf('repo', 'team/app', 'NPM_TOKEN')).toBe(SECRET);
    expectWritten(await push(repo(d, 'NPM_TOKEN'), SECRET, d), 'updated');
    expect(await verify(repo(d, 'Npm_Token'), SECRET, d)).toMatchObject({ status: 'verified' });
  });

  it('org and user secrets; a token instead of a password', async () => {
    const d = tokenDeps();
    expectWritten(await push({ kind: 'gitea-secret', workspaceId: d.workspaceId, level: 'org', owner: 'team', name: 'ORG_TOKEN' }, SECRET, d), 'created');
    expect(gt.valueOf('org', 'team', 'ORG_TOKEN')).toBe(SECRET);
    expectWritten(await push({ kind: 'gitea-secret', workspaceId: d.workspaceId, level: 'user', owner: '', name: 'MINE' }, SECRET, d), 'created');
    expect(gt.valueOf('user', gt.opts.user, 'MINE')).toBe(SECRET);
  });

  it('verify pages through a long list by X-Total-Count (the server caps the page below what we ask)', async () => {
    const d = basicDeps();
    gt.seed('team/app', 70);
    expectWritten(await push(repo(d, 'ZZ_LAST'), SECRET, d), 'created');
    expect(await verify(repo(d, 'ZZ_LAST'), SECRET, d)).toMatchObject({ status: 'verified' });
    expect(await verify(repo(d, 'ZZ_NOT_THERE'), SECRET, d)).toMatchObject({ status: 'mismatch', problem: 'missing' });
  });

  it('the schema refuses reserved names; the server refuses them too (400 -> invalid-argument)', async () => {
    const d = basicDeps();
    for (const name of ['GITEA_TOKEN', 'forgejo_x', 'CI', 'GITHUB_TOKEN', '1ABC', 'A-B']) expect(DeploymentTargetSpec.safeParse(repo(d, name)).success).toBe(false);
    const unchecked: TargetSpecOf<'gitea-secret'> = { ...repo(d), name: 'GITEA_TOKEN' };
    const out = await pushToTarget(unchecked, SECRET, d);
    expect(out).toMatchObject({ status: 'failed', failure: { code: 'invalid-argument', httpStatus: 400 } });
  });

  it('maps 401, 403 (not repo admin) and 404 (no such repo) without the secret', async () => {
    const bad = basicDeps(gt.opts.user, 'wrong');
    const reader = basicDeps(gt.opts.reader);
    const d = basicDeps();
    const outcomes = [await push(repo(bad), SECRET, bad), await push(repo(reader), SECRET, reader), await push({ ...repo(d), owner: 'team/none' }, SECRET, d)];
    expect(outcomes.map((o) => (o.status === 'failed' ? o.failure.code : o.status))).toEqual(['bad-credential', 'remote-forbidden', 'remote-not-found']);
    for (const o of outcomes) expect(JSON.stringify(o)).not.toContain(SECRET);
  });
});
