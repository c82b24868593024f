import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiProvider } from '../../../src/main/providers/openai-provider';
import type { IssuedSecret, RemoteToken } from '../../../src/main/providers/provider-types';
import { createOpenaiServer } from '../../servers/contract/openai-server';
import { connect } from './provider-test-kit';

const oa = createOpenaiServer();
let url = '';
beforeAll(async () => {
  url = await oa.server.start();
});
afterAll(() => oa.server.stop());
const ctx = () => connect('openai', url, { adminSecret: oa.adminKey, options: { projects: 'proj_1' } });

describe('OpenAI provider (contract server)', () => {
  it('follows the cursor through admin and project keys', async () => {
    oa.seed(250);
    oa.seed(5, 'project:proj_1');
    const keys = await openaiProvider.list(ctx());
    expect(keys).toHaveLength(255);
    expect(keys.filter((k) => k.type === 'project:proj_1')).toHaveLength(5);
    expect(oa.server.count('GET', /admin_api_keys$/)).toBe(3);
  });

  it('creates an admin key and a project service-account key with expiry; deletes both', async () => {
    const admin = (await openaiProvider.create(ctx(), { name: 'ops-admin' })) as IssuedSecret<RemoteToken>;
    expect(admin.secret).toMatch(/^sk-admin-/);
    await expect(openaiProvider.create(ctx(), { name: 'x', expiryPreset: '7d' })).rejects.toMatchObject({ code: 'unsupported' });
    const project = (await openaiProvider.create(ctx(), { name: 'bot', type: 'project', expiryPreset: '30d' })) as IssuedSecret<RemoteToken>;
    expect(project.token.remoteId).toMatch(/^project:proj_1:key_/);
    expect(project.token.expiresAt).not.toBeNull();
    await openaiProvider.revoke!(ctx(), admin.token.remoteId);
    await openaiProvider.revoke!(ctx(), project.token.remoteId);
    const keys = await openaiProvider.list(ctx());
    expect(keys.some((k) => k.remoteId === admin.token.remoteId || k.remoteId === project.token.remoteId)).toBe(false);
  });

  it('a wrong admin key is bad-credential with no key in the message', async () => {
    const err = await openaiProvider.list(connect('openai', url, { adminSecret: 'sk-admin-wrongwrongwrongwrong' })).catch((e: Error & { code: string }) => e);
    expect(err).toMatchObject({ code: 'bad-credential' });
    expect((err as Error).message).not.toContain('wrongwrong');
  });
});

describe('OpenAI checkSecret (admin API for admin keys, /v1/models for project keys)', () => {
  it('valid for both kinds; refused once deleted; a restricted key (403) is valid but limited; a fault is unknown', async () => {
    const admin = (await openaiProvider.create(ctx(), { name: 'check-admin' })) as IssuedSecret<RemoteToken>;
    const proj = (await openaiProvider.create(ctx(), { name: 'check-proj', type: 'project' })) as IssuedSecret<RemoteToken>;
    expect(await openaiProvider.checkSecret!(ctx(), admin.secret, { type: 'admin' })).toEqual({ state: 'valid', limited: false });
    expect(await openaiProvider.checkSecret!(ctx(), proj.secret, { type: proj.token.type })).toEqual({ state: 'valid', limited: false });
    expect((await openaiProvider.list(ctx())).find((t) => t.remoteId === proj.token.remoteId)?.lastUsedAt).not.toBeNull();
    oa.server.inject({ kind: 'status', status: 403, path: /models$/, json: { error: { message: 'You have insufficient permissions for this operation. Missing scopes: model.read.' } } });
    expect(await openaiProvider.checkSecret!(ctx(), proj.secret)).toEqual({ state: 'valid', limited: true });
    oa.server.inject({ kind: 'status', status: 500, path: /models$/, times: 10 });
    expect(await openaiProvider.checkSecret!(connect('openai', url, { adminSecret: oa.adminKey }, { maxRetries: 1 }), proj.secret)).toMatchObject({ state: 'unknown', reason: 'server-error' });
    oa.server.clearFaults();
    await openaiProvider.revoke!(ctx(), proj.token.remoteId);
    await openaiProvider.revoke!(ctx(), admin.token.remoteId);
    expect(await openaiProvider.checkSecret!(ctx(), proj.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
    expect(await openaiProvider.checkSecret!(ctx(), admin.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 401 });
  });
});
