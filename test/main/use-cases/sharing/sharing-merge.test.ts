import { describe, expect, it } from 'vitest';
import { sharingSandbox, type Device } from './sharing-fixture';

/** The merge rules that the three-device story does not already walk through, each on a fresh share. */

const box = sharingSandbox('tv-share-merge-');
const team = 'merge';

async function trio(label: string): Promise<{ a: Device; b: Device; c: Device; ws: string; id: string }> {
  const bare = box.bareRepo(label);
  const a = await box.device(`${label}-a`);
  const b = await box.device(`${label}-b`);
  const c = await box.device(`${label}-c`);
  const ws = a.port.addWorkspace({ name: 'ws' });
  const id = a.port.addToken(ws, { name: 'shared-token', notes: 'original' }, 'original-secret');
  await a.engine.init({ remote: bare, team, workspaceIds: [ws] });
  await a.engine.addMember(team, 'b', b.engine.identity().identity);
  await a.engine.addMember(team, 'c', c.engine.identity().identity);
  await b.engine.join({ remote: bare });
  await c.engine.join({ remote: bare });
  return { a, b, c, ws, id };
}

const syncAll = async (...devices: Device[]) => {
  for (const d of devices) await d.engine.sync(team);
};

describe('merge rules', () => {
  it('edits of several records synced at once are stamped in the order they were made: the later edit wins each one', async () => {
    const bare = box.bareRepo('edit-order');
    const a = await box.device('edit-order-a');
    const b = await box.device('edit-order-b');
    const ws = a.port.addWorkspace({ name: 'ws' });
    const ids = Array.from({ length: 8 }, (_, i) => a.port.addToken(ws, { name: `token-${i}`, notes: 'original' }, `secret-${i}`));
    await a.engine.init({ remote: bare, team, workspaceIds: [ws] });
    await a.engine.addMember(team, 'b', b.engine.identity().identity);
    await b.engine.join({ remote: bare });
    // Alice edits token i at minute 2i, Bob the same token at 2i+1: Bob's edit is the later one of every pair. A sync
    // walks records in an order of its own (by path); stamped in that order, an early edit met after a late one was
    // lifted past it by the never-going-back device clock and beat Bob's.
    const soon = Date.now() + 3_600_000;
    ids.forEach((id, i) => {
      a.port.clock = () => new Date(soon + 2 * i * 60_000);
      a.port.editToken(id, { notes: `alice-${i}` });
      b.port.clock = () => new Date(soon + (2 * i + 1) * 60_000);
      b.port.editToken(id, { notes: `bob-${i}` });
    });
    await syncAll(a, b, a);
    for (const d of [a, b]) expect(ids.map((id) => d.port.token(id)?.fields.notes)).toEqual(ids.map((_, i) => `bob-${i}`));
  });

  it.each(['deleter first', 'editor first'])('an edit beats a concurrent delete (%s): the token stays, with the edit, everywhere', async (order) => {
    const { a, b, c, id } = await trio(`edit-delete-${order.split(' ')[0]}`);
    a.port.removeToken(id);
    b.port.editToken(id, { notes: 'still in use!' });
    if (order === 'deleter first') await syncAll(a, b, a, c);
    else await syncAll(b, a, b, a, c);
    for (const d of [a, b, c]) expect(d.port.token(id)).toMatchObject({ secret: 'original-secret', fields: { notes: 'still in use!' } });
  });

  it('three devices rotate the same secret at once: three candidates, none dropped', async () => {
    const { a, b, c, id } = await trio('three-secrets');
    a.port.setSecret(id, 'secret-from-a');
    b.port.setSecret(id, 'secret-from-b');
    c.port.setSecret(id, 'secret-from-c');
    await syncAll(a, b, c, a, b);
    for (const d of [a, b, c]) expect(d.port.token(id)?.secretConflict?.map((x) => x.secret).sort()).toEqual(['secret-from-a', 'secret-from-b', 'secret-from-c']);
  });

  it('a secret cleared on one device and set on another: the set one is kept, no conflict', async () => {
    const { a, b, id } = await trio('clear-vs-set');
    a.port.setSecret(id, null);
    b.port.setSecret(id, 'kept-secret');
    await syncAll(a, b, a);
    for (const d of [a, b]) expect(d.port.token(id)).toMatchObject({ secret: 'kept-secret', secretConflict: null });
  });

  it('a rotation on one device and a note on another: both, and no "two secrets"', async () => {
    const { a, b, id } = await trio('rotate-and-note');
    a.port.setSecret(id, 'rotated');
    b.port.editToken(id, { notes: 'noted' });
    await syncAll(b, a, b);
    for (const d of [a, b]) expect(d.port.token(id)).toMatchObject({ secret: 'rotated', secretConflict: null, fields: { notes: 'noted' } });
  });

  it('the same value typed on two devices is no conflict and leaves no history', async () => {
    const { a, b, id } = await trio('same-value');
    a.port.setSecret(id, 'same-new-secret');
    b.port.setSecret(id, 'same-new-secret');
    a.port.editToken(id, { notes: 'same note' });
    b.port.editToken(id, { notes: 'same note' });
    await syncAll(a, b, a);
    const shareId = a.port.listShares()[0]?.shareId as string;
    for (const d of [a, b]) {
      expect(d.port.token(id)).toMatchObject({ secret: 'same-new-secret', secretConflict: null, fields: { notes: 'same note' } });
      expect(d.port.history(shareId, id)).toEqual([]);
    }
  });

  it('a new workspace and its tokens from one member arrive at the others; a removed workspace goes with its tokens', async () => {
    const { a, b, c } = await trio('workspaces');
    const share = b.port.listShares()[0]!;
    const ws2 = b.port.addWorkspace({ name: 'second-ws', kind: 'npm', baseUrl: 'https://registry.example' }, 'npm-admin');
    const t2 = b.port.addToken(ws2, { name: 'publish' }, 'npm_publish_secret');
    await b.engine.addWorkspace(share.team, ws2);
    await syncAll(a, c);
    for (const d of [a, c]) {
      expect(d.port.workspaces()[ws2]).toMatchObject({ secret: 'npm-admin', fields: { kind: 'npm', name: 'second-ws' } });
      expect(d.port.token(t2)).toMatchObject({ secret: 'npm_publish_secret' });
      expect(d.port.listShares()[0]?.workspaceIds).toContain(ws2);
    }
    // a workspace can be in one share only
    await expect(a.engine.init({ remote: box.bareRepo('other-share'), team: 'other', workspaceIds: [ws2] })).rejects.toMatchObject({ code: 'already-exists' });
  });
});
