import { randomUUID } from 'node:crypto';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import type { AuditAction, AuditEntry, NewAuditEntry } from '../db/vault-types';

// The append-only audit log (triggers refuse UPDATE and DELETE); details are sealed, the rest is clear.

export function appendAudit(core: VaultCore, entry: NewAuditEntry): void {
  const key = core.key();
  core.write(() => appendAuditRow(core, key, entry));
}

/** Newest first. */
export function listAudit(core: VaultCore, filter: { tokenId?: string; workspaceId?: string; limit?: number } = {}): AuditEntry[] {
  const key = core.key();
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.tokenId !== undefined) {
    where.push('token_id = ?');
    args.push(filter.tokenId);
  }
  if (filter.workspaceId !== undefined) {
    where.push('workspace_id = ?');
    args.push(filter.workspaceId);
  }
  const sql = `SELECT seq, uid, at, action, token_id, workspace_id, actor, detail FROM audit
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
  const rows = core.read(() => core.db.prepare(sql).all(...args, filter.limit ?? 1000)) as {
    seq: number; uid: string; at: string; action: AuditAction; token_id: string | null; workspace_id: string | null; actor: string; detail: Buffer | null;
  }[];
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    action: r.action,
    tokenId: r.token_id,
    workspaceId: r.workspace_id,
    actor: r.actor,
    detail: r.detail ? openText(key, r.detail, aad('audit', r.uid, 'detail'), 'An audit entry') : null,
  }));
}

/** One audit row inside the caller's write, so the change and its record commit together. */
export function appendAuditRow(core: VaultCore, key: Buffer, e: NewAuditEntry): void {
  const uid = randomUUID();
  core
    .prepared('INSERT INTO audit (uid, at, action, token_id, workspace_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(
      uid,
      new Date().toISOString(),
      e.action,
      e.tokenId ?? null,
      e.workspaceId ?? null,
      e.actor ?? 'app',
      e.detail ? sealText(key, e.detail, aad('audit', uid, 'detail')) : null,
    );
}

/** The append-only audit log: `vault.audit`. */
export interface VaultAudit {
  append(entry: NewAuditEntry): void;
  /** Newest first. */
  list(filter?: { tokenId?: string; workspaceId?: string; limit?: number }): AuditEntry[];
}

export const vaultAudit = (core: VaultCore): VaultAudit => ({
  append: (entry) => appendAudit(core, entry),
  list: (filter) => listAudit(core, filter),
});
