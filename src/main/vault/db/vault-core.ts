import type { Statement } from 'better-sqlite3';
import { AppFailure } from '../../errors';
import { wipe } from '../crypto/vault-crypto';
import { translateDbError, type Db } from './vault-db';
import type { RotationPolicy, TokenSummary, Workspace } from './vault-types';

/** Past this many written tokens, "reload them all" is cheaper to send than each one. */
const MAX_TOUCHED = 500;

export const locked = () => new AppFailure('vault-locked', 'The vault is locked. Unlock it first.');
export const notFound = (what: string) => new AppFailure('not-found', `${what} was not found in the vault.`);

/**
 * THE hand-back of an issued secret the vault could not store: the secret rides in the error
 * (AppFailure.unsavedSecret), so the caller shows it once instead of losing it. Every path that stores a fresh secret
 * (create, regenerate, rotation, paste, the rotation journal) ends here.
 */
export function handBackSecret(error: unknown, secret: string | null | undefined): unknown {
  if (!secret) return error;
  if (error instanceof AppFailure && error.unsavedSecret !== undefined) return error;
  const why = error instanceof AppFailure ? error.message : 'The vault could not be written.';
  return new AppFailure('secret-not-stored', `The service issued a new secret, but the vault could not store it: ${why}`, { unsavedSecret: secret });
}

/** A rotation policy from its two clear columns (tokens and workspaces store it the same way). */
export const policyOf = (days: number | null, basis: string | null): RotationPolicy | null =>
  days === null ? null : { rotateEveryDays: days, basis: basis === 'issue' ? 'issue' : 'last-rotation' };

/** The fields of a patch that are set: `undefined` means "leave as is", `null` means "clear". */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * What every part of an open vault shares: the database handle, the data key while unlocked, the decrypted caches
 * and the transaction helpers. The record modules (workspaces/, tokens/, keys/, audit/...) take it as their first
 * argument; only `Vault` creates one.
 */
export class VaultCore {
  dataKey: Buffer | null = null;
  /** Decrypted summaries, valid while `version` equals PRAGMA data_version (no other connection committed). */
  tokenCache: { tokens: Map<string, TokenSummary>; version: number } | null = null;
  wsCache: { workspaces: Map<string, Workspace>; version: number } | null = null;
  readonly vaultId: string;
  /** Tokens written since the last `takeTouched()`; 'all' after a bulk write or a change every token's view shows. */
  private touched: Set<string> | 'all' = new Set();
  /** Statements run once per row of a bulk write, prepared once (a statement per row costs native memory until GC). */
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(readonly db: Db) {
    let row: { value: string } | undefined;
    try {
      row = db.prepare("SELECT value FROM meta WHERE key = 'vault_id'").get() as { value: string } | undefined;
    } catch (error) {
      db.close();
      throw translateDbError(error);
    }
    if (!row) {
      db.close();
      throw new AppFailure('vault-corrupt', 'The vault file has no identity: it is damaged. Restore it from a backup.');
    }
    this.vaultId = row.value;
  }

  /** The prepared statement for `sql`, made once per connection. */
  prepared(sql: string): Statement<unknown[]> {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare<unknown[]>(sql)));
    return stmt;
  }

  /** The data key, or vault-locked. */
  key(): Buffer {
    if (!this.dataKey) throw locked();
    return this.dataKey;
  }

  /** Replaces the key (unlock); summaries decrypted with another key are dropped. */
  setKey(key: Buffer | null): void {
    wipe(this.dataKey);
    this.dataKey = key;
    this.forgetCaches();
  }

  forgetCaches(): void {
    this.tokenCache = null;
    this.wsCache = null;
  }

  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw translateDbError(error);
    }
  }

  read<T>(fn: () => T): T {
    return this.guard(fn);
  }

  /** BEGIN IMMEDIATE: takes the write lock up front, so a read-then-write never loses another process's update. */
  write<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).immediate());
  }

  /** Records that this token was written (inserted, patched, given a secret, removed). */
  touch(id: string): void {
    if (this.touched === 'all') return;
    this.touched.add(id);
    if (this.touched.size > MAX_TOUCHED) this.touched = 'all';
  }

  /** Every token's view changed (an import, a renamed or removed workspace, new warning settings). */
  touchAll(): void {
    this.touched = 'all';
  }

  /** What was written since the last call, and starts over. */
  takeTouched(): string[] | 'all' {
    const touched = this.touched;
    this.touched = new Set();
    return touched === 'all' ? 'all' : [...touched];
  }

  dataVersion(): number {
    return this.read(() => this.db.pragma('data_version', { simple: true }) as number);
  }
}
