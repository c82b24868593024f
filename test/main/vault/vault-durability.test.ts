import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newVault, PASSWORD, reopen, startAckingChild, tempDirs } from './vault-support';

const tmp = tempDirs();
const CHILD = join(import.meta.dirname, 'fixtures', 'write-stream-child.mjs');

/** Starts the writer child: each ack names one committed token. */
const startWriter = (path: string, label: string, count = 0) =>
  startAckingChild(CHILD, [path, PASSWORD, label, String(count)], ([id = '', name = '']) => ({ id, name }));

describe('durability and concurrency', () => {
  it('kill -9 in the middle of a stream of writes: every acknowledged write is readable and the file opens', async () => {
    const dir = tmp();
    const path = join(dir, 'vault.db');
    (await newVault(dir)).close();
    const w = startWriter(path, 'k');
    await w.waitFor(60);
    w.child.kill('SIGKILL');
    await w.exited;
    const acked = [...w.acks];
    expect(acked.length).toBeGreaterThanOrEqual(60);
    const v = await reopen(path);
    for (const a of acked) {
      expect(v.tokens.get(a.id).name).toBe(a.name);
      expect(v.tokens.readSecret(a.id)).toBe(a.name.replace(/^k-/, 'k-secret-'));
    }
    // at most one write was in flight (committed but not yet acked)
    expect(v.tokens.count() - acked.length).toBeLessThanOrEqual(1);
    v.close();
  }, 60_000);

  it('a second process and this one insert into the same shards at the same time without losing a write', async () => {
    const dir = tmp();
    const path = join(dir, 'vault.db');
    const mine = await newVault(dir);
    const ws = mine.workspaces.create({ kind: 'manual', name: 'here' });
    const w = startWriter(path, 'other', 150);
    await w.waitFor(1);
    const ours: string[] = [];
    for (let i = 0; i < 150; i++) {
      ours.push(mine.tokens.insert({ workspaceId: ws.id, name: `mine-${i}`, secret: `mine-secret-${i}` }).id);
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await w.exited).toBe(0);
    // this handle sees the other process's commits (data_version) and loses none of its own
    expect(mine.tokens.list()).toHaveLength(300);
    mine.close();
    const v = await reopen(path);
    expect(v.tokens.list()).toHaveLength(300);
    for (const id of ours) expect(v.tokens.readSecret(id)).toMatch(/^mine-secret-/);
    for (const a of w.acks) expect(v.tokens.get(a.id).name).toBe(a.name);
    v.close();
  }, 60_000);
});
