import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../src/main/vault';
import type { VaultCore } from '../../../src/main/vault/db/vault-core';
import { keychainSlotHint } from '../../../src/main/vault/keychain';

const hasKeychainSlot = (path: string) => keychainSlotHint(path) !== null;
import { SHARD_SIZE } from '../../../src/main/vault/tokens/summary-shards';
import { mayHoldName, seedsOf } from '../../../src/main/vault/tokens/name-filter';
import { nameRefOf, ShardWrite } from '../../../src/main/vault/tokens/token-store';
import { newVault, reopen, tempDirs } from './vault-support';

/**
 * Issue 13: a reference (`run`, `inject`, `read`, `get W/N`) finds its token through the keyed name hash in the clear
 * `name_ref` column (migration 006) and opens only that token's block of names, not all of them. These tests pin what
 * that must not cost: a hash edited by hand is tampering, never a silent answer; a vault written before the column
 * gets its hashes at the first unlock; renames and re-keys keep them right.
 */
const tmp = tempDirs();
const tampered = expect.objectContaining({ code: 'vault-tampered' });
const coreOf = (v: Vault) => (v as unknown as { core: VaultCore }).core;

/** A workspace of 3 blocks of names and then some, so a token's block is one of several. */
async function seeded(dir: string) {
  const v = await newVault(dir);
  const ws = v.workspaces.create({ kind: 'manual', name: 'Team' });
  const records = Array.from({ length: SHARD_SIZE * 3 + 5 }, (_, i) => ({ workspace: 'Team', name: `token-${i}`, secret: `secret-${i}` }));
  v.tokens.import(records);
  const byName = new Map(v.tokens.list().map((t) => [t.name, t]));
  return { v, ws, byName, path: join(dir, 'vault.db') };
}

function onFile(path: string, fn: (db: Database.Database) => void): void {
  const db = new Database(path);
  fn(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('references open one block of names (issue 13)', () => {
  it('finds by exact name, else case aside, and reads only the named token\'s block: a damaged other block does not stop it, a full list still refuses it', async () => {
    const { v, ws, byName, path } = await seeded(tmp());
    const target = byName.get('token-7');
    // The far block is one whose name filter says no to token-7: one that says yes (a false positive, about once in
    // 2,000) is opened and checked too, and then its damage rightly stops the lookup.
    const core = coreOf(v);
    const seeds = seedsOf(nameRefOf(core, ws.id, 'token-7'));
    const filters = core.manifest().names ?? {};
    const far = [SHARD_SIZE * 3, SHARD_SIZE * 2, SHARD_SIZE + 9]
      .map((i) => byName.get(`token-${i}`))
      .find((t) => {
        const shard = core.db.prepare('SELECT shard_id FROM tokens WHERE id = ?').pluck().get(t?.id) as number;
        const filter = filters[String(shard)];
        return filter !== undefined && !mayHoldName(Buffer.from(filter, 'base64'), seeds);
      });
    expect(far).toBeDefined();
    v.close();
    const shardOf = (db: Database.Database, id: string) => db.prepare('SELECT shard_id FROM tokens WHERE id = ?').pluck().get(id) as number;
    onFile(path, (db) => {
      expect(shardOf(db, target?.id ?? '')).not.toBe(shardOf(db, far?.id ?? ''));
      // Damage the far token's block: one byte of its ciphertext.
      const blob = db.prepare('SELECT blob FROM token_shards WHERE id = ?').pluck().get(shardOf(db, far?.id ?? '')) as Buffer;
      blob[40] = (blob[40] as number) ^ 1;
      db.prepare('UPDATE token_shards SET blob = ? WHERE id = ?').run(blob, shardOf(db, far?.id ?? ''));
    });
    const again = await reopen(path);
    expect(again.tokens.findByName(ws.id, 'token-7').map((t) => t.id)).toEqual([target?.id]);
    expect(again.tokens.findByName(ws.id, 'TOKEN-7').map((t) => t.id)).toEqual([target?.id]);
    // A name found nowhere is looked for in the whole workspace before "no token" is said: that meets the damage.
    expect(() => again.tokens.findByName(ws.id, 'token-70000')).toThrow(tampered);
    expect(again.tokens.readSecret(target?.id ?? '')).toBe('secret-7');
    expect(() => again.tokens.findByName(ws.id, far?.name ?? '')).toThrow(tampered);
    expect(() => again.tokens.list()).toThrow(tampered);
    again.close();
  });

  it('an exact name wins over one that differs in case only; two of the same case are both returned (ambiguous, never a guess)', async () => {
    const v = await newVault(tmp());
    const ws = v.workspaces.create({ kind: 'manual', name: 'Team' });
    const lower = v.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 'a' });
    const upper = v.tokens.insert({ workspaceId: ws.id, name: 'Deploy', secret: 'b' });
    // A service may list two tokens of one name (a sync brings them as they are).
    const twins = v.tokens.applyBatch(ws.id, { insert: [{ workspaceId: ws.id, name: 'twin', remoteId: 'r1' }, { workspaceId: ws.id, name: 'twin', remoteId: 'r2' }] });
    expect(twins.inserted.length).toBe(2);
    v.close();
    const again = await reopen(v.path);
    expect(again.tokens.findByName(ws.id, 'Deploy').map((t) => t.id)).toEqual([upper.id]);
    expect(again.tokens.findByName(ws.id, 'deploy').map((t) => t.id)).toEqual([lower.id]);
    expect(again.tokens.findByName(ws.id, 'DEPLOY').map((t) => t.id).sort()).toEqual([lower.id, upper.id].sort());
    expect(again.tokens.findByName(ws.id, 'twin').length).toBe(2);
    again.close();
  });

  it('a name hash edited by hand is refused as tampering: cleared, or copied from another token to steer a reference', async () => {
    const { v, ws, byName, path } = await seeded(tmp());
    const a = byName.get('token-1');
    v.close();
    onFile(path, (db) => db.prepare('UPDATE tokens SET name_ref = NULL WHERE id = ?').run(a?.id));
    let again = await reopen(path);
    expect(() => again.tokens.findByName(ws.id, 'token-1')).toThrow(tampered);
    again.close();

    const dir = tmp();
    const fresh = await seeded(dir);
    const c = fresh.byName.get('token-1');
    const d = fresh.byName.get('token-2');
    fresh.v.close();
    // token-2's hash copied onto token-1: a reference to token-2 would now also meet token-1's row.
    onFile(fresh.path, (db) => {
      const ref = db.prepare('SELECT name_ref FROM tokens WHERE id = ?').pluck().get(d?.id) as string;
      db.prepare('UPDATE tokens SET name_ref = ? WHERE id = ?').run(ref, c?.id);
    });
    again = await reopen(fresh.path);
    expect(() => again.tokens.findByName(fresh.ws.id, 'token-2')).toThrow(tampered);
    again.close();
  });

  // Breaker finding: a row taken out of the name index by hand was never checked, so its case sibling (or its twin)
  // answered instead. Each block's name filter, sealed in the manifest, still leads the lookup to the row's block.
  for (const [what, sql] of [
    ['its hash edited', "UPDATE tokens SET name_ref = 'AAAAAAAAAAAAAAAAAAAAAA' WHERE id = ?"],
    ['its hash cleared', 'UPDATE tokens SET name_ref = NULL WHERE id = ?'],
    ['the row deleted', 'DELETE FROM tokens WHERE id = ?'],
    ['the row given to another workspace', "UPDATE tokens SET workspace_id = 'elsewhere' WHERE id = ?"],
    ['the row moved to a block of its own', 'UPDATE tokens SET shard_id = 9999 WHERE id = ?'],
  ] as const) {
    it(`a row taken out of the name index (${what}) is refused as tampering, never answered for by a token of a similar name`, async () => {
      const v = await newVault(tmp());
      const ws = v.workspaces.create({ kind: 'manual', name: 'W' });
      const lower = v.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 'secret-of-deploy' });
      v.tokens.import(Array.from({ length: SHARD_SIZE }, (_, i) => ({ workspace: 'W', name: `f-${i}`, secret: `s-${i}` })));
      const upper = v.tokens.insert({ workspaceId: ws.id, name: 'Deploy', secret: 'secret-of-Deploy' });
      const twin = v.tokens.applyBatch(ws.id, { insert: [{ workspaceId: ws.id, name: 'twin', remoteId: 'r1', secret: 'twin-1' }] }).inserted[0];
      v.tokens.import(Array.from({ length: SHARD_SIZE }, (_, i) => ({ workspace: 'W', name: `g-${i}`, secret: `t-${i}` })));
      v.tokens.applyBatch(ws.id, { insert: [{ workspaceId: ws.id, name: 'twin', remoteId: 'r2', secret: 'twin-2' }] });
      v.close();
      onFile(v.path, (db) => {
        const shard = (id: string) => db.prepare('SELECT shard_id FROM tokens WHERE id = ?').pluck().get(id);
        expect(shard(lower.id)).not.toBe(shard(upper.id));
        db.prepare(sql).run(lower.id);
        db.prepare(sql).run(twin?.id);
      });
      const again = await reopen(v.path);
      expect(() => again.tokens.findByName(ws.id, 'deploy')).toThrow(tampered);
      expect(() => again.tokens.findByName(ws.id, 'twin')).toThrow(tampered);
      again.close();
    });
  }

  it('a vault written before name hashes gets them at its first unlock; until then its rows are still found', async () => {
    const { v, ws, byName, path } = await seeded(tmp());
    // The state migration 006 leaves an older vault in: no hash, and shards vouching for rows without one.
    const core = coreOf(v);
    core.write(() => {
      const rows = core.db.prepare('SELECT id, shard_id FROM tokens').raw().all() as [string, number][];
      const shards = new ShardWrite(core);
      for (const [, shardId] of rows) shards.touch(shardId);
      core.db.prepare('UPDATE tokens SET name_ref = NULL').run();
      shards.flush();
    });
    core.forgetCaches();
    // Same handle, hashes gone: every row is a candidate, so nothing is missed.
    expect(v.tokens.findByName(ws.id, 'token-9').map((t) => t.id)).toEqual([byName.get('token-9')?.id]);
    v.close();
    const unhashed = (p: string) => {
      const db = new Database(p, { readonly: true });
      const n = db.prepare('SELECT count(*) FROM tokens WHERE name_ref IS NULL').pluck().get() as number;
      db.close();
      return n;
    };
    expect(unhashed(path)).toBe(byName.size);
    const again = await reopen(path);
    expect(unhashed(path)).toBe(0);
    expect(again.tokens.findByName(ws.id, 'token-9').map((t) => t.id)).toEqual([byName.get('token-9')?.id]);
    expect(again.tokens.list().length).toBe(byName.size);
    again.close();
  });

  it('a rename moves the token to its new name; a re-key (passwd) rewrites every hash under the new key', async () => {
    const { v, ws, byName, path } = await seeded(tmp());
    const t = byName.get('token-3');
    v.tokens.update(t?.id ?? '', { name: 'renamed' });
    const refs = () => {
      const db = new Database(path, { readonly: true });
      const all = db.prepare('SELECT name_ref FROM tokens ORDER BY id').pluck().all();
      db.close();
      return all;
    };
    const refsBefore = refs();
    await v.keys.changePassword('another password entirely', CHEAP_SCRYPT);
    v.close();
    const refsAfter = refs();
    expect(refsAfter.filter((r, i) => r === refsBefore[i])).toEqual([]);
    const again = Vault.open(path, { keychain: noKeychain });
    await again.keys.unlockWithPassword('another password entirely');
    expect(again.tokens.findByName(ws.id, 'renamed').map((x) => x.id)).toEqual([t?.id]);
    expect(again.tokens.findByName(ws.id, 'token-3')).toEqual([]);
    again.close();
  });
});

describe('the keychain hint the command line reads before the vault loads', () => {
  it('is false, at once and without opening it, for a missing file, a FIFO, a file that is not a vault and a vault without a keychain slot', async () => {
    const dir = tmp();
    expect(hasKeychainSlot(join(dir, 'missing.db'))).toBe(false);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(hasKeychainSlot(fifo)).toBe(false);
    writeFileSync(join(dir, 'text.db'), 'not a database at all');
    expect(hasKeychainSlot(join(dir, 'text.db'))).toBe(false);
    const v = await newVault(dir);
    v.close();
    expect(hasKeychainSlot(v.path)).toBe(false);
    onFile(v.path, (db) => db.prepare("INSERT INTO key_slots (kind, params, wrapped, created_at) VALUES ('keychain', '{}', x'00', '')").run());
    expect(hasKeychainSlot(v.path)).toBe(true);
    // The account it reads ahead: only from parameters of a shape Token Vault writes, else none (the unlock decides).
    const accountWith = (params: string) => {
      onFile(v.path, (db) => db.prepare("UPDATE key_slots SET params = ? WHERE kind = 'keychain'").run(params));
      return keychainSlotHint(v.path)?.account;
    };
    expect(accountWith('{"v":2,"account":"vault-abc"}')).toBe('vault-abc');
    expect(accountWith('{"account":"vault-abc"}')).toBe('vault-abc');
    expect(accountWith('{"v":3,"account":"vault-abc"}')).toBe('');
    expect(accountWith('{"v":2,"account":42}')).toBe('');
    expect(accountWith(`{"v":2,"account":"${'x'.repeat(5000)}"}`)).toBe('');
    expect(accountWith('not json')).toBe('');
  });

  it('never runs a view or a trigger someone put in the file (a recursive view never returned), and leaves no -wal or -shm beside a damaged file (breaker findings)', async () => {
    const dir = tmp();
    const v = await newVault(dir);
    v.close();
    const hostile = join(dir, 'hostile.db');
    copyFileSync(v.path, hostile);
    onFile(hostile, (db) =>
      db.exec("DROP TABLE key_slots; CREATE VIEW key_slots AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT CASE WHEN x < 0 THEN 'keychain' ELSE printf('%d', x) END AS kind FROM c"),
    );
    expect(hasKeychainSlot(hostile)).toBe(false);
    expect(() => Vault.open(hostile, { keychain: noKeychain })).toThrow(expect.objectContaining({ code: 'vault-corrupt', message: expect.stringContaining('a view') }));
    const triggered = join(dir, 'trigger.db');
    copyFileSync(v.path, triggered);
    onFile(triggered, (db) => db.exec('CREATE TRIGGER evil AFTER INSERT ON tokens BEGIN SELECT 1; END'));
    expect(() => Vault.open(triggered, { keychain: noKeychain })).toThrow(expect.objectContaining({ code: 'vault-corrupt', message: expect.stringContaining('a trigger') }));
    // One of the vault's own triggers, emptied of its refusal, is someone else's too.
    const emptied = join(dir, 'emptied.db');
    copyFileSync(v.path, emptied);
    onFile(emptied, (db) => db.exec('DROP TRIGGER audit_no_delete; CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT 1; END'));
    expect(() => Vault.open(emptied, { keychain: noKeychain })).toThrow(expect.objectContaining({ code: 'vault-corrupt' }));
    // A format number lowered by hand: the step it asks for again does not apply. Refused, not a crash.
    const lowered = join(dir, 'lowered.db');
    copyFileSync(v.path, lowered);
    onFile(lowered, (db) => db.pragma('user_version = 5'));
    expect(() => Vault.open(lowered, { keychain: noKeychain })).toThrow(expect.objectContaining({ code: 'vault-corrupt' }));
    // The vault itself opens (its own two triggers are known).
    (await reopen(v.path)).close();
    const damaged = join(dir, 'damaged.db');
    copyFileSync(v.path, damaged);
    truncateSync(damaged, 8192);
    expect(hasKeychainSlot(damaged)).toBe(false);
    expect(existsSync(`${damaged}-wal`) || existsSync(`${damaged}-shm`)).toBe(false);
  });
});
