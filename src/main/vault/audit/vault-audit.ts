import { createHmac, randomUUID } from 'node:crypto';
import { AppFailure } from '../../errors';
import { canonRow } from '../crypto/canonical';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import type { VaultCore } from '../db/vault-core';
import type { AuditAction, AuditCheck, AuditEntry, NewAuditEntry } from '../db/vault-types';

/**
 * The append-only audit log (triggers refuse UPDATE and DELETE); details are sealed, the rest is clear.
 *
 * A CHAIN (issue 10 item 8): triggers stop mistakes, not someone with the file, who can drop them. So each entry's
 * `mac` is HMAC-SHA256, under the audit key derived from the data key, of the previous entry's MAC and the canonical
 * text of its own columns (seq first); the first entry chains to 32 zero bytes. The manifest (db/manifest.ts) holds
 * the newest entry's seq and MAC, written in the same transaction, so a deleted, edited, inserted or truncated entry
 * breaks the chain at a point `verify` names.
 */
const GENESIS: Buffer = Buffer.alloc(32);
const COLUMNS = 'seq, uid, at, action, token_id, workspace_id, actor, detail';
const link = (key: Buffer, prev: Buffer, values: readonly unknown[]): Buffer => createHmac('sha256', key).update(prev).update(canonRow(values)).digest();

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

const INSERT_SQL = `INSERT INTO audit (${COLUMNS}, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** One audit row inside the caller's write, so the change and its record commit together; chained to the head. */
export function appendAuditRow(core: VaultCore, key: Buffer, e: NewAuditEntry): void {
  appendAuditRows(core, key, [e]);
}

/**
 * Audit rows inside the caller's write, in order, each chained to the one before: what an import or an export of
 * thousands of tokens writes (one per token). The chain is walked with the MAC in hand rather than through the
 * manifest's text form, and the manifest's head is set once at the end.
 */
export function appendAuditRows(core: VaultCore, key: Buffer, entries: readonly NewAuditEntry[]): void {
  if (entries.length === 0) return;
  const manifest = core.changedManifest();
  const chainKey = core.derived().audit;
  const insert = core.prepared(INSERT_SQL);
  const at = new Date().toISOString();
  let seq = manifest.audit?.seq ?? 0;
  let prev = manifest.audit ? Buffer.from(manifest.audit.mac, 'base64') : GENESIS;
  for (const e of entries) {
    const uid = randomUUID();
    seq++;
    const values = [
      seq,
      uid,
      at,
      e.action,
      e.tokenId ?? null,
      e.workspaceId ?? null,
      e.actor ?? 'app',
      e.detail ? sealText(key, e.detail, aad('audit', uid, 'detail')) : null,
    ];
    const mac = link(chainKey, prev, values);
    insert.run(...values, mac);
    prev = mac;
  }
  manifest.audit = { seq, mac: prev.toString('base64') };
}

/** Walks the whole chain, oldest first, and names the first entry that does not hold (see the chain above). */
export function verifyAudit(core: VaultCore): AuditCheck {
  const key = core.derived().audit;
  return core.read(() =>
    core.db.transaction((): AuditCheck => {
      const head = core.manifest().audit;
      const headSeq = head?.seq ?? 0;
      const rows = core.prepared(`SELECT ${COLUMNS}, mac FROM audit ORDER BY seq`).raw().all() as unknown[][];
      let prev: Buffer = GENESIS;
      let expected = 1;
      for (const row of rows) {
        const seq = row[0] as number;
        if (seq !== expected) return { ok: false, entries: rows.length, brokenAt: expected, problem: seq > expected ? 'missing' : 'extra' };
        // Past the head the manifest vouches for: not one Token Vault wrote.
        if (seq > headSeq) return { ok: false, entries: rows.length, brokenAt: seq, problem: 'extra' };
        const mac = row[8] as Buffer | null;
        const want = link(key, prev, row.slice(0, 8));
        if (!mac || !want.equals(mac)) return { ok: false, entries: rows.length, brokenAt: seq, problem: 'changed' };
        prev = want;
        expected++;
      }
      const last = expected - 1;
      if (headSeq > last) return { ok: false, entries: rows.length, brokenAt: last + 1, problem: 'missing' };
      if (head && head.mac !== prev.toString('base64')) return { ok: false, entries: rows.length, brokenAt: last, problem: 'changed' };
      return { ok: true, entries: rows.length };
    })(),
  );
}

/**
 * A re-key (issue 10 item 9), inside its write: the chain must hold (a re-key never launders an edit), every detail is
 * opened now; the function re-seals them and re-chains every entry under the new audit key. The append-only triggers
 * are set aside for that, inside the same transaction, and put back exactly as they were.
 */
export function rekeyAudit(core: VaultCore): () => void {
  const check = verifyAudit(core);
  if (!check.ok) throw new AppFailure('vault-tampered', `The audit log was changed outside Token Vault (entry #${check.brokenAt}); the password was not changed. Restore the vault from a backup.`);
  const key = core.key();
  const rows = core.prepared(`SELECT ${COLUMNS} FROM audit ORDER BY seq`).raw().all() as unknown[][];
  const details = rows.map((r) => (r[7] ? openText(key, r[7] as Buffer, aad('audit', r[1] as string, 'detail'), 'An audit detail') : null));
  return () => {
    const newKey = core.key();
    const triggers = core.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'").all() as { name: string; sql: string }[];
    for (const t of triggers) core.db.exec(`DROP TRIGGER "${t.name}"`);
    const update = core.db.prepare('UPDATE audit SET detail = ?, mac = ? WHERE seq = ?');
    let prev: Buffer = GENESIS;
    rows.forEach((r, i) => {
      const detail = details[i];
      const values = [...r.slice(0, 7), detail === null || detail === undefined ? null : sealText(newKey, detail, aad('audit', r[1] as string, 'detail'))];
      prev = link(core.derived().audit, prev, values);
      update.run(values[7], prev, r[0]);
    });
    for (const t of triggers) core.db.exec(t.sql);
    const last = rows[rows.length - 1];
    core.changedManifest().audit = last ? { seq: last[0] as number, mac: prev.toString('base64') } : null;
  };
}

/**
 * The one-time upgrade of a format-1 vault (keys/format1-upgrade.ts), inside its write: the log had no chain, so every
 * entry is chained as it stands (details unchanged: their AAD did not change) and the head goes into the manifest.
 */
export function chainAuditAsIs(core: VaultCore): void {
  const rows = core.prepared(`SELECT ${COLUMNS} FROM audit ORDER BY seq`).raw().all() as unknown[][];
  const triggers = core.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'").all() as { name: string; sql: string }[];
  for (const t of triggers) core.db.exec(`DROP TRIGGER "${t.name}"`);
  const update = core.db.prepare('UPDATE audit SET mac = ? WHERE seq = ?');
  let prev: Buffer = GENESIS;
  for (const r of rows) {
    prev = link(core.derived().audit, prev, r);
    update.run(prev, r[0]);
  }
  for (const t of triggers) core.db.exec(t.sql);
  const last = rows[rows.length - 1];
  core.changedManifest().audit = last ? { seq: last[0] as number, mac: prev.toString('base64') } : null;
}

/** The append-only audit log: `vault.audit`. */
export interface VaultAudit {
  append(entry: NewAuditEntry): void;
  /** Newest first. */
  list(filter?: { tokenId?: string; workspaceId?: string; limit?: number }): AuditEntry[];
  /** Checks the whole chain: ok, or the first entry that is changed, missing or not one Token Vault wrote. */
  verify(): AuditCheck;
}

export const vaultAudit = (core: VaultCore): VaultAudit => ({
  append: (entry) => appendAudit(core, entry),
  list: (filter) => listAudit(core, filter),
  verify: () => verifyAudit(core),
});
