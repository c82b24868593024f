import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../errors';
import { appendAudit, appendAuditRow } from '../audit/vault-audit';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import { definedOnly, handBackSecret, notFound, policyOf, type VaultCore } from '../db/vault-core';
import {
  clearValues,
  fieldsOf,
  summaryOf,
  tamperedShard,
  tokenFromInput,
  TOKEN_COLUMNS,
  UPDATE_TOKEN_SQL,
  type TokenRow,
} from './token-rows';
import { addShardChange, cachedTokens, freshTokens, insertTokenRow, loadSummaries, pickShard, readShard, rewriteShards, type ShardChanges } from './token-store';
import type { AuditAction, NewToken, ReminderFacts, TokenFilter, TokenPatch, TokenStatus, TokenSummary } from '../db/vault-types';

// One token at a time: each write is its own transaction, audited in it, and then patched into the cache.

export function insertToken(core: VaultCore, input: NewToken, actor: string): TokenSummary {
  const key = core.key();
  const id = input.id ?? randomUUID();
  const now = new Date().toISOString();
  const { db } = core;
  const summary = core.write(() => {
    if (!db.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(input.workspaceId)) throw notFound('The workspace');
    if (db.prepare('SELECT 1 FROM tokens WHERE id = ?').get(id))
      throw new AppFailure('already-exists', 'A token with this id is already in the vault.');
    const shardId = pickShard(core, 1)[0] ?? 1;
    const s = tokenFromInput(id, input, now);
    insertTokenRow(core, key, s, shardId, input.secret ?? null);
    rewriteShards(core, key, new Map([[shardId, new Map([[id, fieldsOf(s)]])]]));
    appendAuditRow(core, key, { action: 'created', tokenId: id, workspaceId: s.workspaceId, actor });
    return s;
  });
  core.tokenCache?.tokens.set(id, summary);
  core.touch(id);
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

/** Sets or clears a token's secret (e.g. after regenerate). Same durability and hand-back as storeIssuedToken. */
export function setTokenSecret(core: VaultCore, id: string, secret: string | null, actor: string): void {
  try {
    const key = core.key();
    core.write(() => {
      const blob = secret === null ? null : sealText(key, secret, aad('tokens', id, 'secret'));
      const r = core.db.prepare('UPDATE tokens SET secret = ?, updated_at = ? WHERE id = ?').run(blob, new Date().toISOString(), id);
      if (r.changes === 0) throw notFound('The token');
      appendAuditRow(core, key, { action: 'secret-stored', tokenId: id, actor });
    });
    const cached = core.tokenCache?.tokens.get(id);
    if (cached) cached.hasSecret = secret !== null;
    core.touch(id);
  } catch (error) {
    throw handBackSecret(error, secret);
  }
}

export function updateToken(core: VaultCore, id: string, patch: TokenPatch, actor?: string): TokenSummary {
  const key = core.key();
  const { db } = core;
  const summary = core.write(() => {
    const row = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`).raw().get(id) as TokenRow | undefined;
    if (!row) throw notFound('The token');
    const shard = readShard(core, key, row[2]);
    const fields = shard[id];
    if (!fields) throw tamperedShard();
    const current = summaryOf(row, fields);
    const next: TokenSummary = { ...current, ...definedOnly(patch), updatedAt: new Date().toISOString() };
    db.prepare(UPDATE_TOKEN_SQL).run(...clearValues(next).slice(1), next.updatedAt, id);
    const nextFields = fieldsOf(next);
    // The shard is re-sealed only when a sealed field changed: status and date patches touch the clear row alone.
    if (JSON.stringify(nextFields) !== JSON.stringify(fields))
      rewriteShards(core, key, new Map([[row[2], new Map([[id, nextFields]])]]));
    if (actor) appendAuditRow(core, key, { action: 'updated', tokenId: id, workspaceId: next.workspaceId, actor });
    return next;
  });
  core.tokenCache?.tokens.set(id, summary);
  core.touch(id);
  return summary;
}

export function findToken(core: VaultCore, id: string): TokenSummary | undefined {
  const cache = cachedTokens(core);
  if (cache) return cache.get(id);
  return loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`, [id])[0];
}

export function findTokenByRemoteId(core: VaultCore, workspaceId: string, remoteId: string): TokenSummary | undefined {
  const id = core.read(
    () =>
      core.db.prepare('SELECT id FROM tokens WHERE workspace_id = ? AND remote_id = ?').pluck().get(workspaceId, remoteId) as
        | string
        | undefined,
  );
  return id === undefined ? undefined : findToken(core, id);
}

/** Tokens of a workspace whose name matches exactly (case-insensitive when no exact match). */
export function findTokensByName(core: VaultCore, workspaceId: string, name: string): TokenSummary[] {
  const all =
    cachedTokens(core) !== null
      ? listTokens(core, { workspaceId })
      : loadSummaries(core, `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`, [workspaceId]);
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
  const row = core.read(
    () => core.db.prepare('SELECT workspace_id, secret FROM tokens WHERE id = ?').get(id) as
      | { workspace_id: string; secret: Buffer | null }
      | undefined,
  );
  if (!row) throw notFound('The token');
  const secret = row.secret ? openText(key, row.secret, aad('tokens', id, 'secret'), 'A token secret') : null;
  if (audit) appendAudit(core, { ...audit, tokenId: id, workspaceId: row.workspace_id });
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
    const select = core.db.prepare('SELECT workspace_id, secret FROM tokens WHERE id = ?');
    for (const id of ids) {
      if (out.has(id)) continue;
      const row = select.get(id) as { workspace_id: string; secret: Buffer | null } | undefined;
      if (!row) throw notFound('The token');
      out.set(id, row.secret ? openText(key, row.secret, aad('tokens', id, 'secret'), 'A token secret') : null);
      if (row.secret) appendAuditRow(core, key, { ...audit, tokenId: id, workspaceId: row.workspace_id });
    }
    return out;
  });
}

/**
 * Every stored secret by token id, in one read: for comparing against (`scan` looks for them on disk), never for
 * showing, so it is not audited. One statement instead of one `readSecret` per token: 10,000 in tens of ms.
 */
export function readAllSecrets(core: VaultCore): Map<string, string> {
  const key = core.key();
  return core.read(() => {
    const out = new Map<string, string>();
    const rows = core.db.prepare('SELECT id, secret FROM tokens WHERE secret IS NOT NULL').raw().iterate() as Iterable<[string, Buffer]>;
    for (const [id, blob] of rows) out.set(id, openText(key, blob, aad('tokens', id, 'secret'), 'A token secret'));
    return out;
  });
}

export function removeToken(core: VaultCore, id: string, options: { actor?: string }): void {
  const key = core.key();
  core.write(() => {
    const workspaceId = deleteTokenRow(core, key, id);
    appendAuditRow(core, key, { action: 'removed', tokenId: id, workspaceId, actor: options.actor ?? 'app' });
  });
  forgetToken(core, id);
}

/** After a committed delete: the cache forgets the token and the window hears of it. */
export function forgetToken(core: VaultCore, id: string): void {
  core.tokenCache?.tokens.delete(id);
  core.touch(id);
}

/**
 * Deletes a token's row, its notification markers and its place in its shard, inside the caller's write. Returns its
 * workspace id. The caller audits (removed, trashed) and, once committed, calls forgetToken.
 */
export function deleteTokenRow(core: VaultCore, key: Buffer, id: string): string {
  const { db } = core;
  const row = db.prepare('SELECT workspace_id, shard_id FROM tokens WHERE id = ?').get(id) as { workspace_id: string; shard_id: number } | undefined;
  if (!row) throw notFound('The token');
  db.prepare('DELETE FROM tokens WHERE id = ?').run(id);
  db.prepare('DELETE FROM notifications_sent WHERE token_id = ?').run(id);
  rewriteShards(core, key, new Map([[row.shard_id, new Map([[id, null]])]]));
  return row.workspace_id;
}

/**
 * Puts whole tokens back (a restore from the trash): each summary as it was, each secret sealed anew, inside the
 * caller's write, every shard re-sealed once. Returns the summaries as stored; the caller audits and, once committed,
 * calls rememberToken for each.
 */
export function putTokenRows(core: VaultCore, key: Buffer, items: readonly { summary: TokenSummary; secret: string | null }[]): TokenSummary[] {
  const shardIds = pickShard(core, items.length);
  const changes: ShardChanges = new Map();
  const stored = items.map(({ summary, secret }, i) => {
    const shardId = shardIds[i] ?? 1;
    const s = { ...summary, hasSecret: secret !== null };
    insertTokenRow(core, key, s, shardId, secret);
    addShardChange(changes, shardId, s.id, fieldsOf(s));
    return s;
  });
  rewriteShards(core, key, changes);
  return stored;
}

/** Deletes every token of a workspace inside the caller's write, each shard re-sealed once. Returns their ids. */
export function deleteWorkspaceTokenRows(core: VaultCore, key: Buffer, workspaceId: string): string[] {
  const { db } = core;
  const rows = db.prepare('SELECT id, shard_id FROM tokens WHERE workspace_id = ?').raw().all(workspaceId) as [string, number][];
  const changes: ShardChanges = new Map();
  for (const [id, shardId] of rows) addShardChange(changes, shardId, id, null);
  const ids = JSON.stringify(rows.map((r) => r[0]));
  db.prepare('DELETE FROM notifications_sent WHERE token_id IN (SELECT value FROM json_each(?))').run(ids);
  db.prepare('DELETE FROM tokens WHERE workspace_id = ?').run(workspaceId);
  rewriteShards(core, key, changes);
  return rows.map((r) => r[0]);
}

/** After a committed insert: the cache holds the token and the window hears of it. */
export function rememberToken(core: VaultCore, s: TokenSummary): void {
  core.tokenCache?.tokens.set(s.id, s);
  core.touch(s.id);
}

/** Clear facts for reminders and badges: works while the vault is locked. `ids`: only these tokens. */
export function listReminderFacts(core: VaultCore, ids?: readonly string[]): ReminderFacts[] {
  const rows = core.read(() =>
    core.db
      .prepare(
        `SELECT t.id, t.workspace_id, t.status, t.created_at, t.expires_at, t.last_rotated_at, t.rotate_every_days,
                t.rotation_basis, w.rotate_every_days, w.rotation_basis, t.warning_days, t.snoozed_until, t.replaced_by_id
         FROM tokens t LEFT JOIN workspaces w ON w.id = t.workspace_id
         ${ids ? 'WHERE t.id IN (SELECT value FROM json_each(?))' : ''}`,
      )
      .raw()
      .all(...(ids ? [JSON.stringify(ids)] : [])),
  ) as [string, string, TokenStatus, string, string | null, string | null, number | null, string | null, number | null, string | null, string | null, string | null, string | null][];
  return rows.map((r) => ({
    id: r[0],
    workspaceId: r[1],
    status: r[2],
    createdAt: r[3],
    expiresAt: r[4],
    lastRotatedAt: r[5],
    rotationPolicy: policyOf(r[6], r[7]),
    workspaceRotationPolicy: policyOf(r[8], r[9]),
    warningDays: r[10] ? (JSON.parse(r[10]) as number[]) : null,
    snoozedUntil: r[11],
    replacedById: r[12],
  }));
}

export function countTokens(core: VaultCore): number {
  return core.read(() => core.db.prepare('SELECT count(*) FROM tokens').pluck().get() as number);
}

export function tokenIds(core: VaultCore): string[] {
  return core.read(() => core.db.prepare('SELECT id FROM tokens').pluck().all() as string[]);
}
