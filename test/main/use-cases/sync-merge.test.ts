import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteToken } from '../../../src/main/providers/provider-types';
import { planMerge, syncWorkspace } from '../../../src/main/use-cases/sync-service';
import { addWorkspace } from '../../../src/main/use-cases/workspace-service';
import { noKeychain, Vault, type TokenSummary } from '../../../src/main/vault';
import { createVaultServer } from '../../servers/contract/vault-server';
import { newVault, PASSWORD, tempDirs } from '../vault/vault-support';

const hcv = createVaultServer();
const dirs = tempDirs();
const fast = { backoffBaseMs: 5, timeoutMs: 5000, rateLimit: { perSecond: 1000, burst: 1000 } };

beforeAll(async () => {
  hcv.seed(40);
  await hcv.server.start();
});
afterAll(() => hcv.server.stop());

const remote = (id: string, over: Partial<RemoteToken> = {}): RemoteToken => ({
  remoteId: id, name: `n-${id}`, description: null, masked: null, type: null, scopes: [], createdAt: null, expiresAt: null, lastUsedAt: null, usageCount: null, status: 'active', ...over,
});
const local = (id: string, remoteId: string | null, over: Partial<TokenSummary> = {}): TokenSummary => ({
  id, workspaceId: 'w', remoteId, name: `n-${remoteId}`, description: null, prefix: null, type: null, scopes: [], url: null, notes: null, hasSecret: false, status: 'active',
  createdAt: '2025-01-01T00:00:00.000Z', expiresAt: null, lastUsedAt: null, usageCount: null, rotationPolicy: null, lastRotatedAt: null, warningDays: null, snoozedUntil: null,
  replacedById: null, replacesId: null, updatedAt: '2025-01-01T00:00:00.000Z', ...over,
});

describe('sync merge (one batch per workspace)', () => {
  it('plans inserts, changed fields only, and revoked-remote for what the service no longer lists', () => {
    const stored = [
      local('a', 'r1'),
      local('b', 'r2', { lastUsedAt: '2025-02-01T00:00:00.000Z' }),
      local('c', 'gone'),
      local('d', 'gone-too', { status: 'revoked' }),
      local('e', null), // a manual token: never touched by a sync
    ];
    const { batch, counts } = planMerge('w', stored, [remote('r1'), remote('r2', { expiresAt: '2030-01-01T00:00:00.000Z' }), remote('new'), remote('new')], true);
    expect(counts).toEqual({ added: 1, updated: 1, revokedRemote: 1 });
    expect(batch.insert.map((t) => t.remoteId)).toEqual(['new']); // listed twice (page overlap), stored once
    expect(batch.update).toEqual([
      { id: 'b', patch: expect.objectContaining({ expiresAt: '2030-01-01T00:00:00.000Z', lastUsedAt: '2025-02-01T00:00:00.000Z' }) },
      { id: 'c', patch: { status: 'revoked-remote' } },
    ]);
  });

  it('two processes syncing the same workspace at once store each remote token once', async () => {
    const dir = dirs();
    const first = await newVault(dir);
    const { workspace } = await addWorkspace(first, { kind: 'vault', name: 'hcv', baseUrl: hcv.server.url, adminSecret: hcv.rootToken, verify: false }, fast);
    const second = Vault.open(join(dir, 'vault.db'), { keychain: noKeychain });
    await second.keys.unlockWithPassword(PASSWORD);
    const results = await Promise.all([
      syncWorkspace(first, workspace, { clientOverrides: fast }),
      syncWorkspace(second, second.workspaces.get(workspace.id), { clientOverrides: fast }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const listed = results[0]!.total;
    expect(listed).toBeGreaterThanOrEqual(40);
    // whichever merged second saw the other's tokens under the write lock and added none of them again
    expect(results.map((r) => r.added).sort((x, y) => x - y)).toEqual([0, listed]);
    for (const v of [first, second]) {
      const remoteIds = v.tokens.list({ workspaceId: workspace.id }).map((t) => t.remoteId);
      expect(remoteIds).toHaveLength(listed);
      expect(new Set(remoteIds).size).toBe(listed);
    }
    first.close();
    second.close();
  });
});
