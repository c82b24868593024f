import type { Statement } from 'better-sqlite3';
import { AppFailure } from '../../errors';
import { canonRow, deriveKeys, type DerivedKeys } from '../crypto/canonical';
import { wipe } from '../crypto/vault-crypto';
import { openManifest, sealManifest, type Manifest } from './manifest';
import { translateDbError, type Db } from './vault-db';
import type { RotationPolicy, TokenSummary, Workspace } from './vault-types';

/** Past this many written tokens, "reload them all" is cheaper to send than each one. */
const MAX_TOUCHED = 500;

export const locked = () => new AppFailure('vault-locked', 'The vault is locked. Unlock it first.');
export const notFound = (what: string) => new AppFailure('not-found', `${what} was not found in the vault.`);
const rekeyed = () =>
  new AppFailure('vault-locked', 'The master password of this vault was changed in another Token Vault process, which gave it a new key. Unlock it again.');

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

/** The canonical text of the settings rows (vouched for by the manifest). */
export const settingsCanon = (db: Db): string => canonRow((db.prepare('SELECT key, value FROM settings ORDER BY key').raw().all() as string[][]).flat());

/**
 * What every part of an open vault shares: the database handle, the keys while unlocked, the decrypted caches, the
 * manifest and the transaction helpers. The record modules (workspaces/, tokens/, keys/, audit/...) take it as their
 * first argument; only `Vault` creates one.
 */
export class VaultCore {
  private keys: ({ data: Buffer } & DerivedKeys) | null = null;
  /** Decrypted summaries and each token's verified canonical row, valid while `version` equals PRAGMA data_version. */
  tokenCache: { tokens: Map<string, TokenSummary>; canon: Map<string, string>; version: number } | null = null;
  wsCache: { workspaces: Map<string, Workspace>; version: number } | null = null;
  /**
   * Without the whole cache (the command line): the canonical rows of the tokens read one by one, each verified
   * through its shard, valid while `version` equals PRAGMA data_version. A later read of such a row (its secret)
   * then compares a string instead of opening its shard again.
   */
  checkedCanon: { canon: Map<string, string>; version: number } | null = null;
  readonly vaultId: string;
  /** Tokens written since the last `takeTouched()`; 'all' after a bulk write or a change every token's view shows. */
  private touched: Set<string> | 'all' = new Set();
  /** Statements run once per row of a bulk write, prepared once (a statement per row costs native memory until GC). */
  private readonly statements = new Map<string, Statement<unknown[]>>();
  /** The manifest as last read or written by this connection, valid while `version` equals PRAGMA data_version. */
  private manifestCache: { manifest: Manifest; version: number } | null = null;
  /** Inside a write: the manifest being changed (loaded on first use) and whether it must be stored at the end. */
  private tx: { manifest: Manifest | null; dirty: boolean } | null = null;

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

  get isUnlocked(): boolean {
    return this.keys !== null;
  }

  /** The data key, or vault-locked. */
  key(): Buffer {
    if (!this.keys) throw locked();
    return this.keys.data;
  }

  /** The keys derived from the data key (row MACs, audit chain, lookups), or vault-locked. */
  derived(): DerivedKeys {
    if (!this.keys) throw locked();
    return this.keys;
  }

  /** The data key itself (tests check that locking wipes it). */
  get dataKey(): Buffer | null {
    return this.keys?.data ?? null;
  }

  /** Replaces the key (unlock, lock, re-key); summaries decrypted with another key are dropped. */
  setKey(key: Buffer | null): void {
    if (this.keys) for (const k of [this.keys.data, this.keys.rows, this.keys.audit, this.keys.lookup]) wipe(k);
    this.keys = key ? { data: key, ...deriveKeys(key) } : null;
    this.manifestCache = null;
    this.forgetCaches();
  }

  forgetCaches(): void {
    this.tokenCache = null;
    this.wsCache = null;
    this.checkedCanon = null;
  }

  /** The prepared statement for `sql`, made once per connection. */
  prepared(sql: string): Statement<unknown[]> {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare<unknown[]>(sql)));
    return stmt;
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

  /**
   * BEGIN IMMEDIATE: takes the write lock up front, so a read-then-write never loses another process's update. While
   * unlocked, a write first checks that no other process re-keyed the vault meanwhile, and stores the manifest (if a
   * row changed) in the same transaction.
   */
  write<T>(fn: () => T): T {
    // Nested in another write: that one holds the lock and stores the manifest.
    if (this.tx) return fn();
    return this.guard(() =>
      this.db
        .transaction(() => {
          if (this.keys) this.checkKeyId();
          const tx = (this.tx = { manifest: null as Manifest | null, dirty: false });
          try {
            const result = fn();
            if (tx.dirty && tx.manifest) {
              this.prepared('INSERT INTO manifest (id, blob) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET blob = excluded.blob').run(
                sealManifest(this.key(), this.vaultId, tx.manifest),
              );
            }
            return result;
          } finally {
            this.tx = null;
            // Committed or not, what this connection knows of the manifest is refreshed on the next read.
            this.manifestCache = null;
          }
        })
        .immediate(),
    );
  }

  /**
   * The manifest: inside a write, the copy this transaction changes; outside, the one on disk (re-read and re-checked
   * whenever another connection committed). Opening it checks the key, and that the settings are the ones it vouches for.
   */
  manifest(): Manifest {
    const key = this.key();
    if (this.tx) return (this.tx.manifest ??= this.loadManifest(key));
    const version = this.dataVersion();
    if (this.manifestCache?.version === version) return this.manifestCache.manifest;
    const manifest = this.read(() => this.db.transaction(() => this.loadManifest(key))());
    this.manifestCache = { manifest, version };
    return manifest;
  }

  private loadManifest(key: Buffer): Manifest {
    this.checkKeyId();
    const blob = this.prepared('SELECT blob FROM manifest WHERE id = 1').pluck().get() as Buffer | undefined;
    const manifest = openManifest(key, this.vaultId, blob);
    if (manifest.settings !== settingsCanon(this.db))
      throw new AppFailure('vault-tampered', 'The settings in the vault were changed outside Token Vault. Restore it from a backup, or set them again.');
    return manifest;
  }

  /** Another process re-keyed the vault (a new master password): this handle's key is stale, so it locks. */
  private checkKeyId(): void {
    const stored = this.prepared("SELECT value FROM meta WHERE key = 'key_id'").pluck().get() as string | undefined;
    if (stored !== this.keys?.id) {
      this.setKey(null);
      throw rekeyed();
    }
  }

  /** Inside a write: the next rev of a row (or token block), recorded in the manifest this transaction stores. */
  nextRev(table: string, id: string | number): number {
    const tx = this.tx;
    if (!tx) throw new Error('nextRev outside a write');
    const revs = ((tx.manifest ??= this.loadManifest(this.key())).revs[table] ??= {});
    const rev = (revs[id] ?? 0) + 1;
    revs[id] = rev;
    tx.dirty = true;
    return rev;
  }

  /** Inside a write: a row (or token block) is gone. */
  dropRev(table: string, id: string | number): void {
    const tx = this.tx;
    if (!tx) throw new Error('dropRev outside a write');
    delete (tx.manifest ??= this.loadManifest(this.key())).revs[table]?.[id];
    tx.dirty = true;
  }

  /** Inside a write: the manifest changed in another way (the audit head, the settings). */
  changedManifest(): Manifest {
    const tx = this.tx;
    if (!tx) throw new Error('changedManifest outside a write');
    tx.dirty = true;
    return (tx.manifest ??= this.loadManifest(this.key()));
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

  // Asked before every cached read (an export checks each of its rows against the cache): db.pragma() would prepare the
  // statement anew each time, which cost an export of 10,000 tokens about a quarter of a second.
  dataVersion(): number {
    return this.read(() => this.prepared('PRAGMA data_version').pluck().get() as number);
  }
}
