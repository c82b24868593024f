import { AppFailure } from '../../errors';
import { chainAuditAsIs } from '../audit/vault-audit';
import { deriveKeys, lookupRef } from '../crypto/canonical';
import { aad, calibrateScrypt, openText, wipe } from '../crypto/vault-crypto';
import { emptyManifest, sealManifest } from '../db/manifest';
import { MIGRATIONS } from '../db/migrations';
import { migration002RowAuth } from '../db/migrations/002-row-auth';
import { sealRow } from '../db/row-auth';
import { settingsCanon, type VaultCore } from '../db/vault-core';
import { JOURNAL } from '../journal/vault-journal';
import type { SealedFields } from '../tokens/summary-shards';
import { tamperedToken } from '../tokens/token-rows';
import { sealSecret, ShardWrite } from '../tokens/token-store';
import { WORKSPACES } from '../workspaces/workspace-records';
import type { Keychain } from './keychain';
import { isLegacySlot, keychainKek, legacyKdf, legacyKeychainSlot, readSlots, rewrapKeychain, wrapWithPassword, writeSlot, type SlotKind, type SlotRow } from './key-slots';

/**
 * THE UPGRADE OF A FORMAT-1 VAULT (the first release: no row MACs, no manifest, no audit chain, format-1 key slots).
 * Row authentication (migration 002, db/row-auth.ts) needs the data key, so a format-1 file is opened as it is (the
 * clear columns the locked app reads did not change) and upgraded at its first successful unlock, password or
 * keychain, by the app or the CLI: the schema step, every secret re-sealed under its generation, every shard with its
 * rows' canonical text and the sealed remote id, every workspace and rotation step its MAC, the audit chain, the key
 * id, the manifest, the key slots that can be re-wrapped now, and format 2: ALL IN ONE TRANSACTION, so a crash at any
 * point leaves the format-1 file untouched, upgraded at the next unlock.
 *
 * The rows are trusted as they are at that moment (README, security model): a format-1 file edited before its first
 * unlock by this release is sealed as edited. Sealed values still had to open under their format-1 AAD (table, row,
 * field), so a blob moved between rows or fields is refused, and nothing is written.
 */
export const vaultFormat = (core: VaultCore): number => core.read(() => core.db.pragma('user_version', { simple: true }) as number);

type OldFields = [string, string | null, string | null, string | null, string[], string | null, string | null];

/**
 * Before the key is adopted: upgrades a format-1 vault (true) or does nothing (false: format 2 already, maybe upgraded
 * meanwhile by another process). `password`: the unlock's password, which re-wraps the password slot; the keychain
 * slot is re-wrapped when the keychain answers. A slot that cannot be re-wrapped now stays format 1 (still opened,
 * see key-slots.ts) until `renewLegacySlot` replaces it.
 */
export async function upgradeFormat1(core: VaultCore, key: Buffer, via: { password?: string; keychain?: Keychain }): Promise<boolean> {
  if (vaultFormat(core) !== 1) return false;
  const slots = await newSlots(core, key, via);
  const copy = Buffer.from(key);
  try {
    return core.guard(() =>
      core.db
        .transaction(() => {
          // Another process may have upgraded it since we looked: then there is nothing left to do.
          if ((core.db.pragma('user_version', { simple: true }) as number) !== 1) return false;
          upgradeRows(core, copy, slots);
          return true;
        })
        .immediate(),
    );
  } catch (error) {
    throw error instanceof AppFailure ? error : new AppFailure('vault-corrupt', 'The vault of the earlier Token Vault could not be upgraded: it is damaged. It was left as it was; restore it from a backup.');
  } finally {
    // The upgrade's copy of the key: the caller adopts its own.
    core.setKey(null);
    wipe(copy);
  }
}

/** After a password unlock of a format-2 vault whose password slot is still format 1: it becomes format 2. */
export async function renewLegacySlot(core: VaultCore, kind: SlotKind, slot: SlotRow, password: string): Promise<void> {
  if (kind !== 'password' || !isLegacySlot(slot)) return;
  const renewed = await wrapWithPassword(core.vaultId, core.key(), password, legacyKdf(slot) ?? (await calibrateScrypt()));
  core.write(() => {
    const now = readSlots(core.db).get('password');
    if (now && now.params === slot.params && now.wrapped.equals(slot.wrapped)) writeSlot(core.db, 'password', renewed);
  });
}

async function newSlots(core: VaultCore, key: Buffer, via: { password?: string; keychain?: Keychain }): Promise<Map<SlotKind, SlotRow>> {
  const slots = core.read(() => readSlots(core.db));
  const out = new Map<SlotKind, SlotRow>();
  const password = slots.get('password');
  if (password && isLegacySlot(password) && via.password !== undefined)
    out.set('password', await wrapWithPassword(core.vaultId, key, via.password, legacyKdf(password) ?? (await calibrateScrypt())));
  const keychain = slots.get('keychain');
  if (keychain && isLegacySlot(keychain) && via.keychain) {
    const v2 = legacyKeychainSlot(keychain);
    const kek = await keychainKek(v2, via.keychain).catch(() => null);
    if (kek) out.set('keychain', rewrapKeychain(core.vaultId, v2, kek, key));
    wipe(kek);
  }
  return out;
}

/** Inside the upgrade's transaction. `key` becomes the core's key (the caller drops it). */
function upgradeRows(core: VaultCore, key: Buffer, slots: Map<SlotKind, SlotRow>): void {
  const { db } = core;
  // Everything is read and opened under format 1 before the schema changes.
  const fields = new Map<string, OldFields>();
  for (const [id, blob] of db.prepare('SELECT id, blob FROM token_shards').raw().all() as [number, Buffer][]) {
    const content = JSON.parse(openText(key, blob, aad('token_shards', id, 'summaries'), `The block of token names ${id}`)) as Record<string, OldFields>;
    for (const [tokenId, f] of Object.entries(content)) fields.set(tokenId, f);
  }
  const tokens = db.prepare('SELECT id, workspace_id, shard_id, remote_id, secret FROM tokens').raw().all() as [string, string, number, string | null, Buffer | null][];
  const secrets = tokens.map(([id, , , , blob]) => (blob ? openText(key, blob, aad('tokens', id, 'secret'), `The secret of token ${id}`) : null));
  const workspaceIds = db.prepare('SELECT id FROM workspaces').pluck().all() as string[];
  const journalIds = db.prepare('SELECT id FROM rotation_journal').pluck().all() as string[];

  migration002RowAuth.up(db);
  db.pragma(`user_version = ${migration002RowAuth.version}`);
  // The later steps only add tables of their own (trash, deployment targets): they join the same transaction, so the
  // upgraded file is at the latest version and a second open migrates nothing.
  for (const m of MIGRATIONS) {
    if (m.version <= migration002RowAuth.version) continue;
    m.up(db);
    db.pragma(`user_version = ${m.version}`);
  }
  db.prepare("INSERT INTO meta (key, value) VALUES ('key_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(deriveKeys(key).id);
  db.prepare('INSERT INTO manifest (id, blob) VALUES (1, ?)').run(sealManifest(key, core.vaultId, emptyManifest(settingsCanon(db))));
  core.setKey(key);
  core.write(() => {
    const lookup = core.derived().lookup;
    const update = db.prepare('UPDATE tokens SET secret = ?, secret_rev = ?, remote_ref = ?, remote_id = NULL WHERE id = ?');
    const byShard = new Map<number, Map<string, SealedFields>>();
    tokens.forEach(([id, workspaceId, shardId, remoteId], i) => {
      const f = fields.get(id);
      if (!f) throw tamperedToken(id, 'is not in its block of names');
      const secret = secrets[i] ?? null;
      update.run(secret === null ? null : sealSecret(key, id, 1, secret), secret === null ? 0 : 1, remoteId === null ? null : lookupRef(lookup, workspaceId, remoteId), id);
      let shard = byShard.get(shardId);
      if (!shard) byShard.set(shardId, (shard = new Map()));
      shard.set(id, [f[0], f[1], f[2], f[3], f[4], f[5], f[6], remoteId]);
    });
    // Shards left without a token are dropped (the first release kept them); the others are sealed with their rows.
    for (const id of db.prepare('SELECT id FROM token_shards').pluck().all() as number[]) if (!byShard.has(id)) db.prepare('DELETE FROM token_shards WHERE id = ?').run(id);
    const shards = new ShardWrite(core);
    for (const [shardId, f] of byShard) shards.adopt(shardId, f);
    shards.flush();
    for (const id of workspaceIds) sealRow(core, WORKSPACES, id);
    for (const id of journalIds) sealRow(core, JOURNAL, id);
    chainAuditAsIs(core);
    for (const [kind, slot] of slots) writeSlot(db, kind, slot);
  });
}
