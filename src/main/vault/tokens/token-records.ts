import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../errors';
import { appendAudit, appendAuditRow } from '../audit/vault-audit';
import { removeTargetsOfToken } from '../targets/vault-targets';
import { definedOnly, handBackSecret, notFound, policyOf, type VaultCore } from '../db/vault-core';
import {
  checkedDate,
  checkedStatus,
  checkedWarningDays,
  fieldsOf,
  ROW,
  summaryOf,
  tamperedToken,
  tokenFromInput,
  TOKEN_COLUMNS,
  UPDATE_TOKEN_SQL,
  type TokenRow,
} from './token-rows';
import {
  cachedTokens,
  cacheWritten,
  checkedRow,
  freshTokens,
  insertTokenRow,
  loadSummaries,
  openSecret,
  pickShard,
  remoteRefOf,
  rowValues,
  sealSecret,
  ShardWrite,
  tokensInNamedBlocks,
} from './token-store';
import type { AuditAction, NewToken, ReminderFacts, TokenFilter, TokenPatch, TokenSummary } from '../db/vault-types';
import type { SealedFields } from './summary-shards';
import { freshWorkspaces } from '../workspaces/workspace-records';

// One token at a time: each write is its own transaction, audited in it, and then patched into the cache.

export function insertToken(core: VaultCore, input: NewToken, actor: string): TokenSummary {
  const key = core.key();
  const id = input.id ?? randomUUID();
  const now = new Date().toISOString();
  const { db } = core;
  let canon = new Map<string, string>();
  const summary = core.write(() => {
    if (!db.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(input.workspaceId)) throw notFound('The workspace');
    if (db.prepare('SELECT 1 FROM tokens WHERE id = ?').get(id))
      throw new AppFailure('already-exists', 'A token with this id is already in the vault.');
    const shardId = pickShard(core, 1)[0] ?? 1;
    const shards = new ShardWrite(core);
    shards.fields(shardId);
    const s = tokenFromInput(id, input, now);
    insertTokenRow(core, s, shardId, input.secret ?? null);
    shards.set(shardId, id, fieldsOf(s));
    canon = shards.flush();
    appendAuditRow(core, key, { action: 'created', tokenId: id, workspaceId: s.workspaceId, actor });
    return s;
  });
  cacheWritten(core, [summary], canon);
  return summary;
}

/**
 * Stores a token whose secret a service has just issued. Every commit is synchronous=FULL, so on return it is on
 * disk; if storing fails, the secret comes back in the error (AppFailure.unsavedSecret) so it is never lost.
 */
export function storeIssuedToken(core: VaultCore, input: NewToken, actor: string): TokenSummary {
  try {
    return insertToken(core, input, actor);
  } catch (error) {
    throw handBackSecret(error, input.secret);
  }
}

/**
 * A token about to be written, inside the write: its clear row (or not-found), and its shard, read and checked before
 * anything changes, with its sealed fields (tampering when the shard does not list it).
 */
function tokenForWrite(core: VaultCore, id: string): { row: TokenRow; shards: ShardWrite; fields: SealedFields } {
  const row = core.prepared(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`).raw().get(id) as TokenRow | undefined;
  if (!row) throw notFound('The token');
  const shards = new ShardWrite(core);
  const fields = shards.fields(row[ROW.shardId]).get(id);
  if (!fields) throw tamperedToken(id);
  return { row, shards, fields };
}

/**
 * Sets or clears a token's secret (e.g. after regenerate). Same durability and hand-back as storeIssuedToken. The
 * secret's generation goes up, so the blob it replaces can never be copied back.
 */
export function setTokenSecret(core: VaultCore, id: string, secret: string | null, actor: string): void {
  try {
    const key = core.key();
    let canon = new Map<string, string>();
    const summary = core.write(() => {
      const { row, shards, fields } = tokenForWrite(core, id);
      const rev = row[ROW.secretRev] + 1;
      const blob = secret === null ? null : sealSecret(key, id, rev, secret);
      const updatedAt = new Date().toISOString();
      core.prepared('UPDATE tokens SET secret = ?, secret_rev = ?, updated_at = ? WHERE id = ?').run(blob, rev, updatedAt, id);
      shards.touch(row[ROW.shardId]);
      canon = shards.flush();
      appendAuditRow(core, key, { action: 'secret-stored', tokenId: id, actor });
      return { ...summaryOf(row, fields), hasSecret: secret !== null, updatedAt };
    });
    cacheWritten(core, [summary], canon);
  } catch (error) {
    throw handBackSecret(error, secret);
  }
}

export function updateToken(core: VaultCore, id: string, patch: TokenPatch, actor?: string): TokenSummary {
  const key = core.key();
  let canon = new Map<string, string>();
  const summary = core.write(() => {
    const { row, shards, fields } = tokenForWrite(core, id);
    const next: TokenSummary = { ...summaryOf(row, fields), ...definedOnly(patch), updatedAt: new Date().toISOString() };
    core.prepared(UPDATE_TOKEN_SQL).run(...rowValues(core, next), id);
    shards.set(row[ROW.shardId], id, fieldsOf(next));
    canon = shards.flush();
    if (actor) appendAuditRow(core, key, { action: 'updated', tokenId: id, workspaceId: next.workspaceId, actor });
    return next;
  });
  cacheWritten(core, [summary], canon);
  return summary;
}

export function findToken(core: VaultCore, id: string): TokenSummary | undefined {
  const cache = cachedTokens(core);
  if (cache) return cache.get(id);
  return loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`, [id])[0];
}

export function findTokenByRemoteId(core: VaultCore, workspaceId: string, remoteId: string): TokenSummary | undefined {
  const ref = remoteRefOf(core, workspaceId, remoteId);
  const id = core.read(() => core.prepared('SELECT id FROM tokens WHERE workspace_id = ? AND remote_ref = ?').pluck().get(workspaceId, ref) as string | undefined);
  const token = id === undefined ? undefined : findToken(core, id);
  return token?.remoteId === remoteId ? token : undefined;
}

/**
 * Tokens of a workspace whose name matches exactly (case-insensitive when no exact match). Without the summaries in
 * memory (the command line), only the blocks of names whose name filter may hold the name's keyed hash are opened,
 * each checked whole (tokens/name-filter.ts): a reference opens one block, not all of them, and a row taken out of
 * the name index by hand is still met in its block and refused.
 */
export function findTokensByName(core: VaultCore, workspaceId: string, name: string): TokenSummary[] {
  let all = cachedTokens(core) !== null ? listTokens(core, { workspaceId }) : tokensInNamedBlocks(core, workspaceId, name);
  // Nothing: read the workspace's tokens whole before saying so. The hash lower-cases with this runtime's Unicode
  // tables, and the app (Electron's V8) and the command line (Node's) may differ on letters added lately.
  if (all.length === 0 && cachedTokens(core) === null) all = loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`, [workspaceId]);
  const exact = all.filter((t) => t.name === name);
  if (exact.length > 0) return exact;
  const lower = name.toLowerCase();
  return all.filter((t) => t.name.toLowerCase() === lower);
}

export function listTokens(core: VaultCore, filter: TokenFilter): TokenSummary[] {
  const statuses = filter.status === undefined ? null : new Set(Array.isArray(filter.status) ? filter.status : [filter.status]);
  const out: TokenSummary[] = [];
  for (const t of freshTokens(core).values()) {
    if (filter.workspaceId !== undefined && t.workspaceId !== filter.workspaceId) continue;
    if (statuses && !statuses.has(t.status)) continue;
    if (filter.expiresBefore !== undefined && (t.expiresAt === null || t.expiresAt > filter.expiresBefore)) continue;
    out.push(t);
  }
  return out;
}

/** The plaintext secret (null when none is stored). Pass `audit` to record the reveal/copy in the same step. */
export function readSecret(core: VaultCore, id: string, audit?: { action: AuditAction; actor?: string; detail?: string }): string | null {
  const key = core.key();
  const { row, blob } = core.read(() =>
    core.db.transaction(() => {
      const found = core.prepared(`SELECT ${TOKEN_COLUMNS}, secret FROM tokens WHERE id = ?`).raw().get(id) as [...TokenRow, Buffer | null] | undefined;
      if (!found) throw notFound('The token');
      const tokenRow = found.slice(0, -1) as TokenRow;
      // The secret's generation comes from the row: the row must be the one its shard vouches for.
      checkedRow(core, tokenRow);
      return { row: tokenRow, blob: found[found.length - 1] as Buffer | null };
    })(),
  );
  const secret = blob ? openSecret(key, id, row[ROW.secretRev], blob) : null;
  if (audit) appendAudit(core, { ...audit, tokenId: id, workspaceId: row[ROW.workspaceId] });
  return secret;
}

/**
 * Several secrets at once, each reading audited, all in one transaction (one commit, not one per token): what
 * `run` and `inject` need before they start. Tokens without a secret come back as null (and are not audited).
 */
export function readSecrets(core: VaultCore, ids: readonly string[], audit: { action: AuditAction; actor?: string; detail?: string }): Map<string, string | null> {
  const key = core.key();
  return core.write(() => {
    const out = new Map<string, string | null>();
    const select = core.prepared(`SELECT ${TOKEN_COLUMNS}, secret FROM tokens WHERE id = ?`).raw();
    for (const id of ids) {
      if (out.has(id)) continue;
      const found = select.get(id) as [...TokenRow, Buffer | null] | undefined;
      if (!found) throw notFound('The token');
      const row = found.slice(0, -1) as TokenRow;
      checkedRow(core, row);
      const blob = found[found.length - 1] as Buffer | null;
      out.set(id, blob ? openSecret(key, id, row[ROW.secretRev], blob) : null);
      if (blob) appendAuditRow(core, key, { ...audit, tokenId: id, workspaceId: row[ROW.workspaceId] });
    }
    return out;
  });
}

/**
 * Every stored secret by token id, in one read: for comparing against (`scan` looks for them on disk), never for
 * showing, so it is not audited. The rows are checked through the (cached) summaries first.
 */
export function readAllSecrets(core: VaultCore): Map<string, string> {
  const key = core.key();
  freshTokens(core);
  return core.read(() =>
    core.db.transaction(() => {
      const out = new Map<string, string>();
      const rows = core.prepared(`SELECT ${TOKEN_COLUMNS}, secret FROM tokens WHERE secret IS NOT NULL`).raw().all() as [...TokenRow, Buffer][];
      for (const found of rows) {
        const row = found.slice(0, -1) as TokenRow;
        checkedRow(core, row);
        out.set(row[0], openSecret(key, row[0], row[ROW.secretRev], found[found.length - 1] as Buffer));
      }
      return out;
    })(),
  );
}

export function removeToken(core: VaultCore, id: string, options: { actor?: string }): void {
  const key = core.key();
  let canon = new Map<string, string>();
  core.write(() => {
    const shards = new ShardWrite(core);
    const workspaceId = deleteTokenRow(core, shards, id);
    removeTargetsOfToken(core, id);
    canon = shards.flush();
    appendAuditRow(core, key, { action: 'removed', tokenId: id, workspaceId, actor: options.actor ?? 'app' });
  });
  cacheWritten(core, [], canon, [id]);
}

/**
 * Deletes a token's row, its notification markers and its place in its shard, inside the caller's write, through the
 * caller's ShardWrite (the shard is read and checked before the row goes; the caller flushes). Returns its workspace
 * id. The caller audits (removed, trashed) and, once committed, passes the flushed canon and the id to cacheWritten.
 */
export function deleteTokenRow(core: VaultCore, shards: ShardWrite, id: string): string {
  const row = core.prepared(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`).raw().get(id) as TokenRow | undefined;
  if (!row) throw notFound('The token');
  if (!shards.fields(row[ROW.shardId]).has(id)) throw tamperedToken(id);
  core.prepared('DELETE FROM tokens WHERE id = ?').run(id);
  core.prepared('DELETE FROM notifications_sent WHERE token_id = ?').run(id);
  shards.set(row[ROW.shardId], id, null);
  return row[ROW.workspaceId];
}

/**
 * Puts whole tokens back (a restore from the trash): each summary as it was, each secret sealed anew (generation 1
 * under its id), inside the caller's write, through the caller's ShardWrite (the caller flushes once). Returns the
 * summaries as stored; the caller audits and, once committed, passes them to cacheWritten.
 */
export function putTokenRows(core: VaultCore, shards: ShardWrite, items: readonly { summary: TokenSummary; secret: string | null }[]): TokenSummary[] {
  const shardIds = pickShard(core, items.length);
  // Each shard is read and checked before any of its rows changes.
  for (const shardId of new Set(shardIds)) shards.fields(shardId);
  return items.map(({ summary, secret }, i) => {
    const shardId = shardIds[i] ?? 1;
    const s = { ...summary, hasSecret: secret !== null };
    insertTokenRow(core, s, shardId, secret);
    shards.set(shardId, s.id, fieldsOf(s));
    return s;
  });
}

/**
 * Deletes every token of a workspace inside the caller's write, through the caller's ShardWrite (every shard read and
 * checked before a row goes; the caller flushes once). Returns their ids.
 */
export function deleteWorkspaceTokenRows(core: VaultCore, shards: ShardWrite, workspaceId: string): string[] {
  const rows = core.prepared(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`).raw().all(workspaceId) as TokenRow[];
  for (const row of rows) if (!shards.fields(row[ROW.shardId]).has(row[ROW.id])) throw tamperedToken(row[ROW.id]);
  for (const row of rows) shards.set(row[ROW.shardId], row[ROW.id], null);
  const ids = rows.map((r) => r[ROW.id]);
  core.prepared('DELETE FROM notifications_sent WHERE token_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
  core.prepared('DELETE FROM tokens WHERE workspace_id = ?').run(workspaceId);
  return ids;
}

/**
 * Facts for reminders and badges. Unlocked: from the checked summaries (an edited column is refused). Locked: from
 * the clear columns, which cannot be checked without the key; they are only required to be well-formed, and are
 * checked again as soon as the vault is unlocked. `ids`: only these tokens. Sharing adds two: the latest removal of a
 * member who could read the token, and whether it shows "two secrets" (unlocked: `shareMarks`, read from their
 * checked rows by the sharing tables, passed in so tokens do not import sharing: sharing depends on tokens).
 */
export function listReminderFacts(core: VaultCore, ids: readonly string[] | undefined, shareMarks: () => ShareReminderMarks): ReminderFacts[] {
  if (core.isUnlocked) {
    const workspaces = freshWorkspaces(core);
    const tokens = freshTokens(core);
    const wanted = ids ? ids.map((id) => tokens.get(id)).filter((t): t is TokenSummary => t !== undefined) : [...tokens.values()];
    const marks = shareMarks();
    return wanted.map((t) => ({
      id: t.id,
      workspaceId: t.workspaceId,
      status: t.status,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      lastRotatedAt: t.lastRotatedAt,
      rotationPolicy: t.rotationPolicy,
      workspaceRotationPolicy: workspaces.get(t.workspaceId)?.rotationPolicy ?? null,
      warningDays: t.warningDays,
      snoozedUntil: t.snoozedUntil,
      replacedById: t.replacedById,
      memberRemovedAt: marks.removedAt.get(t.id) ?? null,
      secretConflict: marks.twoSecrets.has(t.id),
    }));
  }
  // A format-1 vault opens locked before its upgrade (at the first unlock) adds the sharing tables.
  const sharing = core.read(() => core.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'share_removals'").get()) !== undefined;
  const rows = core.read(() =>
    core.db
      .prepare(
        `SELECT t.id, t.workspace_id, t.status, t.created_at, t.expires_at, t.last_rotated_at, t.rotate_every_days,
                t.rotation_basis, w.rotate_every_days, w.rotation_basis, t.warning_days, t.snoozed_until, t.replaced_by_id,
                ${sharing ? 'm.removed_at, c.id IS NOT NULL' : 'NULL, 0'}
         FROM tokens t LEFT JOIN workspaces w ON w.id = t.workspace_id
         ${sharing ? SHARE_MARKS_JOIN : ''}
         ${ids ? 'WHERE t.id IN (SELECT value FROM json_each(?))' : ''}`,
      )
      .raw()
      .all(...(ids ? [JSON.stringify(ids)] : [])),
  ) as [string, string, string, string, string | null, string | null, number | null, string | null, number | null, string | null, string | null, string | null, string | null, string | null, number][];
  return rows.map((r) => ({
    id: r[0],
    workspaceId: r[1],
    status: checkedStatus(r[2], r[0]),
    createdAt: checkedDate(r[3], r[0], 'creation date'),
    expiresAt: checkedDate(r[4], r[0], 'expiry'),
    lastRotatedAt: checkedDate(r[5], r[0], 'rotation date'),
    rotationPolicy: policyOf(r[6], r[7]),
    workspaceRotationPolicy: policyOf(r[8], r[9]),
    warningDays: checkedWarningDays(r[10], r[0]),
    snoozedUntil: checkedDate(r[11], r[0], 'snooze date'),
    replacedById: r[12],
    memberRemovedAt: checkedDate(r[13], r[0], 'member removal date'),
    secretConflict: r[14] === 1,
  }));
}

const SHARE_MARKS_JOIN = `LEFT JOIN (SELECT j.value AS token_id, max(r.at) AS removed_at
                    FROM share_removals r, json_each(CASE WHEN json_valid(r.token_ids) THEN r.token_ids ELSE '[]' END) j
                    GROUP BY j.value) m ON m.token_id = t.id
         LEFT JOIN share_conflicts c ON c.id = t.id`;

/** What reminders need from sharing: the latest member removal per token id, the record ids showing "two secrets". */
export interface ShareReminderMarks {
  removedAt: ReadonlyMap<string, string>;
  twoSecrets: ReadonlySet<string>;
}

export function countTokens(core: VaultCore): number {
  return core.read(() => core.db.prepare('SELECT count(*) FROM tokens').pluck().get() as number);
}

export function tokenIds(core: VaultCore): string[] {
  return core.read(() => core.db.prepare('SELECT id FROM tokens').pluck().all() as string[]);
}
