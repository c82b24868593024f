import { createHash } from 'node:crypto';
import { AppFailure } from '../../errors';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import type { DeviceKeys, HistoryEntry, MemberRemovedMark, RecordSyncState, SecretCandidate, SharedRecordKind, ShareError, ShareState, SyncRef } from './share-records';

/**
 * The sharing tables (db/migrations/002-sharing.ts): this device's keys, the shares, the per-record sync states in
 * blocks, the "two secrets" candidates and the "member removed" marks. Functions that write run inside the caller's
 * `core.write`; every sealed value names its table, row and field in its AAD.
 */

const changed = (what: string) => new AppFailure('share-local-changed', `${what} changed in another Token Vault process meanwhile.`);
const tampered = (what: string) => new AppFailure('vault-tampered', `${what} in the vault failed its integrity check: the file was changed outside Token Vault. Restore it from a backup.`);

function parseSealed<T>(core: VaultCore, table: string, id: string, field: string, blob: Buffer, what: string): T {
  const text = openText(core.key(), blob, aad(table, id, field), what);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw tampered(what);
  }
}
const seal = (core: VaultCore, table: string, id: string, field: string, value: unknown): Buffer => sealText(core.key(), JSON.stringify(value), aad(table, id, field));

// ---------------------------------------------------------------- this device's keys

export function readDeviceKeys(core: VaultCore): DeviceKeys | null {
  const row = core.read(() => core.db.prepare("SELECT keys FROM share_device WHERE id = 'device'").get()) as { keys: Buffer } | undefined;
  return row ? parseSealed<DeviceKeys>(core, 'share_device', 'device', 'keys', row.keys, "This device's sharing keys") : null;
}

/** Compare-and-set: the first keys stored win; a second process racing the first gets the first one's keys back. */
export function createDeviceKeys(core: VaultCore, keys: DeviceKeys): DeviceKeys {
  return core.write(() => {
    const existing = readDeviceKeys(core);
    if (existing) return existing;
    core.db.prepare("INSERT INTO share_device (id, created_at, keys) VALUES ('device', ?, ?)").run(keys.createdAt, seal(core, 'share_device', 'device', 'keys', keys));
    return keys;
  });
}

// ---------------------------------------------------------------- shares

/** The sealed part of a share row. */
interface SealedShare {
  team: string;
  remote: string;
  workspaceIds: string[];
  lastErrorMessage: string | null;
  engine: string;
}

interface ShareRow {
  id: string;
  last_sync_at: string | null;
  last_error_code: string | null;
  state: Buffer;
}

function shareOf(core: VaultCore, row: ShareRow): ShareState {
  const s = parseSealed<SealedShare>(core, 'shares', row.id, 'state', row.state, 'A share');
  const lastError: ShareError | null = row.last_error_code ? { code: row.last_error_code, message: s.lastErrorMessage ?? '' } : null;
  return { shareId: row.id, team: s.team, remote: s.remote, workspaceIds: s.workspaceIds, lastSyncAt: row.last_sync_at, lastError, engine: s.engine };
}

export function listShares(core: VaultCore): ShareState[] {
  core.key();
  const rows = core.read(() => core.db.prepare('SELECT id, last_sync_at, last_error_code, state FROM shares ORDER BY created_at, id').all()) as ShareRow[];
  return rows.map((r) => shareOf(core, r));
}

function currentEngine(core: VaultCore, shareId: string): string | null {
  const row = core.db.prepare('SELECT id, last_sync_at, last_error_code, state FROM shares WHERE id = ?').get(shareId) as ShareRow | undefined;
  return row ? shareOf(core, row).engine : null;
}

/** Inside a write: stores the share if its engine string is still `expectEngine` (null: it must not exist yet). */
export function putShare(core: VaultCore, share: ShareState, expectEngine: string | null): void {
  if (currentEngine(core, share.shareId) !== expectEngine) throw changed('The share');
  const sealed: SealedShare = {
    team: share.team,
    remote: share.remote,
    workspaceIds: share.workspaceIds,
    lastErrorMessage: share.lastError?.message ?? null,
    engine: share.engine,
  };
  core.db
    .prepare(
      `INSERT INTO shares (id, created_at, last_sync_at, last_error_code, state) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET last_sync_at = excluded.last_sync_at, last_error_code = excluded.last_error_code, state = excluded.state`,
    )
    .run(share.shareId, new Date().toISOString(), share.lastSyncAt, share.lastError?.code ?? null, seal(core, 'shares', share.shareId, 'state', sealed));
}

/** Inside a write: the share, its blocks and its removal marks (the records stay; they are local now). */
export function deleteShare(core: VaultCore, shareId: string): void {
  core.db.prepare('DELETE FROM share_blocks WHERE share_id = ?').run(shareId);
  core.db.prepare('DELETE FROM share_removals WHERE share_id = ?').run(shareId);
  core.db.prepare('DELETE FROM shares WHERE id = ?').run(shareId);
}

// ---------------------------------------------------------------- per-record sync states, in blocks

/** Blocks per part per share: a record's block is fixed by its id, so a change re-seals one block of each part. */
const SLOTS = 64;
type Part = 'refs' | 'states';
/** [kind, revision, git blob, deleted]: the facts every sync lists. */
type RefEntry = [SharedRecordKind, string | null, string | null, 0 | 1];
type StateEntry = { versions: string; history: HistoryEntry[] };
type Block<T> = Record<string, T>;

const slotOf = (recordId: string): number => createHash('sha256').update(recordId).digest().readUInt16BE(0) % SLOTS;
const blockId = (shareId: string, part: Part, slot: number) => `${shareId}/${part}/${slot}`;

function readBlocks<T>(core: VaultCore, shareId: string, part: Part, slots?: ReadonlySet<number>): Map<number, Block<T>> {
  const rows = core.read(() => core.db.prepare('SELECT id, slot, blob FROM share_blocks WHERE share_id = ? AND part = ?').all(shareId, part)) as {
    id: string;
    slot: number;
    blob: Buffer;
  }[];
  const out = new Map<number, Block<T>>();
  for (const r of rows) {
    if (slots && !slots.has(r.slot)) continue;
    if (r.id !== blockId(shareId, part, r.slot)) throw tampered("A share's sync state");
    out.set(r.slot, parseSealed<Block<T>>(core, 'share_blocks', r.id, 'blob', r.blob, "A share's sync state"));
  }
  return out;
}

function writeBlock(core: VaultCore, shareId: string, part: Part, slot: number, content: Block<unknown>): void {
  const id = blockId(shareId, part, slot);
  if (Object.keys(content).length === 0) {
    core.db.prepare('DELETE FROM share_blocks WHERE id = ?').run(id);
    return;
  }
  core.db
    .prepare('INSERT INTO share_blocks (id, share_id, part, slot, blob) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET blob = excluded.blob')
    .run(id, shareId, part, slot, seal(core, 'share_blocks', id, 'blob', content));
}

export function listSyncRefs(core: VaultCore, shareId: string): SyncRef[] {
  core.key();
  const out: SyncRef[] = [];
  for (const block of readBlocks<RefEntry>(core, shareId, 'refs').values())
    for (const [recordId, [kind, revision, blob, deleted]] of Object.entries(block)) out.push({ recordId, kind, revision, blob, deleted: deleted === 1 });
  return out;
}

export function readSyncStates(core: VaultCore, shareId: string, ids: readonly string[]): RecordSyncState[] {
  core.key();
  const wanted = [...new Set(ids)];
  const slots = new Set(wanted.map(slotOf));
  const refs = readBlocks<RefEntry>(core, shareId, 'refs', slots);
  const states = readBlocks<StateEntry>(core, shareId, 'states', slots);
  const out: RecordSyncState[] = [];
  for (const id of wanted) {
    const slot = slotOf(id);
    const ref = refs.get(slot)?.[id];
    if (!ref) continue;
    const state = states.get(slot)?.[id];
    if (!state) throw tampered("A share's sync state");
    out.push({ recordId: id, kind: ref[0], revision: ref[1], blob: ref[2], deleted: ref[3] === 1, versions: state.versions, history: state.history });
  }
  return out;
}

/** Inside a write: puts and drops states, re-sealing each touched block of each part once. */
export function writeSyncStates(core: VaultCore, shareId: string, put: readonly RecordSyncState[], drop: readonly string[]): void {
  if (put.length === 0 && drop.length === 0) return;
  const slots = new Set([...put.map((s) => slotOf(s.recordId)), ...drop.map(slotOf)]);
  const refs = readBlocks<RefEntry>(core, shareId, 'refs', slots);
  const states = readBlocks<StateEntry>(core, shareId, 'states', slots);
  const block = <T>(m: Map<number, Block<T>>, slot: number): Block<T> => {
    let b = m.get(slot);
    if (!b) m.set(slot, (b = {}));
    return b;
  };
  for (const id of drop) {
    delete block(refs, slotOf(id))[id];
    delete block(states, slotOf(id))[id];
  }
  for (const s of put) {
    const slot = slotOf(s.recordId);
    block(refs, slot)[s.recordId] = [s.kind, s.revision, s.blob, s.deleted ? 1 : 0];
    block(states, slot)[s.recordId] = { versions: s.versions, history: s.history };
  }
  for (const slot of slots) {
    writeBlock(core, shareId, 'refs', slot, block(refs, slot));
    writeBlock(core, shareId, 'states', slot, block(states, slot));
  }
}

/** Inside a write: appends history entries to one record's state (the secret candidates not picked). */
export function appendHistory(core: VaultCore, shareId: string, recordId: string, entries: readonly HistoryEntry[]): void {
  const state = readSyncStates(core, shareId, [recordId])[0];
  if (!state || entries.length === 0) return;
  writeSyncStates(core, shareId, [{ ...state, history: [...state.history, ...entries] }], []);
}

// ---------------------------------------------------------------- "two secrets"

export function readConflicts(core: VaultCore, ids: readonly string[]): Map<string, SecretCandidate[]> {
  core.key();
  const rows = core.read(() =>
    core.db.prepare('SELECT id, candidates FROM share_conflicts WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify([...new Set(ids)])),
  ) as { id: string; candidates: Buffer }[];
  return new Map(rows.map((r) => [r.id, parseSealed<SecretCandidate[]>(core, 'share_conflicts', r.id, 'candidates', r.candidates, 'The secrets of a record')]));
}

/** Inside a write: a record's candidates (null: it has one secret again). */
export function setConflict(core: VaultCore, id: string, kind: SharedRecordKind, candidates: readonly SecretCandidate[] | null): void {
  if (candidates === null || candidates.length < 2) {
    core.db.prepare('DELETE FROM share_conflicts WHERE id = ?').run(id);
    return;
  }
  core.db
    .prepare('INSERT INTO share_conflicts (id, kind, candidates) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, candidates = excluded.candidates')
    .run(id, kind, seal(core, 'share_conflicts', id, 'candidates', candidates));
}

/** Inside a write: candidates of records that are gone. */
export function dropOrphanConflicts(core: VaultCore): void {
  core.db.prepare('DELETE FROM share_conflicts WHERE id NOT IN (SELECT id FROM tokens) AND id NOT IN (SELECT id FROM workspaces)').run();
}

// ---------------------------------------------------------------- "member removed"

/** Inside a write: one row per removal (member and instant), naming every token the member could read. */
export function addRemovals(core: VaultCore, shareId: string, marks: readonly MemberRemovedMark[]): void {
  const byRemoval = new Map<string, { member: string; at: string; tokenIds: string[] }>();
  for (const m of marks) {
    const k = `${m.member}\u0000${m.at}`;
    let r = byRemoval.get(k);
    if (!r) byRemoval.set(k, (r = { member: m.member, at: m.at, tokenIds: [] }));
    r.tokenIds.push(m.tokenId);
  }
  const insert = core.db.prepare('INSERT INTO share_removals (id, share_id, at, token_ids, member) VALUES (?, ?, ?, ?, ?)');
  for (const r of byRemoval.values()) {
    const id = createHash('sha256').update(`${shareId}\u0000${r.member}\u0000${r.at}`).digest('hex').slice(0, 32);
    core.db.prepare('DELETE FROM share_removals WHERE id = ?').run(id);
    insert.run(id, shareId, r.at, JSON.stringify([...new Set(r.tokenIds)].sort()), seal(core, 'share_removals', id, 'member', r.member));
  }
}

/** Every removal mark per token (the member's name needs the key; the dates do not). */
export function listRemovals(core: VaultCore): MemberRemovedMark[] {
  core.key();
  const rows = core.read(() => core.db.prepare('SELECT id, at, token_ids, member FROM share_removals ORDER BY at').all()) as { id: string; at: string; token_ids: string; member: Buffer }[];
  return rows.flatMap((r) => {
    const member = parseSealed<string>(core, 'share_removals', r.id, 'member', r.member, 'A member removal');
    return (JSON.parse(r.token_ids) as string[]).map((tokenId) => ({ tokenId, member, at: r.at }));
  });
}
