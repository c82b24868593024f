import { randomUUID } from 'node:crypto';
import { TRASH_KEEP_DAYS, type RestoreOutcome, type TrashEntry, type TrashKind } from '../../../shared/trash';
import { AppFailure } from '../../errors';
import { appendAuditRow } from '../audit/vault-audit';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { absentRow, authTable, checkedRows, dropRow, sealRow } from '../db/row-auth';
import { notFound, type VaultCore } from '../db/vault-core';
import type { TokenSummary, Workspace } from '../db/vault-types';
import { removeTargetsOfToken } from '../targets/vault-targets';
import { TOKEN_COLUMNS } from '../tokens/token-rows';
import { deleteTokenRow, deleteWorkspaceTokenRows, putTokenRows, readSecret } from '../tokens/token-records';
import { cacheWritten, loadSummaries, ShardWrite } from '../tokens/token-store';
import { deleteWorkspaceRow, freshWorkspaces, putWorkspaceRow, readConnection, workspacesChanged } from '../workspaces/workspace-records';

// The trash: what a delete takes out of the vault, whole, in one transaction, kept TRASH_KEEP_DAYS and put back whole.
// Everything a restore needs (names, policies, dates, each secret and the admin credential) is sealed into the
// entry's payload; what lists show is sealed apart in its label, so listing never opens the secrets. Every row is
// authenticated whole (db/row-auth.ts): an edited date or kind, a payload copied in from another entry or an older
// file, an entry deleted or added outside Token Vault is refused as vault-tampered, never restored or purged.

const TRASH = authTable('trash', 'trash entry', ['id', 'kind', 'original_id', 'workspace_id', 'remote_ids', 'deleted_at', 'label', 'payload', 'rev']);

const DAY_MS = 86_400_000;

interface Label {
  name: string;
  workspaceName: string;
  providerKind: Workspace['kind'];
  tokenCount: number;
  secretCount: number;
}

interface Payload {
  /** A trashed workspace itself (absent for a trashed token). */
  workspace?: { record: Workspace; adminCredential: string | null };
  tokens: { summary: TokenSummary; secret: string | null }[];
}

interface TrashRow {
  id: string;
  kind: TrashKind;
  original_id: string;
  workspace_id: string;
  remote_ids: string;
  deleted_at: string;
  label: Buffer;
  payload: Buffer;
}

const seal = (key: Buffer, id: string, field: 'label' | 'payload', value: unknown) => sealText(key, JSON.stringify(value), aad('trash', id, field));
const opened = <T>(key: Buffer, row: TrashRow, field: 'label' | 'payload') =>
  JSON.parse(openText(key, row[field], aad('trash', row.id, field), 'A trash entry')) as T;

/** When an entry deleted at `deletedAt` is purged: the rule lives here, so a changed TRASH_KEEP_DAYS applies to all. */
const purgeAtOf = (deletedAt: string) => new Date(Date.parse(deletedAt) + TRASH_KEEP_DAYS * DAY_MS).toISOString();

function entryOf(key: Buffer, row: TrashRow): TrashEntry {
  const label = opened<Label>(key, row, 'label');
  return { id: row.id, kind: row.kind, originalId: row.original_id, ...label, deletedAt: row.deleted_at, purgeAt: purgeAtOf(row.deleted_at) };
}

/** A rotation half done holds a secret in its journal for this token: deleting the token would orphan it. */
function refuseWhileRotating(core: VaultCore, tokenIds: readonly string[]): void {
  const busy = core.db.prepare('SELECT 1 FROM rotation_journal WHERE token_id IN (SELECT value FROM json_each(?)) LIMIT 1').get(JSON.stringify(tokenIds));
  if (busy) throw new AppFailure('rotation-in-progress', 'A rotation of this token is unfinished: finish it before deleting.', { next: 'resume' });
}

/** Every entry, checked: the table must hold exactly the entries the manifest knows. */
const allEntries = (core: VaultCore) => checkedRows<TrashRow>(core, TRASH, '', [], { whole: true });

/** Inside the caller's write: stores the entry, authenticated, and audits it. */
function putEntry(core: VaultCore, key: Buffer, kind: TrashKind, originalId: string, workspaceId: string, label: Label, payload: Payload, actor: string, now: Date): TrashEntry {
  const id = randomUUID();
  const deletedAt = now.toISOString();
  const remoteIds = payload.tokens.map((t) => t.summary.remoteId).filter((r): r is string => r !== null);
  core
    .prepared('INSERT INTO trash (id, kind, original_id, workspace_id, remote_ids, deleted_at, label, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, kind, originalId, workspaceId, JSON.stringify(remoteIds), deletedAt, seal(key, id, 'label', label), seal(key, id, 'payload', payload));
  sealRow(core, TRASH, id);
  appendAuditRow(core, key, { action: 'trashed', tokenId: kind === 'token' ? originalId : null, workspaceId, actor, detail: kind === 'workspace' ? `${label.tokenCount} token(s) with it` : null });
  return { id, kind, originalId, ...label, deletedAt, purgeAt: purgeAtOf(deletedAt) };
}

export function trashToken(core: VaultCore, tokenId: string, options: { actor?: string; now?: Date } = {}): TrashEntry {
  const key = core.key();
  let canon = new Map<string, string>();
  const entry = core.write(() => {
    const [summary] = loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`, [tokenId]);
    if (!summary) throw notFound('The token');
    refuseWhileRotating(core, [tokenId]);
    const ws = freshWorkspaces(core).get(summary.workspaceId);
    const secret = readSecret(core, tokenId);
    const shards = new ShardWrite(core);
    deleteTokenRow(core, shards, tokenId);
    canon = shards.flush();
    const label: Label = { name: summary.name, workspaceName: ws?.name ?? '', providerKind: ws?.kind ?? 'manual', tokenCount: 1, secretCount: secret === null ? 0 : 1 };
    return putEntry(core, key, 'token', tokenId, summary.workspaceId, label, { tokens: [{ summary, secret }] }, options.actor ?? 'app', options.now ?? new Date());
  });
  cacheWritten(core, [], canon, [tokenId]);
  return entry;
}

export function trashWorkspace(core: VaultCore, workspaceId: string, options: { actor?: string; now?: Date } = {}): TrashEntry {
  const key = core.key();
  const entry = core.write(() => {
    const record = freshWorkspaces(core).get(workspaceId);
    if (!record) throw notFound('The workspace');
    const summaries = loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`, [workspaceId]);
    refuseWhileRotating(core, summaries.map((s) => s.id));
    const tokens = summaries.map((summary) => ({ summary, secret: readSecret(core, summary.id) }));
    const { adminCredential } = readConnection(core, workspaceId);
    const shards = new ShardWrite(core);
    deleteWorkspaceTokenRows(core, shards, workspaceId);
    shards.flush();
    deleteWorkspaceRow(core, workspaceId);
    const label: Label = { name: record.name, workspaceName: record.name, providerKind: record.kind, tokenCount: tokens.length, secretCount: tokens.filter((t) => t.secret !== null).length };
    return putEntry(core, key, 'workspace', workspaceId, workspaceId, label, { workspace: { record, adminCredential }, tokens }, options.actor ?? 'app', options.now ?? new Date());
  });
  workspacesChanged(core);
  // Many tokens went at once: reload on next read rather than patch the caches.
  core.forgetCaches();
  return entry;
}

/** Newest first. */
export function listTrash(core: VaultCore): TrashEntry[] {
  const key = core.key();
  return allEntries(core)
    .sort((a, b) => (a.deleted_at < b.deleted_at ? 1 : a.deleted_at > b.deleted_at ? -1 : 0))
    .map((r) => entryOf(key, r));
}

/**
 * Puts an entry back whole under its own ids and names. A token goes back into its workspace, which must exist
 * (restore a trashed workspace first). A name taken meanwhile is refused (already-exists) and the entry stays in the
 * trash: a restore never overwrites or renames. Ids taken meanwhile (an import) get fresh ones.
 */
export function restoreFromTrash(core: VaultCore, entryId: string, options: { actor?: string } = {}): RestoreOutcome {
  const key = core.key();
  const actor = options.actor ?? 'app';
  let restored: TokenSummary[] = [];
  let canon = new Map<string, string>();
  const outcome = core.write((): RestoreOutcome => {
    const row = checkedRows<TrashRow>(core, TRASH, 'id = ?', [entryId])[0];
    if (!row) throw absentRow(core, TRASH, entryId, () => notFound('The trash entry'));
    const payload = opened<Payload>(key, row, 'payload');
    const workspaces = freshWorkspaces(core);
    const idTaken = core.prepared('SELECT 1 FROM tokens WHERE id = ?');
    const shards = new ShardWrite(core);
    const freshId = (id: string) => (idTaken.get(id) ? randomUUID() : id);
    let outcome: RestoreOutcome;
    if (payload.workspace) {
      const { record, adminCredential } = payload.workspace;
      // Workspace names are unique regardless of case, as when one is added.
      const clash = [...workspaces.values()].find((w) => w.name.toLowerCase() === record.name.toLowerCase());
      if (clash) throw new AppFailure('already-exists', `A workspace named "${clash.name}" exists again, so "${record.name}" stays in the trash. Rename or remove that workspace, then restore.`);
      const id = workspaces.has(record.id) ? randomUUID() : record.id;
      putWorkspaceRow(core, { ...record, id }, adminCredential);
      restored = putTokenRows(core, shards, payload.tokens.map((t) => ({ summary: { ...t.summary, id: freshId(t.summary.id), workspaceId: id }, secret: t.secret })));
      outcome = { kind: 'workspace', id, name: record.name, workspaceName: record.name, tokenCount: restored.length };
      appendAuditRow(core, key, { action: 'restored', workspaceId: id, actor, detail: `${restored.length} token(s) with it` });
    } else {
      const item = payload.tokens[0];
      if (!item) throw new AppFailure('vault-corrupt', 'A trash entry holds no token: the vault file was changed outside Token Vault.');
      const ws = workspaces.get(item.summary.workspaceId);
      if (!ws) {
        const inTrash = checkedRows<TrashRow>(core, TRASH, "kind = 'workspace' AND original_id = ?", [item.summary.workspaceId]).length > 0;
        throw new AppFailure(
          'not-found',
          inTrash ? 'Its workspace is in the trash too: restore the workspace first.' : 'Its workspace is gone from the vault, so the token has nowhere to go back to.',
        );
      }
      // One name per token in a workspace (exactly, as assertNameFree checks a new one).
      if (loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`, [ws.id]).some((t) => t.name === item.summary.name))
        throw new AppFailure('already-exists', `${ws.name} has a token named "${item.summary.name}" again, so this one stays in the trash. Rename or remove that token, then restore.`);
      restored = putTokenRows(core, shards, [{ summary: { ...item.summary, id: freshId(item.summary.id) }, secret: item.secret }]);
      const token = restored[0] as TokenSummary;
      outcome = { kind: 'token', id: token.id, name: token.name, workspaceName: ws.name, tokenCount: 1 };
      appendAuditRow(core, key, { action: 'restored', tokenId: token.id, workspaceId: ws.id, actor });
    }
    canon = shards.flush();
    core.prepared('DELETE FROM trash WHERE id = ?').run(entryId);
    dropRow(core, TRASH, entryId);
    return outcome;
  });
  if (outcome.kind === 'workspace') workspacesChanged(core);
  cacheWritten(core, restored, canon);
  return outcome;
}

/**
 * Deletes entries for good (their sealed secrets with them): the given ones, or every entry deleted TRASH_KEEP_DAYS
 * or more before `now`. Returns how many went, audited. The dates are clear, so a locked vault can tell whether any is
 * due without a write; the purge itself checks each entry it deletes (and the manifest it updates), so it needs the key.
 */
export function purgeTrash(core: VaultCore, which: { ids: readonly string[] } | { now: Date }, actor = 'app'): number {
  const cutoff = 'now' in which ? new Date(which.now.getTime() - TRASH_KEEP_DAYS * DAY_MS).toISOString() : '';
  // Every unlock asks; only a due entry is worth the write lock.
  if ('now' in which && !core.read(() => core.db.prepare('SELECT 1 FROM trash WHERE deleted_at <= ? LIMIT 1').get(cutoff))) return 0;
  const key = core.key();
  return core.write(() => {
    const rows =
      'ids' in which
        ? checkedRows<TrashRow>(core, TRASH, 'id IN (SELECT value FROM json_each(?))', [JSON.stringify(which.ids)])
        : checkedRows<TrashRow>(core, TRASH, 'deleted_at <= ?', [cutoff]);
    for (const r of rows) {
      // A trashed token keeps its deployment targets (a restore brings them back); deleted for good, they go too,
      // or they would hold their places against every other token.
      for (const t of opened<Payload>(key, r, 'payload').tokens) removeTargetsOfToken(core, t.summary.id);
      core.prepared('DELETE FROM trash WHERE id = ?').run(r.id);
      dropRow(core, TRASH, r.id);
      appendAuditRow(core, key, { action: 'purged', tokenId: r.kind === 'token' ? r.original_id : null, workspaceId: r.workspace_id, actor });
    }
    return rows.length;
  });
}

/** Remote ids of a workspace's trashed tokens: a sync leaves them out instead of bringing them back. */
export function trashedRemoteIds(core: VaultCore, workspaceId: string): Set<string> {
  const rows = checkedRows<TrashRow>(core, TRASH, 'workspace_id = ?', [workspaceId]);
  return new Set(rows.flatMap((r) => JSON.parse(r.remote_ids) as string[]));
}

/**
 * A re-key (issue 10 item 9), inside its write: every entry read, checked and opened now under the current key; the
 * function it returns seals each label and payload again under the key the core holds by then, and re-authenticates the row.
 */
export function rekeyTrash(core: VaultCore): () => void {
  const key = core.key();
  const plain = allEntries(core).map((row) => ({ id: row.id, label: opened<unknown>(key, row, 'label'), payload: opened<unknown>(key, row, 'payload') }));
  return () => {
    const newKey = core.key();
    const update = core.prepared('UPDATE trash SET label = ?, payload = ? WHERE id = ?');
    for (const e of plain) {
      update.run(seal(newKey, e.id, 'label', e.label), seal(newKey, e.id, 'payload', e.payload), e.id);
      sealRow(core, TRASH, e.id);
    }
  };
}

/** The vault's trash: `vault.trash`. */
export interface VaultTrash {
  /** Moves a token, secret and all, into the trash (refused while a rotation of it is unfinished). */
  trashToken(tokenId: string, options?: { actor?: string; now?: Date }): TrashEntry;
  /** Moves a workspace with every token of it and its admin credential into the trash, as one entry. */
  trashWorkspace(workspaceId: string, options?: { actor?: string; now?: Date }): TrashEntry;
  /** Newest first; never a secret. */
  list(): TrashEntry[];
  restore(entryId: string, options?: { actor?: string }): RestoreOutcome;
  /** Deletes the given entries for good. */
  purge(entryIds: readonly string[], actor?: string): number;
  /** Deletes every entry whose TRASH_KEEP_DAYS are over at `now`. */
  purgeExpired(now?: Date, actor?: string): number;
  remoteIds(workspaceId: string): Set<string>;
}

export function vaultTrash(core: VaultCore): VaultTrash {
  return {
    trashToken: (id, options) => trashToken(core, id, options),
    trashWorkspace: (id, options) => trashWorkspace(core, id, options),
    list: () => listTrash(core),
    restore: (id, options) => restoreFromTrash(core, id, options),
    purge: (ids, actor) => purgeTrash(core, { ids }, actor),
    purgeExpired: (now = new Date(), actor) => purgeTrash(core, { now }, actor),
    remoteIds: (workspaceId) => trashedRemoteIds(core, workspaceId),
  };
}
