import { randomUUID } from 'node:crypto';
import { TRASH_KEEP_DAYS, type RestoreOutcome, type TrashEntry, type TrashKind } from '../../../shared/trash';
import { AppFailure } from '../../errors';
import { appendAuditRow } from '../audit/vault-audit';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { notFound, type VaultCore } from '../db/vault-core';
import type { TokenSummary, Workspace } from '../db/vault-types';
import { TOKEN_COLUMNS } from '../tokens/token-rows';
import { deleteTokenRow, deleteWorkspaceTokenRows, forgetToken, putTokenRows, readSecret, rememberToken } from '../tokens/token-records';
import { loadSummaries } from '../tokens/token-store';
import { deleteWorkspaceRow, freshWorkspaces, putWorkspaceRow, readWorkspaceSecret, workspacesChanged } from '../workspaces/workspace-records';

// The trash: what a delete takes out of the vault, whole, in one transaction, kept TRASH_KEEP_DAYS and put back whole.
// Everything a restore needs (names, policies, dates, each secret and the admin credential) is sealed into the
// entry's payload; what lists show is sealed apart in its label, so listing never opens the secrets.

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

/** Inside the caller's write: stores the entry and audits it. */
function putEntry(core: VaultCore, key: Buffer, kind: TrashKind, originalId: string, workspaceId: string, label: Label, payload: Payload, actor: string, now: Date): TrashEntry {
  const id = randomUUID();
  const deletedAt = now.toISOString();
  const remoteIds = payload.tokens.map((t) => t.summary.remoteId).filter((r): r is string => r !== null);
  core.db
    .prepare('INSERT INTO trash (id, kind, original_id, workspace_id, remote_ids, deleted_at, label, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, kind, originalId, workspaceId, JSON.stringify(remoteIds), deletedAt, seal(key, id, 'label', label), seal(key, id, 'payload', payload));
  appendAuditRow(core, key, { action: 'trashed', tokenId: kind === 'token' ? originalId : null, workspaceId, actor, detail: kind === 'workspace' ? `${label.tokenCount} token(s) with it` : null });
  return { id, kind, originalId, ...label, deletedAt, purgeAt: purgeAtOf(deletedAt) };
}

export function trashToken(core: VaultCore, tokenId: string, options: { actor?: string; now?: Date } = {}): TrashEntry {
  const key = core.key();
  const entry = core.write(() => {
    const [summary] = loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`, [tokenId]);
    if (!summary) throw notFound('The token');
    refuseWhileRotating(core, [tokenId]);
    const ws = freshWorkspaces(core).get(summary.workspaceId);
    const secret = readSecret(core, tokenId);
    deleteTokenRow(core, key, tokenId);
    const label: Label = { name: summary.name, workspaceName: ws?.name ?? '', providerKind: ws?.kind ?? 'manual', tokenCount: 1, secretCount: secret === null ? 0 : 1 };
    return putEntry(core, key, 'token', tokenId, summary.workspaceId, label, { tokens: [{ summary, secret }] }, options.actor ?? 'app', options.now ?? new Date());
  });
  forgetToken(core, tokenId);
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
    const adminCredential = readWorkspaceSecret(core, workspaceId, 'admin_credential');
    deleteWorkspaceTokenRows(core, key, workspaceId);
    deleteWorkspaceRow(core, workspaceId);
    const label: Label = { name: record.name, workspaceName: record.name, providerKind: record.kind, tokenCount: tokens.length, secretCount: tokens.filter((t) => t.secret !== null).length };
    return putEntry(core, key, 'workspace', workspaceId, workspaceId, label, { workspace: { record, adminCredential }, tokens }, options.actor ?? 'app', options.now ?? new Date());
  });
  workspacesChanged(core);
  core.tokenCache = null;
  return entry;
}

/** Newest first. */
export function listTrash(core: VaultCore): TrashEntry[] {
  const key = core.key();
  const rows = core.read(() => core.db.prepare('SELECT * FROM trash ORDER BY deleted_at DESC').all()) as TrashRow[];
  return rows.map((r) => entryOf(key, r));
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
  const outcome = core.write((): RestoreOutcome => {
    const row = core.db.prepare('SELECT * FROM trash WHERE id = ?').get(entryId) as TrashRow | undefined;
    if (!row) throw notFound('The trash entry');
    const payload = opened<Payload>(key, row, 'payload');
    const workspaces = freshWorkspaces(core);
    const idTaken = core.db.prepare('SELECT 1 FROM tokens WHERE id = ?');
    const freshId = (id: string) => (idTaken.get(id) ? randomUUID() : id);
    let outcome: RestoreOutcome;
    if (payload.workspace) {
      const { record, adminCredential } = payload.workspace;
      // Workspace names are unique regardless of case, as when one is added.
      const clash = [...workspaces.values()].find((w) => w.name.toLowerCase() === record.name.toLowerCase());
      if (clash) throw new AppFailure('already-exists', `A workspace named "${clash.name}" exists again, so "${record.name}" stays in the trash. Rename or remove that workspace, then restore.`);
      const id = workspaces.has(record.id) ? randomUUID() : record.id;
      putWorkspaceRow(core, key, { ...record, id }, adminCredential);
      restored = putTokenRows(core, key, payload.tokens.map((t) => ({ summary: { ...t.summary, id: freshId(t.summary.id), workspaceId: id }, secret: t.secret })));
      outcome = { kind: 'workspace', id, name: record.name, workspaceName: record.name, tokenCount: restored.length };
      appendAuditRow(core, key, { action: 'restored', workspaceId: id, actor, detail: `${restored.length} token(s) with it` });
    } else {
      const item = payload.tokens[0];
      if (!item) throw new AppFailure('vault-corrupt', 'A trash entry holds no token: the vault file was changed outside Token Vault.');
      const ws = workspaces.get(item.summary.workspaceId);
      if (!ws) {
        const inTrash = core.db.prepare("SELECT 1 FROM trash WHERE kind = 'workspace' AND original_id = ?").get(item.summary.workspaceId);
        throw new AppFailure(
          'not-found',
          inTrash ? 'Its workspace is in the trash too: restore the workspace first.' : 'Its workspace is gone from the vault, so the token has nowhere to go back to.',
        );
      }
      // One name per token in a workspace (exactly, as assertNameFree checks a new one).
      if (loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`, [ws.id]).some((t) => t.name === item.summary.name))
        throw new AppFailure('already-exists', `${ws.name} has a token named "${item.summary.name}" again, so this one stays in the trash. Rename or remove that token, then restore.`);
      restored = putTokenRows(core, key, [{ summary: { ...item.summary, id: freshId(item.summary.id) }, secret: item.secret }]);
      const token = restored[0] as TokenSummary;
      outcome = { kind: 'token', id: token.id, name: token.name, workspaceName: ws.name, tokenCount: 1 };
      appendAuditRow(core, key, { action: 'restored', tokenId: token.id, workspaceId: ws.id, actor });
    }
    core.db.prepare('DELETE FROM trash WHERE id = ?').run(entryId);
    return outcome;
  });
  if (outcome.kind === 'workspace') workspacesChanged(core);
  for (const t of restored) rememberToken(core, t);
  return outcome;
}

/**
 * Deletes entries for good (their sealed secrets with them): the given ones, or every entry deleted TRASH_KEEP_DAYS
 * or more before `now`. Returns how many went. The dates are clear, so the purge needs no key; audited when unlocked.
 */
export function purgeTrash(core: VaultCore, which: { ids: readonly string[] } | { now: Date }, actor = 'app'): number {
  const cutoff = 'now' in which ? new Date(which.now.getTime() - TRASH_KEEP_DAYS * DAY_MS).toISOString() : '';
  // Every unlock asks; only a due entry is worth the write lock.
  if ('now' in which && !core.read(() => core.db.prepare('SELECT 1 FROM trash WHERE deleted_at <= ? LIMIT 1').get(cutoff))) return 0;
  return core.write(() => {
    const rows = (
      'ids' in which
        ? core.db.prepare('SELECT id, kind, original_id, workspace_id FROM trash WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(which.ids))
        : core.db.prepare('SELECT id, kind, original_id, workspace_id FROM trash WHERE deleted_at <= ?').all(cutoff)
    ) as Pick<TrashRow, 'id' | 'kind' | 'original_id' | 'workspace_id'>[];
    for (const r of rows) {
      core.db.prepare('DELETE FROM trash WHERE id = ?').run(r.id);
      if (core.dataKey) appendAuditRow(core, core.dataKey, { action: 'purged', tokenId: r.kind === 'token' ? r.original_id : null, workspaceId: r.workspace_id, actor });
    }
    return rows.length;
  });
}

/** Remote ids of a workspace's trashed tokens: a sync leaves them out instead of bringing them back. */
export function trashedRemoteIds(core: VaultCore, workspaceId: string): Set<string> {
  const rows = core.read(() => core.db.prepare('SELECT remote_ids FROM trash WHERE workspace_id = ?').pluck().all(workspaceId)) as string[];
  return new Set(rows.flatMap((r) => JSON.parse(r) as string[]));
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
