import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedSecret, RemoteToken } from '../../../src/main/providers/provider-types';
import { vaultProvider } from '../../../src/main/providers/vault-provider';
import { createVaultServer } from '../../servers/contract/vault-server';
import { connect } from './provider-test-kit';

const hv = createVaultServer();
let url = '';
beforeAll(async () => {
  url = await hv.server.start();
});
afterAll(() => hv.server.stop());
const ctx = () => connect('vault', url, { adminSecret: hv.rootToken });

describe('Vault provider (contract server)', () => {
  it('lists by accessor and names tokens from their metadata', async () => {
    hv.seed(30);
    const tokens = await vaultProvider.list(ctx());
    expect(tokens).toHaveLength(30);
    expect(tokens[0]).toMatchObject({ name: 'seed-0', status: 'active', scopes: ['default'] });
    expect(tokens[0]!.expiresAt).not.toBeNull();
    expect(hv.server.count('POST', /lookup-accessor$/)).toBe(30);
  });

  let created: IssuedSecret<RemoteToken>;
  it('creates an orphan token with a TTL; client_token only in the create answer', async () => {
    created = (await vaultProvider.create(ctx(), { name: 'deployer', scopes: ['deploy'], expiryPreset: '7d' })) as IssuedSecret<RemoteToken>;
    expect(created.secret).toMatch(/^hvs\./);
    expect(created.token).toMatchObject({ remoteId: hv.tokens.at(-1)!.accessor, name: 'deployer', scopes: ['deploy'] });
    expect(JSON.stringify(await vaultProvider.list(ctx()))).not.toContain(created.secret);
  });

  it('revokes by accessor', async () => {
    await vaultProvider.revoke!(ctx(), created.token.remoteId);
    expect(hv.tokens.some((t) => t.accessor === created.token.remoteId)).toBe(false);
  });

  it('a bad Vault token is refused (403 permission denied)', async () => {
    await expect(vaultProvider.verify(connect('vault', url, { adminSecret: 'hvs.bad' }))).rejects.toMatchObject({ code: 'bad-credential' });
  });
});

describe('Vault checkSecret (lookup-self)', () => {
  it('valid; refused (403 permission denied) once revoked; unknown on a fault', async () => {
    const t = (await vaultProvider.create(ctx(), { name: 'check-me', expiryPreset: '7d' })) as IssuedSecret<RemoteToken>;
    expect(await vaultProvider.checkSecret!(ctx(), t.secret)).toEqual({ state: 'valid', limited: false });
    hv.server.inject({ kind: 'status', status: 503, path: /lookup-self$/, times: 10 });
    expect(await vaultProvider.checkSecret!(connect('vault', url, { adminSecret: hv.rootToken }, { maxRetries: 1 }), t.secret)).toMatchObject({ state: 'unknown', reason: 'server-error' });
    hv.server.clearFaults();
    await vaultProvider.revoke!(ctx(), t.token.remoteId);
    expect(await vaultProvider.checkSecret!(ctx(), t.secret)).toEqual({ state: 'invalid', reason: 'refused', status: 403 });
  });
});
