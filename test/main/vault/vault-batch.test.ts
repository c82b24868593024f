import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewToken } from '../../../src/main/vault';
import { newVault, PASSWORD, reopen, startAckingChild, tempDirs } from './vault-support';

const tmp = tempDirs();
const CHILD = join(import.meta.dirname, 'fixtures', 'batch-stream-child.mjs');

const listed = (workspaceId: string, n: number, from = 0): NewToken[] =>
  Array.from({ length: n }, (_, i) => ({ workspaceId, remoteId: `r${from + i}`, name: `listed-${from + i}`, scopes: ['read'] }));

/** Starts the batch writer child: each ack lists the ids of one committed batch. */
const startBatchWriter = (path: string, label: string, size: number, count = 0) =>
  startAckingChild(CHILD, [path, PASSWORD, label, String(size), String(count)], ([, ids = '']) => ids.split(','));

describe('token batches (sync writes)', () => {
  it('inserts and patches many tokens in one go, audited, readable after reopening', async () => {
    const dir = tmp();
    const v = await newVault(dir);
    const ws = v.workspaces.create({ kind: 'vault', name: 'hcv' });
    const first = v.tokens.applyBatch(ws.id, { insert: listed(ws.id, 300) }, 'sync');
    expect(first.inserted).toHaveLength(300);
    const [a, b] = first.inserted;
    const second = v.tokens.applyBatch(
      ws.id,
      (current) => {
        expect(current).toHaveLength(300);
        return {
          insert: listed(ws.id, 5, 300),
          update: [
            { id: a!.id, patch: { status: 'revoked-remote' } },
            { id: b!.id, patch: { name: 'renamed at the service', expiresAt: '2031-01-01T00:00:00.000Z' } },
          ],
        };
      },
      'sync',
    );
    expect(second.updated.map((t) => t.status)).toEqual(['revoked-remote', 'active']);
    expect(v.tokens.list({ workspaceId: ws.id })).toHaveLength(305);
    expect(v.tokens.search('renamed at the service').map((t) => t.id)).toEqual([b!.id]);
    expect(v.audit.list({ tokenId: b!.id }).map((e) => [e.action, e.actor])).toEqual([['updated', 'sync'], ['created', 'sync']]);
    v.close();

    const again = await reopen(join(dir, 'vault.db'));
    expect(again.tokens.list()).toHaveLength(305);
    expect(again.tokens.get(a!.id).status).toBe('revoked-remote');
    expect(again.tokens.get(b!.id)).toMatchObject({ name: 'renamed at the service', expiresAt: '2031-01-01T00:00:00.000Z', scopes: ['read'] });
    expect(again.tokens.findByRemoteId(ws.id, 'r304')?.name).toBe('listed-304');
    expect(again.tokens.search('listed-299')).toHaveLength(1);
    again.close();
  });

  it('is all or nothing: a bad entry anywhere leaves the vault, its index and the cache as they were', async () => {
    const dir = tmp();
    const v = await newVault(dir);
    const ws = v.workspaces.create({ kind: 'vault', name: 'hcv' });
    const other = v.workspaces.create({ kind: 'manual', name: 'other' });
    const [kept] = v.tokens.applyBatch(ws.id, { insert: listed(ws.id, 10) }).inserted;
    const before = JSON.stringify(v.tokens.list());
    const auditBefore = v.audit.list().length;

    // an update of a token that is not there, after 200 good inserts and a good update
    expect(() =>
      v.tokens.applyBatch(ws.id, { insert: listed(ws.id, 200, 10), update: [{ id: kept!.id, patch: { status: 'expired' } }, { id: 'no-such-token', patch: { status: 'revoked' } }] }),
    ).toThrow(expect.objectContaining({ code: 'not-found' }));
    // a remote id the workspace already holds (a second insert of the same listed token)
    expect(() => v.tokens.applyBatch(ws.id, { insert: [...listed(ws.id, 50, 500), ...listed(ws.id, 1, 3)] })).toThrow(
      expect.objectContaining({ code: 'already-exists' }),
    );
    // a token of another workspace
    expect(() => v.tokens.applyBatch(ws.id, { insert: [...listed(ws.id, 5, 700), { workspaceId: other.id, name: 'stray' }] })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
    // the plan itself fails
    expect(() =>
      v.tokens.applyBatch(ws.id, () => {
        throw new Error('plan failed');
      }),
    ).toThrow('plan failed');
    // an unknown workspace
    expect(() => v.tokens.applyBatch('no-such-workspace', { insert: [] })).toThrow(expect.objectContaining({ code: 'not-found' }));

    expect(JSON.stringify(v.tokens.list())).toBe(before);
    expect(v.tokens.get(kept!.id).status).toBe('active');
    expect(v.audit.list()).toHaveLength(auditBefore);
    v.close();
    const again = await reopen(join(dir, 'vault.db'));
    expect(JSON.stringify(again.tokens.list())).toBe(before);
    expect(again.tokens.search('listed')).toHaveLength(10);
    expect(again.tokens.count()).toBe(10);
    again.close();
  });

  it('decides the batch under the write lock: a token another handle stored meanwhile is seen, not duplicated', async () => {
    const dir = tmp();
    const mine = await newVault(dir);
    const ws = mine.workspaces.create({ kind: 'vault', name: 'hcv' });
    mine.tokens.applyBatch(ws.id, { insert: listed(ws.id, 3) });
    expect(mine.tokens.list()).toHaveLength(3); // cached now
    const theirs = await reopen(join(dir, 'vault.db'));
    theirs.tokens.applyBatch(ws.id, { insert: listed(ws.id, 2, 3) });
    theirs.close();

    const seen: string[] = [];
    mine.tokens.applyBatch(ws.id, (current) => {
      seen.push(...current.map((t) => t.remoteId ?? ''));
      const known = new Set(seen);
      return { insert: listed(ws.id, 6).filter((t) => !known.has(t.remoteId ?? '')) };
    });
    expect(seen.sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(mine.tokens.list().map((t) => t.remoteId).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    mine.close();
  });

  it('a second process writing batches while this one does too: no write lost on either side', async () => {
    const dir = tmp();
    const path = join(dir, 'vault.db');
    const mine = await newVault(dir);
    const ws = mine.workspaces.create({ kind: 'vault', name: 'here' });
    const w = startBatchWriter(path, 'other', 20, 10);
    await w.waitFor(1);
    for (let b = 0; b < 10; b++) {
      mine.tokens.applyBatch(ws.id, (current) => ({
        insert: listed(ws.id, 20, b * 20),
        update: current.map((t) => ({ id: t.id, patch: { usageCount: b } })),
      }));
      await new Promise((r) => setImmediate(r));
    }
    expect(await w.exited).toBe(0);
    expect(mine.tokens.list()).toHaveLength(400);
    mine.close();
    const v = await reopen(path);
    expect(v.tokens.list({ workspaceId: ws.id })).toHaveLength(200);
    for (const ids of w.acks) for (const id of ids) expect(v.tokens.get(id).name).toMatch(/^other-/);
    // the last batch on each side patched every token the side had before it
    expect(new Set(v.tokens.list({ workspaceId: ws.id }).filter((t) => !/-(18\d|19\d)$/.test(t.name)).map((t) => t.usageCount))).toEqual(new Set([9]));
    v.close();
  }, 60_000);

  it('kill -9 in the middle of a stream of batches: whole batches only, every acknowledged one readable', async () => {
    const dir = tmp();
    const path = join(dir, 'vault.db');
    (await newVault(dir)).close();
    const w = startBatchWriter(path, 'k', 50);
    await w.waitFor(12);
    w.child.kill('SIGKILL');
    await w.exited;
    const acked = [...w.acks];
    const v = await reopen(path);
    const tokens = v.tokens.list();
    expect(tokens.length % 50).toBe(0);
    const batches = tokens.length / 50;
    expect(batches - acked.length).toBeGreaterThanOrEqual(0);
    expect(batches - acked.length).toBeLessThanOrEqual(1); // at most one batch committed but not yet acknowledged
    for (const ids of acked) for (const id of ids) expect(v.tokens.get(id).name).toMatch(/^k-/);
    // the last committed batch patched every earlier token to its own number: no half-applied batch
    const last = batches - 1;
    for (const t of tokens) expect(t.usageCount).toBe(t.name.startsWith(`k-${last}-`) ? null : last);
    v.close();
  }, 60_000);
});
