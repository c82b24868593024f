import { AppFailure } from '../../errors';
import type { SealedFields } from './summary-shards';
import { policyOf } from '../db/vault-core';
import type { NewToken, TokenStatus, TokenSummary } from '../db/vault-types';

/**
 * How a token is laid out on disk: clear columns in `tokens` (dates, status, links: readable while locked, for
 * reminders) and the searchable text sealed in its summary shard. Rows are read `.raw()` as tuples.
 */
export const TOKEN_COLUMNS =
  'id, workspace_id, shard_id, remote_id, status, created_at, expires_at, last_used_at, usage_count, rotate_every_days, ' +
  'rotation_basis, last_rotated_at, warning_days, snoozed_until, replaced_by_id, replaces_id, updated_at, secret IS NOT NULL';
export type TokenRow = [
  string, string, number, string | null, TokenStatus, string, string | null, string | null, number | null,
  number | null, string | null, string | null, string | null, string | null, string | null, string | null, string, number,
];

/** Takes `clearValues(next).slice(1)`, then updated_at and id. */
export const UPDATE_TOKEN_SQL = `UPDATE tokens SET remote_id = ?, status = ?, created_at = ?, expires_at = ?, last_used_at = ?, usage_count = ?,
  rotate_every_days = ?, rotation_basis = ?, last_rotated_at = ?, warning_days = ?, snoozed_until = ?,
  replaced_by_id = ?, replaces_id = ?, updated_at = ? WHERE id = ?`;

export const tamperedShard = () =>
  new AppFailure('vault-tampered', 'The token index in the vault does not match its rows: the file was changed outside Token Vault.');

export function summaryOf(r: TokenRow, f: SealedFields): TokenSummary {
  return {
    id: r[0],
    workspaceId: r[1],
    remoteId: r[3],
    name: f[0],
    description: f[1],
    prefix: f[2],
    type: f[3],
    scopes: f[4],
    url: f[5],
    notes: f[6],
    hasSecret: r[17] === 1,
    status: r[4],
    createdAt: r[5],
    expiresAt: r[6],
    lastUsedAt: r[7],
    usageCount: r[8],
    rotationPolicy: policyOf(r[9], r[10]),
    lastRotatedAt: r[11],
    warningDays: r[12] ? (JSON.parse(r[12]) as number[]) : null,
    snoozedUntil: r[13],
    replacedById: r[14],
    replacesId: r[15],
    updatedAt: r[16],
  };
}

export const fieldsOf = (s: TokenSummary): SealedFields => [s.name, s.description, s.prefix, s.type, s.scopes, s.url, s.notes];

/** id, remote_id ... replaces_id in the column order of the INSERT/UPDATE statements. */
export const clearValues = (s: TokenSummary) =>
  [
    s.id,
    s.remoteId,
    s.status,
    s.createdAt,
    s.expiresAt,
    s.lastUsedAt,
    s.usageCount,
    s.rotationPolicy?.rotateEveryDays ?? null,
    s.rotationPolicy?.basis ?? null,
    s.lastRotatedAt,
    s.warningDays ? JSON.stringify(s.warningDays) : null,
    s.snoozedUntil,
    s.replacedById,
    s.replacesId,
  ] as const;

export function tokenFromInput(id: string, t: NewToken, now: string): TokenSummary {
  return {
    id,
    workspaceId: t.workspaceId,
    remoteId: t.remoteId ?? null,
    name: t.name,
    description: t.description ?? null,
    prefix: t.prefix ?? null,
    type: t.type ?? null,
    scopes: t.scopes ?? [],
    url: t.url ?? null,
    notes: t.notes ?? null,
    hasSecret: t.secret !== undefined && t.secret !== null,
    status: t.status ?? 'active',
    createdAt: t.createdAt ?? now,
    expiresAt: t.expiresAt ?? null,
    lastUsedAt: t.lastUsedAt ?? null,
    usageCount: t.usageCount ?? null,
    rotationPolicy: t.rotationPolicy ?? null,
    lastRotatedAt: t.lastRotatedAt ?? null,
    warningDays: t.warningDays ?? null,
    snoozedUntil: t.snoozedUntil ?? null,
    replacedById: t.replacedById ?? null,
    replacesId: t.replacesId ?? null,
    updatedAt: now,
  };
}
