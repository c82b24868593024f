import { isTokenStatus } from '../../../shared/token-status';
import { canonRow } from '../crypto/canonical';
import { policyOf } from '../db/vault-core';
import { tamperedRow } from '../db/row-auth';
import type { SealedFields } from './summary-shards';
import type { NewToken, TokenStatus, TokenSummary } from '../db/vault-types';

/**
 * How a token is laid out on disk: clear columns in `tokens` (dates, status, links: readable while locked, for
 * reminders) and the searchable text sealed in its summary shard, beside the canonical text of the clear row it
 * vouches for. Rows are read `.raw()` as tuples in this column order; `canonRow(row)` is that text.
 * `remote_ref` is a keyed hash of the workspace and the service's id (the id itself is sealed in the shard);
 * `secret_rev` counts the secret's writes and is part of its AAD, so an older secret blob copied back no longer opens.
 * `name_ref` is a keyed hash of the workspace and the name in lower case (migration 006), last so that a row written
 * before it (NULL there) keeps the canonical text its shard holds.
 */
export const TOKEN_COLUMNS =
  'id, workspace_id, shard_id, remote_ref, status, created_at, expires_at, last_used_at, usage_count, rotate_every_days, ' +
  'rotation_basis, last_rotated_at, warning_days, snoozed_until, replaced_by_id, replaces_id, updated_at, secret_rev, secret IS NOT NULL, name_ref';
export type TokenRow = [
  id: string, workspaceId: string, shardId: number, remoteRef: string | null, status: TokenStatus, createdAt: string,
  expiresAt: string | null, lastUsedAt: string | null, usageCount: number | null, rotateEveryDays: number | null,
  rotationBasis: string | null, lastRotatedAt: string | null, warningDays: string | null, snoozedUntil: string | null,
  replacedById: string | null, replacesId: string | null, updatedAt: string, secretRev: number, hasSecret: number,
  nameRef: string | null,
];
export const ROW = { id: 0, workspaceId: 1, shardId: 2, secretRev: 17, nameRef: 19 } as const;

/** The clear columns a write sets, in this order, then `id` (UPDATE) or the insert's extra columns. */
export const CLEAR_COLUMNS = [
  'remote_ref', 'status', 'created_at', 'expires_at', 'last_used_at', 'usage_count', 'rotate_every_days', 'rotation_basis',
  'last_rotated_at', 'warning_days', 'snoozed_until', 'replaced_by_id', 'replaces_id', 'updated_at', 'name_ref',
] as const;
export const UPDATE_TOKEN_SQL = `UPDATE tokens SET ${CLEAR_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;

/**
 * The canonical text of a token's clear row, as read with TOKEN_COLUMNS. A NULL `name_ref` (a row not yet given one)
 * is left out, so the text is the one its shard has held since before migration 006 (canonRow ends a NULL with "n;").
 */
export const canonOf = (row: TokenRow): string => {
  const text = canonRow(row);
  return row[ROW.nameRef] === null ? text.slice(0, -2) : text;
};

export const tamperedToken = (id: string, how?: string) => tamperedRow('token', id, how);

/** The warning ladder of a clear column: a JSON list of whole days, or a typed error naming the token. */
function warningDaysOf(text: string | null, id: string): number[] | null {
  if (text === null) return null;
  let days: unknown;
  try {
    days = JSON.parse(text);
  } catch {
    days = undefined;
  }
  if (!Array.isArray(days) || !days.every((d) => Number.isInteger(d) && d >= 0 && d <= 3650)) throw tamperedToken(id, 'has an unreadable warning ladder');
  return days as number[];
}

export function summaryOf(r: TokenRow, f: SealedFields): TokenSummary {
  return {
    id: r[0],
    workspaceId: r[1],
    remoteId: f[7],
    name: f[0],
    description: f[1],
    prefix: f[2],
    type: f[3],
    scopes: f[4],
    url: f[5],
    notes: f[6],
    hasSecret: r[18] === 1,
    status: r[4],
    createdAt: r[5],
    expiresAt: r[6],
    lastUsedAt: r[7],
    usageCount: r[8],
    rotationPolicy: policyOf(r[9], r[10]),
    lastRotatedAt: r[11],
    warningDays: warningDaysOf(r[12], r[0]),
    snoozedUntil: r[13],
    replacedById: r[14],
    replacesId: r[15],
    updatedAt: r[16],
  };
}

export const fieldsOf = (s: TokenSummary): SealedFields => [s.name, s.description, s.prefix, s.type, s.scopes, s.url, s.notes, s.remoteId];

/** The values of CLEAR_COLUMNS for a summary, given the keyed hashes of its remote id and of its name. */
export const clearValues = (s: TokenSummary, remoteRef: string | null, nameRef: string) =>
  [
    remoteRef,
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
    s.updatedAt,
    nameRef,
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

// ---- clear values read while locked: unauthenticated, so at least well-formed ----

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A date column read while locked: an ISO instant, or a typed error naming the token (never a RangeError later). */
export function checkedDate<T extends string | null>(value: T, id: string, what: string): T {
  if (value !== null && (typeof value !== 'string' || !ISO.test(value) || Number.isNaN(Date.parse(value)))) throw tamperedToken(id, `has an unreadable ${what}`);
  return value;
}

export function checkedStatus(value: string, id: string): TokenStatus {
  if (!isTokenStatus(value)) throw tamperedToken(id, 'has an unknown status');
  return value;
}

export const checkedWarningDays = warningDaysOf;
