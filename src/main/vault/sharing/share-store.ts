import { createHash } from 'node:crypto';
import { AppFailure } from '../../errors';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { authTable, checkedRows, dropRow, sealRow, tamperedRow, type AuthTable } from '../db/row-auth';
import type { VaultCore } from '../db/vault-core';
import type { DeviceKeys, HistoryEntry, MemberRemovedMark, RecordSyncState, SecretCandidate, SharedRecordKind, ShareError, ShareState, SyncRef } from './share-records';

/**
 * The sharing tables (db/migrations/005-sharing.ts): this device's keys, the shares, the per-record sync states in
 * blocks, the "two secrets" candidates and the "member removed" marks. Functions that write run inside the caller's
 * `core.write`; every sealed value names its table, row and field in its AAD. Every row is authenticated whole
 * (db/row-auth.ts): sealed after each write, dropped after each delete, checked on every read, so an edited, older,
 * deleted or added row is vault-tampered, never a silently different share.
 */
const DEVICE = authTable('share_device', "device's sharing keys", ['id', 'created_at', 'keys', 'rev']);
const SHARES = authTable('shares', 'share', ['id', 'created_at', 'last_sync_at', 'last_error_code', 'state', 'rev']);
const BLOCKS = authTable('share_blocks', 'sharing sync state block', ['id', 'share_id', 'part', 'slot', 'blob', 'rev']);
const CONFLICTS = authTable('share_conflicts', '"two secrets" record', ['id', 'kind', 'candidates', 'rev']);
const REMOVALS = authTable('share_removals', 'member removal', ['id', 'share_id', 'at', 'token_ids', 'member', 'rev']);

/** Each sharing table and its one sealed column: what a re-key rewrites. */
const SEALED: readonly [AuthTable, string][] = [
  [DEVICE, 'keys'],
  [SHARES, 'state'],
  [BLOCKS, 'blob'],
  [CONFLICTS, 'candidates'],
  [REMOVALS, 'member'],
];

/** Rows read by a partial `where`: every row the manifest knows that `known` says it selects must be among them. */
function requirePresent(core: VaultCore, table: AuthTable, rows: readonly { id: string }[], known: (id: string) => boolean): void {
  const present = new Set(rows.map((r) => r.id));
  for (const id of Object.keys(core.manifest().revs[table.name] ?? {})) if (known(id) && !present.has(id)) throw tamperedRow(table.label, id, 'is missing');
}

/** Inside a write: deletes the rows `where` selects, each dropped from the manifest. */
function deleteRows(core: VaultCore, table: AuthTable, where: string, args: unknown[]): void {
  const ids = core.db.prepare(`SELECT id FROM ${table.name} WHERE ${where}`).pluck().all(...args) as string[];
  const del = core.prepared(`DELETE FROM ${table.name} WHERE id = ?`);
  for (const id of ids) if (del.run(id).changes > 0) dropRow(core, table, id);
}

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
  const row = checkedRows<{ keys: Buffer }>(core, DEVICE, '', [], { whole: true })[0];
  return row ? parseSealed<DeviceKeys>(core, 'share_device', 'device', 'keys', row.keys, "This device's sharing keys") : null;
}

/** Compare-and-set: the first keys stored win; a second process racing the first gets the first one's keys back. */
export function createDeviceKeys(core: VaultCore, keys: DeviceKeys): DeviceKeys {
  return core.write(() => {
    const existing = readDeviceKeys(core);
    if (existing) return existing;
    core.db.prepare("INSERT INTO share_device (id, created_at, keys) VALUES ('device', ?, ?)").run(keys.createdAt, seal(core, 'share_device', 'device', 'keys', keys));
    sealRow(core, DEVICE, 'device');
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
  const rows = checkedRows<ShareRow>(core, SHARES, '1 ORDER BY created_at, id', [], { whole: true });
  return rows.map((r) => shareOf(core, r));
}

function currentEngine(core: VaultCore, shareId: string): string | null {
  const rows = checkedRows<ShareRow>(core, SHARES, 'id = ?', [shareId]);
  requirePresent(core, SHARES, rows, (id) => id === shareId);
  return rows[0] ? shareOf(core, rows[0]).engine : null;
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
  sealRow(core, SHARES, share.shareId);
}

/** Inside a write: the share, its blocks and its removal marks (the records stay; they are local now). */
export function deleteShare(core: VaultCore, shareId: string): void {
  deleteRows(core, BLOCKS, 'share_id = ?', [shareId]);
  deleteRows(core, REMOVALS, 'share_id = ?', [shareId]);
  deleteRows(core, SHARES, 'id = ?', [shareId]);
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
  const rows = checkedRows<{ id: string; slot: number; blob: Buffer }>(core, BLOCKS, 'share_id = ? AND part = ?', [shareId, part]);
  // A block deleted by hand would make its records look never synced: every block the manifest knows must be here.
  const prefix = `${shareId}/${part}/`;
  requirePresent(core, BLOCKS, rows, (id) => id.startsWith(prefix));
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
    if (core.prepared('DELETE FROM share_blocks WHERE id = ?').run(id).changes > 0) dropRow(core, BLOCKS, id);
    return;
  }
  core.db
    .prepare('INSERT INTO share_blocks (id, share_id, part, slot, blob) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET blob = excluded.blob')
    .run(id, shareId, part, slot, seal(core, 'share_blocks', id, 'blob', content));
  sealRow(core, BLOCKS, id);
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
  const wanted = new Set(ids);
  const rows = checkedRows<{ id: string; candidates: Buffer }>(core, CONFLICTS, 'id IN (SELECT value FROM json_each(?))', [JSON.stringify([...wanted])]);
  requirePresent(core, CONFLICTS, rows, (id) => wanted.has(id));
  return new Map(rows.map((r) => [r.id, parseSealed<SecretCandidate[]>(core, 'share_conflicts', r.id, 'candidates', r.candidates, 'The secrets of a record')]));
}

/** Inside a write: a record's candidates (null: it has one secret again). */
export function setConflict(core: VaultCore, id: string, kind: SharedRecordKind, candidates: readonly SecretCandidate[] | null): void {
  if (candidates === null || candidates.length < 2) {
    if (core.prepared('DELETE FROM share_conflicts WHERE id = ?').run(id).changes > 0) dropRow(core, CONFLICTS, id);
    return;
  }
  core.db
    .prepare('INSERT INTO share_conflicts (id, kind, candidates) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, candidates = excluded.candidates')
    .run(id, kind, seal(core, 'share_conflicts', id, 'candidates', candidates));
  sealRow(core, CONFLICTS, id);
}

/** Inside a write: candidates of records that are gone. */
export function dropOrphanConflicts(core: VaultCore): void {
  deleteRows(core, CONFLICTS, 'id NOT IN (SELECT id FROM tokens) AND id NOT IN (SELECT id FROM workspaces)', []);
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
    sealRow(core, REMOVALS, id);
  }
}

/** Every removal mark per token (the member's name needs the key; the dates do not). */
export function listRemovals(core: VaultCore): MemberRemovedMark[] {
  core.key();
  return checkedRemovals(core).flatMap((r) => {
    const member = parseSealed<string>(core, 'share_removals', r.id, 'member', r.member, 'A member removal');
    return r.tokenIds.map((tokenId) => ({ tokenId, member, at: r.at }));
  });
}

function checkedRemovals(core: VaultCore): { id: string; at: string; tokenIds: string[]; member: Buffer }[] {
  const rows = checkedRows<{ id: string; at: string; token_ids: string; member: Buffer }>(core, REMOVALS, '1 ORDER BY at, id', [], { whole: true });
  return rows.map((r) => {
    let tokenIds: unknown;
    try {
      tokenIds = JSON.parse(r.token_ids);
    } catch {
      tokenIds = null;
    }
    if (!Array.isArray(tokenIds) || !tokenIds.every((t) => typeof t === 'string')) throw tamperedRow(REMOVALS.label, r.id, 'is unreadable');
    return { id: r.id, at: r.at, tokenIds: tokenIds as string[], member: r.member };
  });
}

/** The ids of the records showing "two secrets", every row checked (a sync lists them each time: no decryption). */
export function conflictIds(core: VaultCore): Set<string> {
  return new Set(checkedRows<{ id: string }>(core, CONFLICTS, '', [], { whole: true }).map((r) => r.id));
}

/**
 * Unlocked: what reminders need from sharing, from checked rows (the clear columns alone could be edited): the
 * latest member removal per token, and the records showing "two secrets".
 */
export function shareReminderMarks(core: VaultCore): { removedAt: Map<string, string>; twoSecrets: Set<string> } {
  const removedAt = new Map<string, string>();
  for (const r of checkedRemovals(core))
    for (const tokenId of r.tokenIds) {
      const prev = removedAt.get(tokenId);
      if (prev === undefined || prev < r.at) removedAt.set(tokenId, r.at);
    }
  return { removedAt, twoSecrets: conflictIds(core) };
}

/**
 * A re-key (issue 10 item 9), inside its write: every sharing row read and checked now (this device's private keys,
 * the shares, their sync state, the candidates, the removals), its sealed value opened under the old key; the
 * function re-seals each under the new key and re-MACs its row.
 */
export function rekeySharing(core: VaultCore): () => void {
  const key = core.key();
  const plain = SEALED.map(([table, field]) => ({
    table,
    field,
    rows: checkedRows<Record<string, unknown>>(core, table, '', [], { whole: true }).map((row) => {
      const id = String(row.id);
      return { id, text: openText(key, row[field] as Buffer, aad(table.name, id, field), `The ${table.label} ${id}`) };
    }),
  }));
  return () => {
    const newKey = core.key();
    for (const { table, field, rows } of plain) {
      const update = core.prepared(`UPDATE ${table.name} SET ${field} = ? WHERE id = ?`);
      for (const { id, text } of rows) {
        update.run(sealText(newKey, text, aad(table.name, id, field)), id);
        sealRow(core, table, id);
      }
    }
  };
}
