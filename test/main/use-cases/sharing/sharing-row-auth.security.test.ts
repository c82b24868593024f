import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../../src/main/vault';
import { sharingSandbox, SHARING_PORT, type Device } from './sharing-fixture';
import { VaultSharingDevice } from './vault-sharing-device';

/**
 * The sharing tables join issue 10's row authentication and re-key: a row of share_device, shares, share_blocks,
 * share_conflicts or share_removals edited, deleted or added by hand is vault-tampered (and a sync touches neither
 * the vault nor the remote), and after `passwd` (a new data key) this device's keys and its shares read and sync as
 * before. Runs only against the real vault (the JSON stand-in has no rows).
 */
const box = sharingSandbox('tv-share-rowauth-');
const NEW_PASSWORD = 'a brand new master password';
const team = 'row-auth-team';

const vaultOf = (d: Device): Vault => (d.port as VaultSharingDevice).vault;
const tampered = (id: string) => expect.objectContaining({ code: 'vault-tampered', message: expect.stringContaining(id) });

/** Edits the live vault file through a second connection, as someone with write access to the file would. */
function byHand<T>(d: Device, fn: (db: Database.Database) => T): T {
  const db = new Database(d.storePath);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** A row's every column, to put it back exactly (mac and rev too) after a tamper case. */
const rowOf = (d: Device, table: string, id: string) => byHand(d, (db) => db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown>);
function putBack(d: Device, table: string, row: Record<string, unknown>): void {
  const cols = Object.keys(row);
  byHand(d, (db) => db.prepare(`INSERT OR REPLACE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row));
}

describe.skipIf(SHARING_PORT !== 'vault')('sharing tables under row authentication and re-key', () => {
  let a: Device;
  let b: Device;
  let ws = '';
  let token = '';
  let remote = '';

  beforeAll(async () => {
    remote = box.bareRepo('row-auth');
    a = await box.device('alice');
    b = await box.device('bob');
    ws = a.port.addWorkspace({ name: 'acme', kind: 'gitlab', baseUrl: 'https://gitlab.acme.example', username: 'robot' }, 'glpat-ADMIN-rowauth');
    token = a.port.addToken(ws, { name: 'deploy', notes: 'first' }, 'glpat-DEPLOY-rowauth');
    await a.engine.init({ remote, team, workspaceIds: [ws] });
    await a.engine.addMember(team, 'bob', b.engine.identity().identity);
    await b.engine.join({ remote });
  });

  it('a hand-edited column of shares, share_device or share_blocks is vault-tampered, and a sync refuses it', async () => {
    const shareId = vaultOf(a).sharing.listShares()[0]?.shareId as string;
    expect(shareId).toBeTruthy();

    // shares: a clear column (the last error shown in Settings) edited
    const share = rowOf(a, 'shares', shareId);
    byHand(a, (db) => db.prepare("UPDATE shares SET last_error_code = 'share-untrusted' WHERE id = ?").run(shareId));
    expect(() => vaultOf(a).sharing.listShares()).toThrow(tampered(shareId));
    await expect(a.engine.sync(team)).rejects.toMatchObject({ code: 'vault-tampered' });
    putBack(a, 'shares', share);
    expect(vaultOf(a).sharing.listShares()[0]?.shareId).toBe(shareId);

    // share_device: the clear column beside this device's sealed private keys edited
    const device = rowOf(a, 'share_device', 'device');
    byHand(a, (db) => db.prepare("UPDATE share_device SET created_at = '2001-01-01T00:00:00.000Z' WHERE id = 'device'").run());
    expect(() => vaultOf(a).sharing.readDeviceKeys()).toThrow(tampered('device'));
    putBack(a, 'share_device', device);

    // share_blocks: a block of sync state's sealed bytes changed
    const blockId = byHand(a, (db) => db.prepare('SELECT id FROM share_blocks WHERE share_id = ? LIMIT 1').pluck().get(shareId) as string);
    const block = rowOf(a, 'share_blocks', blockId);
    byHand(a, (db) => db.prepare('UPDATE share_blocks SET blob = ? WHERE id = ?').run(Buffer.concat([block.blob as Buffer, Buffer.from([0])]), blockId));
    expect(() => vaultOf(a).sharing.listSyncRefs(shareId)).toThrow(tampered(blockId));
    putBack(a, 'share_blocks', block);
    expect(vaultOf(a).sharing.listSyncRefs(shareId).length).toBeGreaterThan(0);
  });

  it("a hand-deleted row (a block of sync state, this device's keys) or a row added by hand is vault-tampered", async () => {
    const shareId = vaultOf(a).sharing.listShares()[0]?.shareId as string;
    const blockId = byHand(a, (db) => db.prepare("SELECT id FROM share_blocks WHERE share_id = ? AND part = 'refs' LIMIT 1").pluck().get(shareId) as string);
    const block = rowOf(a, 'share_blocks', blockId);
    // Without the check, its records would look never synced and the next sync would re-push or drop them.
    byHand(a, (db) => db.prepare('DELETE FROM share_blocks WHERE id = ?').run(blockId));
    expect(() => vaultOf(a).sharing.listSyncRefs(shareId)).toThrow(tampered(blockId));
    await expect(a.engine.sync(team)).rejects.toMatchObject({ code: 'vault-tampered' });
    putBack(a, 'share_blocks', block);

    const device = rowOf(a, 'share_device', 'device');
    byHand(a, (db) => db.prepare("DELETE FROM share_device WHERE id = 'device'").run());
    expect(() => vaultOf(a).sharing.readDeviceKeys()).toThrow(tampered('device'));
    putBack(a, 'share_device', device);

    // A "member removed" mark forged into the table (it would raise a reminder to rotate a token)
    byHand(a, (db) =>
      db
        .prepare("INSERT INTO share_removals (id, share_id, at, token_ids, member) VALUES ('forged', ?, '2026-01-01T00:00:00.000Z', ?, x'00')")
        .run(shareId, JSON.stringify([token])),
    );
    expect(() => vaultOf(a).sharing.removals()).toThrow(tampered('forged'));
    expect(() => vaultOf(a).tokens.reminderFacts([token])).toThrow(tampered('forged'));
    byHand(a, (db) => db.prepare("DELETE FROM share_removals WHERE id = 'forged'").run());

    // Everything put back: the share syncs again.
    await expect(a.engine.sync(team)).resolves.toMatchObject({ rejected: [] });
  });

  it('after passwd (a new data key) this device keeps its identity and its shares, and still syncs both ways', async () => {
    const identity = a.engine.identity().identity;
    const keysBefore = vaultOf(a).sharing.readDeviceKeys();
    const sealedBefore = byHand(a, (db) => db.prepare("SELECT keys FROM share_device WHERE id = 'device'").pluck().get() as Buffer);
    await vaultOf(a).keys.changePassword(NEW_PASSWORD, CHEAP_SCRYPT);
    // re-sealed under the new key, same keys inside
    expect(byHand(a, (db) => db.prepare("SELECT keys FROM share_device WHERE id = 'device'").pluck().get() as Buffer).equals(sealedBefore)).toBe(false);
    expect(vaultOf(a).sharing.readDeviceKeys()).toEqual(keysBefore);

    a.port.editToken(token, { notes: 'edited after passwd' });
    await a.engine.sync(team);
    await b.engine.sync(team);
    expect(b.port.token(token)?.fields).toMatchObject({ notes: 'edited after passwd' });
    b.port.editToken(token, { description: 'bob, after alice changed her password' });
    await b.engine.sync(team);
    await a.engine.sync(team);
    expect(a.port.token(token)?.fields).toMatchObject({ notes: 'edited after passwd', description: 'bob, after alice changed her password' });

    // A fresh handle with the new password reads the same identity, share and sync state (nothing left under the old key).
    const again = Vault.open(a.storePath, { keychain: noKeychain });
    await again.keys.unlockWithPassword(NEW_PASSWORD);
    try {
      expect(again.sharing.readDeviceKeys()).toEqual(keysBefore);
      const share = again.sharing.listShares()[0];
      expect(share).toMatchObject({ team });
      expect(again.sharing.listSyncRefs(share?.shareId as string).length).toBeGreaterThan(0);
      expect(again.sharing.removals()).toEqual([]);
    } finally {
      again.close();
    }
    expect(a.engine.identity().identity).toBe(identity);
  });
});
