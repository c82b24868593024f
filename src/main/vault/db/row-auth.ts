import { AppFailure } from '../../errors';
import { canonRow, macOf } from '../crypto/canonical';
import type { VaultCore } from './vault-core';

/**
 * ROW AUTHENTICATION: how every table of the vault resists edits of its file (issue 10).
 *
 * Someone with a copy of the file can change any byte of it. Sealed columns (AES-256-GCM, with an AAD naming table,
 * row and field) can be neither read nor forged, but alone they could be copied back from an older copy of the file,
 * and the clear columns (ids, statuses, dates: clear so reminders work while the vault is locked) could be edited at
 * will. So, for every row of every table:
 *   1. `mac` = HMAC-SHA256, under a key derived from the data key, of the table name and the canonical text
 *      (crypto/canonical.ts) of ALL the row's other columns, sealed blobs included as bytes, and `rev`, the number of
 *      times Token Vault wrote the row. An edited column or a blob copied in from elsewhere no longer matches.
 *   2. The manifest (db/manifest.ts: one sealed row, rewritten in the same transaction as every write) holds each
 *      row's rev, so an older copy of a WHOLE row (its MAC with it), a deleted row or a row added outside Token Vault
 *      is refused too.
 *   3. Tables with many rows keep their rows' canonical text inside sealed blocks instead of a MAC per row: tokens, in
 *      their summary shards (tokens/token-store.ts), so unlocking 10,000 tokens compares 10,000 strings where 10,000
 *      HMACs would cost more than everything else. The manifest then holds each block's rev.
 * Any mismatch is AppFailure('vault-tampered') naming the table and the row; never a silent answer, never a crash.
 * Out of scope, and said so in README: the whole file (the manifest with it) replaced by an older copy.
 *
 * A NEW TABLE: give it `rev INTEGER NOT NULL DEFAULT 0` and `mac BLOB` columns, declare it once with `authTable`,
 * then, inside `core.write`: `sealRow(core, TABLE, id)` after each insert or update, `dropRow(core, TABLE, id)` after
 * a delete; read it with `checkedRows(core, TABLE, where, args)` (every row checked; `whole` also checks that the
 * table holds exactly the rows the manifest knows). Nothing else per table.
 */
export interface AuthTable {
  readonly name: string;
  /** Says what a row is in messages: "workspace", "rotation step". */
  readonly label: string;
  /** Every column except `mac`, `id` first; the MAC covers them in this order. */
  readonly columns: readonly string[];
}

export function authTable(name: string, label: string, columns: readonly string[]): AuthTable {
  if (columns[0] !== 'id' || !columns.includes('rev')) throw new Error(`${name}: an authenticated table lists id first and has rev`);
  return { name, label, columns };
}

export const tamperedRow = (label: string, id: string | number, how = 'failed its integrity check') =>
  new AppFailure('vault-tampered', `The ${label} ${id} in the vault ${how}: the file was changed outside Token Vault. Restore it from a backup.`);

const selectSql = (t: AuthTable, where: string) => `SELECT ${t.columns.join(', ')}, mac FROM ${t.name}${where ? ` WHERE ${where}` : ''}`;

/** Inside a write, after a row was inserted or updated: its next rev (recorded in the manifest) and its MAC. */
export function sealRow(core: VaultCore, table: AuthTable, id: string): void {
  const rev = core.nextRev(table.name, id);
  core.prepared(`UPDATE ${table.name} SET rev = ? WHERE id = ?`).run(rev, id);
  const values = core.prepared(`SELECT ${table.columns.join(', ')} FROM ${table.name} WHERE id = ?`).raw().get(id) as unknown[] | undefined;
  if (!values) throw new Error(`sealRow: no ${table.name} row ${id}`);
  core.prepared(`UPDATE ${table.name} SET mac = ? WHERE id = ?`).run(macOf(core.derived().rows, table.name, canonRow(values)), id);
}

/** Inside a write, after a row was deleted. */
export function dropRow(core: VaultCore, table: AuthTable, id: string): void {
  core.dropRev(table.name, id);
}

/**
 * The rows `where` selects, each checked (MAC, and rev against the manifest), as objects keyed by column. `whole`:
 * `where` selects the whole table, so it must hold exactly the rows the manifest knows.
 */
export function checkedRows<T>(core: VaultCore, table: AuthTable, where = '', args: unknown[] = [], options: { whole?: boolean } = {}): T[] {
  const key = core.derived().rows;
  return core.read(() =>
    core.db.transaction(() => {
      const revs = core.manifest().revs[table.name] ?? {};
      const rows = core.prepared(selectSql(table, where)).raw().all(...args) as unknown[][];
      const revAt = table.columns.indexOf('rev');
      const out = rows.map((values) => {
        const id = String(values[0]);
        const mac = values[table.columns.length] as Buffer | null;
        const expected = macOf(key, table.name, canonRow(values.slice(0, table.columns.length)));
        if (!mac || !expected.equals(mac)) throw tamperedRow(table.label, id);
        if (revs[id] !== values[revAt]) throw tamperedRow(table.label, id, revs[id] === undefined ? 'is not one Token Vault wrote' : 'is older than the rest of the vault');
        return Object.fromEntries(table.columns.map((c, i) => [c, values[i]])) as T;
      });
      if (options.whole && rows.length !== Object.keys(revs).length) {
        const present = new Set(rows.map((r) => String(r[0])));
        const missing = Object.keys(revs).find((id) => !present.has(id));
        if (missing !== undefined) throw tamperedRow(table.label, missing, 'is missing');
      }
      return out;
    })(),
  );
}

/** A row a caller asked for by id is not there: not found, or tampering when the manifest says it should be. */
export function absentRow(core: VaultCore, table: AuthTable, id: string, notFound: () => AppFailure): AppFailure {
  return core.manifest().revs[table.name]?.[id] !== undefined ? tamperedRow(table.label, id, 'is missing') : notFound();
}
