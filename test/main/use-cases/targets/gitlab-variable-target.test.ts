import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskProblem } from '../../../../src/main/use-cases/targets';
import { DeploymentTargetSpec } from '../../../../src/shared/deployment-targets';
import { createGitlabVariablesServer } from '../../../servers/contract/gitlab-variables-server';
import { expectRefused, expectWritten, push, remoteDeps, verify } from './target-test-kit';

const gl = createGitlabVariablesServer();
let url = '';
beforeAll(async () => {
  url = await gl.server.start();
});
afterAll(() => gl.server.stop());
beforeEach(() => {
  gl.variables('project', '7').splice(0);
  gl.variables('group', '3').splice(0);
  gl.server.requests.splice(0);
  gl.server.onRequest = null;
  gl.server.clearFaults();
});

const SECRET = 'glpat-Rotated_Secret-0123456789';
const deps = (token: string = gl.tokens.maintainer) => remoteDeps('GitLab', url, { adminSecret: token });
const target = (d: { workspaceId: string }, more: Record<string, unknown> = {}) => ({ kind: 'gitlab-variable', workspaceId: d.workspaceId, level: 'project', owner: 'team/app', key: 'DEPLOY_TOKEN', ...more }) as const;

describe('GitLab CI/CD variable target (contract server)', () => {
  it('creates a masked, raw, unprotected variable, reads it back, then updates and is idempotent', async () => {
    const d = deps();
    expectWritten(await push(target(d), SECRET, d), 'created');
    expect(gl.variables('project', '7')).toEqual([expect.objectContaining({ key: 'DEPLOY_TOKEN', value: SECRET, masked: true, raw: true, protected: false, environment_scope: '*', variable_type: 'env_var' })]);
    expect(await verify(target(d), SECRET, d)).toMatchObject({ status: 'verified', evidence: 'value-read-back' });
    expectWritten(await push(target(d), SECRET, d), 'unchanged');
    expect(gl.server.count('PUT', /variables/)).toBe(0);
    expectWritten(await push(target(d), `${SECRET}-2`, d), 'updated');
    expect(gl.variables('project', '7')[0]!.value).toBe(`${SECRET}-2`);
    expect(await verify(target(d), SECRET, d)).toMatchObject({ status: 'mismatch', problem: 'value-differs' });
    // the project by numeric id is the same project
    expect(await verify(target(d, { owner: '7' }), `${SECRET}-2`, d)).toMatchObject({ status: 'verified' });
  });

  it('writes group variables and the named environment scope only (no 409 from several scopes)', async () => {
    const d = deps();
    expectWritten(await push(target(d, { level: 'group', owner: 'team' }), SECRET, d), 'created');
    expect(gl.variables('group', '3')[0]).toMatchObject({ key: 'DEPLOY_TOKEN', value: SECRET });
    expectWritten(await push(target(d, { environmentScope: 'production' }), 'prod-secret-value', d), 'created');
    expectWritten(await push(target(d, { environmentScope: 'staging' }), 'stag-secret-value', d), 'created');
    expectWritten(await push(target(d, { environmentScope: 'production' }), 'prod-secret-value-2', d), 'updated');
    expect(gl.variables('project', '7').map((v) => [v.environment_scope, v.value])).toEqual([
      ['production', 'prod-secret-value-2'],
      ['staging', 'stag-secret-value'],
    ]);
  });

  it('says clearly when GitLab cannot mask the secret, before sending anything', async () => {
    const d = deps();
    expect(expectRefused(await push(target(d), 'short', d), 'not-maskable').failure.detail).toBe('too-short');
    expect(expectRefused(await push(target(d), 'has a space in it', d), 'not-maskable').failure.detail).toBe('whitespace');
    expect(expectRefused(await push(target(d, { raw: false }), 'dollar$sign-value', d), 'not-maskable').failure.detail).toBe('characters');
    expect(gl.server.requests).toHaveLength(0);
    // raw variables may be masked with characters an expanded one could not
    expectWritten(await push(target(d), 'dollar$sign|value!', d), 'created');
    // unmasked: anything goes
    expectWritten(await push(target(d, { key: 'PLAIN', masked: false }), 'short', d), 'created');
    expect(maskProblem('abcdefgh', false)).toBeNull();
    expect(maskProblem('abc\u00a0defgh', true)).toBeNull(); // Ruby's \S: a no-break space is not whitespace
  });

  it('the contract server enforces the masking and key rules itself', async () => {
    const d = deps();
    const unmaskable = { ...DeploymentTargetSpec.parse(target(d, { raw: false })), masked: false };
    expectWritten(await push(unmaskable, 'not maskable!', d), 'created');
    // sent as masked anyway (bypassing our check), GitLab answers 400
    const res = await fetch(`${url}/api/v4/projects/7/variables`, { method: 'POST', headers: { 'private-token': gl.tokens.maintainer, 'content-type': 'application/json' }, body: JSON.stringify({ key: 'X', value: 'bad value', masked: true }) });
    expect(res.status).toBe(400);
    const badKey = await fetch(`${url}/api/v4/projects/7/variables`, { method: 'POST', headers: { 'private-token': gl.tokens.maintainer, 'content-type': 'application/json' }, body: JSON.stringify({ key: 'BAD-KEY', value: 'x' }) });
    expect(badKey.status).toBe(400);
    expect(() => DeploymentTargetSpec.parse(target(d, { key: 'BAD-KEY' }))).toThrow();
  });

  it('hidden variables: created masked and hidden; verify says the value cannot be compared', async () => {
    const d = deps();
    expectWritten(await push(target(d, { hidden: true }), SECRET, d), 'created');
    expect(gl.variables('project', '7')[0]).toMatchObject({ hidden: true, masked: true, value: SECRET });
    expect(await verify(target(d, { hidden: true }), SECRET, d)).toMatchObject({ status: 'unverifiable', why: 'hidden-value' });
    expectWritten(await push(target(d, { hidden: true }), `${SECRET}-2`, d), 'updated');
    expect(gl.variables('project', '7')[0]!.value).toBe(`${SECRET}-2`);
  });

  it('another writer creates the variable between our read and our create: it is updated instead', async () => {
    const d = deps();
    gl.server.onRequest = (method, path) => {
      if (method === 'POST' && path.endsWith('/variables') && gl.variables('project', '7').length === 0) {
        gl.variables('project', '7').push({ key: 'DEPLOY_TOKEN', value: 'someone-elses', variable_type: 'env_var', protected: true, masked: false, hidden: false, raw: false, environment_scope: '*', description: null });
      }
    };
    expectWritten(await push(target(d), SECRET, d), 'updated');
    expect(gl.variables('project', '7')).toEqual([expect.objectContaining({ value: SECRET, masked: true, raw: true, protected: true })]);
  });

  it('a create whose answer is lost is found by reading, not created twice', async () => {
    const d = deps();
    gl.server.inject({ kind: 'reset-after', method: 'POST', path: /variables$/ });
    expectWritten(await push(target(d), SECRET, d), 'created');
    expect(gl.variables('project', '7')).toHaveLength(1);
    expect(gl.server.count('POST', /variables$/)).toBe(1);
  });

  it('maps 401, 403 (Developer role), 404 project to typed failures without the secret', async () => {
    const bad = deps('glpat-wrong');
    const dev = deps(gl.tokens.developer);
    const d = deps();
    const a = await push(target(bad), SECRET, bad);
    const b = await push(target(dev), SECRET, dev);
    const c = await push(target(d, { owner: 'team/missing' }), SECRET, d);
    expect([a, b, c].map((o) => (o.status === 'failed' ? o.failure.code : o.status))).toEqual(['bad-credential', 'remote-forbidden', 'remote-not-found']);
    for (const o of [a, b, c]) expect(JSON.stringify(o)).not.toContain(SECRET);
    expect(await verify(target(d, { owner: 'team/missing' }), SECRET, d)).toMatchObject({ status: 'failed', failure: { code: 'remote-not-found' } });
    expect(await verify(target(d), SECRET, d)).toMatchObject({ status: 'mismatch', problem: 'missing' });
  });
});
