import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppFailure } from '../errors';
import { createKeytarKeychain, type Keychain } from './keychain';
import { openShard, openShardText, sealShard, SHARD_SIZE, type SealedFields, type ShardContent } from './summary-shards';
import { aad, calibrateScrypt, openText, sealText, wipe } from './vault-crypto';
import { openVaultDb, translateDbError, type Db } from './vault-db';
import {
  attemptDelayMs,
  passwordKdf,
  readSlots,
  recordAttempt,
  unwrapWithKeychain,
  unwrapWithPassword,
  waitForAttemptSlot,
  wrapWithKeychain,
  wrapWithPassword,
  writeSlot,
} from './vault-keys';
import {
  DEFAULT_SETTINGS,
  type AuditAction,
  type AuditEntry,
  type ImportOutcome,
  type ImportRecord,
  type JournalEntry,
  type NewAuditEntry,
  type NewToken,
  type NewWorkspace,
  type NotificationMarker,
  type ReminderFacts,
  type RotationPolicy,
  type ScryptParams,
  type SyncError,
  type TokenBatch,
  type TokenBatchOutcome,
  type TokenFilter,
  type TokenPatch,
  type TokenStatus,
  type TokenSummary,
  type VaultSettings,
  type Workspace,
  type WorkspacePatch,
} from './vault-types';

export interface CreateVaultOptions {
  /** Master password (>= 8 characters); optional when `useKeychain`. */
  password?: string;
  useKeychain: boolean;
  keychain?: Keychain;
  /** scrypt parameters; default: calibrated to ~350 ms on this machine. */
  kdf?: ScryptParams;
}

export interface OpenVaultOptions {
  keychain?: Keychain;
}

const TOKEN_COLUMNS =
  'id, workspace_id, shard_id, remote_id, status, created_at, expires_at, last_used_at, usage_count, rotate_every_days, ' +
  'rotation_basis, last_rotated_at, warning_days, snoozed_until, replaced_by_id, replaces_id, updated_at, secret IS NOT NULL';
type TokenRow = [
  string, string, number, string | null, TokenStatus, string, string | null, string | null, number | null,
  number | null, string | null, string | null, string | null, string | null, string | null, string | null, string, number,
];

interface WorkspaceFields {
  name: string;
  baseUrl: string | null;
  username: string | null;
  tokenPageUrl: string | null;
  syncErrorMessage: string | null;
}

// Checked by hand rather than with zod: zod's load time (~50 ms, 15 MB) would dominate every command-line run.
const intIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const SettingsSchema = {
  safeParse(v: Record<string, unknown>): { success: true; data: VaultSettings } | { success: false; why: string } {
    if (!intIn(v['autoLockMinutes'], 0, 24 * 60)) return { success: false, why: 'autoLockMinutes: 0 to 1440 minutes' };
    if (!intIn(v['clipboardClearSeconds'], 0, 3600)) return { success: false, why: 'clipboardClearSeconds: 0 to 3600 seconds' };
    const w = v['warningDays'];
    if (!Array.isArray(w) || w.length > 10 || !w.every((d) => intIn(d, 0, 3650)))
      return { success: false, why: 'warningDays: up to 10 whole numbers of days' };
    if (typeof v['lockOnScreenLock'] !== 'boolean') return { success: false, why: 'lockOnScreenLock: true or false' };
    const p = v['rotationPolicy'] ?? null;
    const policy = p as Partial<RotationPolicy> | null;
    if (
      policy !== null &&
      (typeof policy !== 'object' ||
        Object.keys(policy).some((k) => k !== 'rotateEveryDays' && k !== 'basis') ||
        !intIn(policy.rotateEveryDays, 1, 3650) ||
        (policy.basis !== 'issue' && policy.basis !== 'last-rotation'))
    )
      return { success: false, why: "rotationPolicy: null, or every 1 to 3650 days counted from 'issue' or 'last-rotation'" };
    return {
      success: true,
      data: {
        autoLockMinutes: v['autoLockMinutes'] as number,
        clipboardClearSeconds: v['clipboardClearSeconds'] as number,
        warningDays: [...(w as number[])].sort((a, b) => b - a),
        lockOnScreenLock: v['lockOnScreenLock'],
        rotationPolicy: policy === null ? null : { rotateEveryDays: policy.rotateEveryDays as number, basis: policy.basis as RotationPolicy['basis'] },
      },
    };
  },
  parse(v: Record<string, unknown>): VaultSettings {
    const r = SettingsSchema.safeParse(v);
    if (!r.success) throw new AppFailure('invalid-argument', `Invalid setting: ${r.why}.`);
    return r.data;
  },
};

const policyOf = (days: number | null, basis: string | null): RotationPolicy | null =>
  days === null ? null : { rotateEveryDays: days, basis: basis === 'issue' ? 'issue' : 'last-rotation' };

const locked = () => new AppFailure('vault-locked', 'The vault is locked. Unlock it first.');
const notFound = (what: string) => new AppFailure('not-found', `${what} was not found in the vault.`);

/**
 * One open vault file. Opening does not unlock: clear facts (reminder dates, settings, notification markers) are
 * readable while locked; everything else needs `unlockWithPassword` / `unlockWithKeychain`.
 *
 * Token summaries are kept in memory once unlocked and reloaded when another process (the CLI, the app) commits
 * (PRAGMA data_version). Every write runs in BEGIN IMMEDIATE and re-reads what it changes, so two processes never
 * lose each other's updates.
 */
export class Vault {
  private dataKey: Buffer | null = null;
  /** Decrypted summaries, valid while `version` equals PRAGMA data_version (no other connection committed). */
  private cache: { tokens: Map<string, TokenSummary>; version: number } | null = null;
  private wsCache: { workspaces: Map<string, Workspace>; version: number } | null = null;
  private readonly vaultId: string;
  private readonly keychain: Keychain;

  private constructor(
    readonly path: string,
    private readonly db: Db,
    keychain: Keychain | undefined,
  ) {
    this.keychain = keychain ?? createKeytarKeychain();
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

  static exists(path: string): boolean {
    return existsSync(path);
  }

  /** Opens an existing vault, locked. */
  static open(path: string, options: OpenVaultOptions = {}): Vault {
    return new Vault(path, openVaultDb(path), options.keychain);
  }

  /**
   * Creates a new vault file and returns it unlocked. The file is built under a temporary name and linked into
   * place, so a failure leaves no half-made vault and an existing file is never replaced.
   */
  static async create(path: string, options: CreateVaultOptions): Promise<Vault> {
    if (existsSync(path)) throw new AppFailure('vault-exists', `A vault already exists at ${path}.`);
    if (!options.useKeychain && !options.password)
      throw new AppFailure('invalid-argument', 'Without the OS keychain, a master password is required.');
    if (options.password !== undefined && options.password.length < 8)
      throw new AppFailure('invalid-argument', 'The master password needs at least 8 characters.');
    const keychain = options.keychain ?? createKeytarKeychain();
    if (options.useKeychain && !(await keychain.isAvailable()))
      throw new AppFailure(
        'keychain-unavailable',
        'The OS keychain is not reachable here. Create the vault with a master password instead.',
      );
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.creating-${randomBytes(6).toString('hex')}`;
    const dataKey = randomBytes(32);
    const vaultId = randomUUID();
    try {
      const slots: { kind: 'password' | 'keychain'; params: object; wrapped: Buffer }[] = [];
      if (options.password) {
        const kdf = options.kdf ?? (await calibrateScrypt());
        slots.push({ kind: 'password', ...(await wrapWithPassword(vaultId, dataKey, options.password, kdf)) });
      }
      if (options.useKeychain) slots.push({ kind: 'keychain', ...(await wrapWithKeychain(vaultId, dataKey, keychain)) });
      const db = openVaultDb(temp, { create: true });
      try {
        db.transaction(() => {
          db.prepare("INSERT INTO meta (key, value) VALUES ('vault_id', ?)").run(vaultId);
          db.prepare("INSERT INTO meta (key, value) VALUES ('created_at', ?)").run(new Date().toISOString());
          for (const s of slots) writeSlot(db, s.kind, s.params, s.wrapped);
        }).immediate();
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.pragma('journal_mode = DELETE');
      } finally {
        db.close();
      }
      chmodSync(temp, 0o600);
      linkSync(temp, path); // fails if someone created `path` meanwhile: never overwrite
    } catch (error) {
      wipe(dataKey);
      throw error instanceof AppFailure ? error : translateDbError(error);
    } finally {
      rmSync(temp, { force: true });
      rmSync(`${temp}-wal`, { force: true });
      rmSync(`${temp}-shm`, { force: true });
    }
    const vault = Vault.open(path, { keychain });
    vault.dataKey = dataKey;
    return vault;
  }

  // ---------------------------------------------------------------- keys and lifecycle

  get isUnlocked(): boolean {
    return this.dataKey !== null;
  }

  unlockMethods(): { password: boolean; keychain: boolean } {
    const slots = this.read(() => readSlots(this.db));
    return { password: slots.has('password'), keychain: slots.has('keychain') };
  }

  /** The keychain this vault was opened with (for "is one available?" questions). */
  get keychainPort(): Keychain {
    return this.keychain;
  }

  async unlockWithPassword(password: string): Promise<void> {
    const slot = this.read(() => readSlots(this.db)).get('password');
    if (!slot)
      throw new AppFailure('wrong-password', 'This vault has no master password: unlock it through the OS keychain.');
    await waitForAttemptSlot(this.db).catch((error: unknown) => {
      throw translateDbError(error);
    });
    const key = await unwrapWithPassword(this.vaultId, slot, password);
    if (!key) {
      const failures = this.guard(() => recordAttempt(this.db, false));
      const wait = Math.ceil(attemptDelayMs(failures) / 1000);
      throw new AppFailure(
        'wrong-password',
        wait > 0 ? `Wrong master password. The next attempt waits ${wait} s.` : 'Wrong master password.',
      );
    }
    this.guard(() => recordAttempt(this.db, true));
    this.setKey(key);
  }

  async unlockWithKeychain(): Promise<void> {
    const slot = this.read(() => readSlots(this.db)).get('keychain');
    if (!slot)
      throw new AppFailure('keychain-unavailable', 'Keychain unlock is not set up for this vault. Use the master password.');
    this.setKey(await unwrapWithKeychain(this.vaultId, slot, this.keychain));
  }

  private setKey(key: Buffer): void {
    wipe(this.dataKey);
    this.dataKey = key;
    this.cache = null;
    this.wsCache = null;
  }

  /** Wipes the data key and forgets every decrypted summary. */
  lock(): void {
    wipe(this.dataKey);
    this.dataKey = null;
    this.cache = null;
    this.wsCache = null;
  }

  close(): void {
    this.lock();
    if (this.db.open) this.db.close();
  }

  async changePassword(newPassword: string, kdf?: ScryptParams): Promise<void> {
    const key = this.key();
    if (newPassword.length < 8) throw new AppFailure('invalid-argument', 'The master password needs at least 8 characters.');
    const current = this.read(() => readSlots(this.db)).get('password');
    const params = kdf ?? (current ? passwordKdf(current.params) : await calibrateScrypt());
    const { params: slotParams, wrapped } = await wrapWithPassword(this.vaultId, key, newPassword, params);
    this.write(() => writeSlot(this.db, 'password', slotParams, wrapped));
    this.guard(() => recordAttempt(this.db, true));
  }

  async enableKeychainUnlock(): Promise<void> {
    const key = this.key();
    if (!(await this.keychain.isAvailable()))
      throw new AppFailure('keychain-unavailable', 'The OS keychain is not reachable here; the master password still works.');
    const { params, wrapped } = await wrapWithKeychain(this.vaultId, key, this.keychain);
    this.write(() => writeSlot(this.db, 'keychain', params, wrapped));
  }

  async disableKeychainUnlock(): Promise<void> {
    this.key();
    if (!this.unlockMethods().password)
      throw new AppFailure('invalid-argument', 'Set a master password first: otherwise nothing could unlock this vault.');
    this.write(() => this.db.prepare("DELETE FROM key_slots WHERE kind = 'keychain'").run());
    await this.keychain.delete(`vault-${this.vaultId}`).catch(() => false);
  }

  /** Keychain-only unlock: refused unless the keychain slot exists (else nothing could unlock the vault). */
  removePasswordUnlock(): void {
    this.key();
    if (!this.unlockMethods().keychain)
      throw new AppFailure('invalid-argument', 'Turn on keychain unlock first: otherwise nothing could unlock this vault.');
    this.write(() => this.db.prepare("DELETE FROM key_slots WHERE kind = 'password'").run());
  }

  // ---------------------------------------------------------------- workspaces

  createWorkspace(input: NewWorkspace): Workspace {
    const key = this.key();
    const id = randomUUID();
    const now = new Date().toISOString();
    const fields: WorkspaceFields = {
      name: input.name,
      baseUrl: input.baseUrl ?? null,
      username: input.username ?? null,
      tokenPageUrl: input.tokenPageUrl ?? null,
      syncErrorMessage: null,
    };
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO workspaces (id, kind, fields, admin_credential, rotate_every_days, rotation_basis, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.kind,
          sealText(key, JSON.stringify(fields), aad('workspaces', id, 'fields')),
          input.adminCredential ? sealText(key, input.adminCredential, aad('workspaces', id, 'admin_credential')) : null,
          input.rotationPolicy?.rotateEveryDays ?? null,
          input.rotationPolicy?.basis ?? null,
          now,
          now,
        );
    });
    const ws = this.loadWorkspace(id);
    this.wsCache?.workspaces.set(id, ws);
    return ws;
  }

  listWorkspaces(): Workspace[] {
    return [...this.freshWorkspaces().values()];
  }

  findWorkspace(id: string): Workspace | undefined {
    return this.freshWorkspaces().get(id);
  }

  getWorkspace(id: string): Workspace {
    const ws = this.findWorkspace(id);
    if (!ws) throw notFound('The workspace');
    return ws;
  }

  findWorkspaceByName(name: string): Workspace | undefined {
    const lower = name.toLowerCase();
    let loose: Workspace | undefined;
    for (const ws of this.freshWorkspaces().values()) {
      if (ws.name === name) return ws;
      if (ws.name.toLowerCase() === lower) loose ??= ws;
    }
    return loose;
  }

  updateWorkspace(id: string, patch: WorkspacePatch): Workspace {
    const key = this.key();
    this.write(() => {
      const row = this.db.prepare('SELECT fields FROM workspaces WHERE id = ?').get(id) as { fields: Buffer } | undefined;
      if (!row) throw notFound('The workspace');
      const fields = JSON.parse(openText(key, row.fields, aad('workspaces', id, 'fields'), 'A workspace')) as WorkspaceFields;
      if (patch.name !== undefined) fields.name = patch.name;
      if (patch.baseUrl !== undefined) fields.baseUrl = patch.baseUrl;
      if (patch.username !== undefined) fields.username = patch.username;
      if (patch.tokenPageUrl !== undefined) fields.tokenPageUrl = patch.tokenPageUrl;
      if (patch.lastSyncError !== undefined) fields.syncErrorMessage = patch.lastSyncError?.message ?? null;
      const sets: string[] = ['fields = ?', 'updated_at = ?'];
      const args: unknown[] = [sealText(key, JSON.stringify(fields), aad('workspaces', id, 'fields')), new Date().toISOString()];
      if (patch.rotationPolicy !== undefined) {
        sets.push('rotate_every_days = ?', 'rotation_basis = ?');
        args.push(patch.rotationPolicy?.rotateEveryDays ?? null, patch.rotationPolicy?.basis ?? null);
      }
      if (patch.lastSyncAt !== undefined) {
        sets.push('last_sync_at = ?');
        args.push(patch.lastSyncAt);
      }
      if (patch.lastSyncError !== undefined) {
        sets.push('last_sync_error_code = ?');
        args.push(patch.lastSyncError?.code ?? null);
      }
      if (patch.adminCredential !== undefined) {
        sets.push('admin_credential = ?');
        args.push(patch.adminCredential ? sealText(key, patch.adminCredential, aad('workspaces', id, 'admin_credential')) : null);
      }
      this.db.prepare(`UPDATE workspaces SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    });
    const ws = this.loadWorkspace(id);
    this.wsCache?.workspaces.set(id, ws);
    return ws;
  }

  /** Refuses while tokens remain, unless `withTokens` (then they go too, audited). */
  removeWorkspace(id: string, options: { withTokens?: boolean; actor?: string } = {}): void {
    this.key();
    const tokenIds = this.read(
      () => (this.db.prepare('SELECT id FROM tokens WHERE workspace_id = ?').pluck().all(id) as string[]) ?? [],
    );
    if (tokenIds.length > 0 && !options.withTokens)
      throw new AppFailure('invalid-argument', `The workspace still holds ${tokenIds.length} token(s). Remove them first.`);
    for (const t of tokenIds) this.removeToken(t, options.actor === undefined ? {} : { actor: options.actor });
    this.write(() => {
      const r = this.db.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
      if (r.changes === 0) throw notFound('The workspace');
    });
    this.wsCache?.workspaces.delete(id);
  }

  getAdminCredential(workspaceId: string): string | null {
    return this.readWorkspaceSecret(workspaceId, 'admin_credential');
  }

  setAdminCredential(workspaceId: string, credential: string | null): void {
    this.updateWorkspace(workspaceId, { adminCredential: credential });
  }

  /** A provider's login session (e.g. Strapi's admin JWT + refresh cookie as JSON), reused across processes. */
  getProviderSession(workspaceId: string): string | null {
    return this.readWorkspaceSecret(workspaceId, 'provider_session');
  }

  setProviderSession(workspaceId: string, session: string | null): void {
    const key = this.key();
    this.write(() => {
      const blob = session ? sealText(key, session, aad('workspaces', workspaceId, 'provider_session')) : null;
      const r = this.db.prepare('UPDATE workspaces SET provider_session = ? WHERE id = ?').run(blob, workspaceId);
      if (r.changes === 0) throw notFound('The workspace');
    });
    const ws = this.wsCache?.workspaces.get(workspaceId);
    if (ws) ws.hasProviderSession = session !== null;
  }

  private readWorkspaceSecret(id: string, column: 'admin_credential' | 'provider_session'): string | null {
    const key = this.key();
    const row = this.read(() => this.db.prepare(`SELECT ${column} AS v FROM workspaces WHERE id = ?`).get(id)) as
      | { v: Buffer | null }
      | undefined;
    if (!row) throw notFound('The workspace');
    return row.v ? openText(key, row.v, aad('workspaces', id, column), 'A workspace credential') : null;
  }

  private loadWorkspace(id: string): Workspace {
    const key = this.key();
    const row = this.read(() => this.db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id)) as WorkspaceRow | undefined;
    if (!row) throw notFound('The workspace');
    return workspaceOf(key, row);
  }

  // ---------------------------------------------------------------- tokens

  insertToken(input: NewToken, actor = 'app'): TokenSummary {
    const key = this.key();
    const id = input.id ?? randomUUID();
    const now = new Date().toISOString();
    const summary = this.write(() => {
      if (!this.db.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(input.workspaceId)) throw notFound('The workspace');
      if (this.db.prepare('SELECT 1 FROM tokens WHERE id = ?').get(id))
        throw new AppFailure('already-exists', 'A token with this id is already in the vault.');
      const shardId = this.pickShard(1)[0] ?? 1;
      const s = tokenFromInput(id, input, now);
      this.insertTokenRow(key, s, shardId, input.secret ?? null);
      this.rewriteShards(key, new Map([[shardId, new Map([[id, fieldsOf(s)]])]]));
      this.appendAuditRow(key, { action: 'created', tokenId: id, workspaceId: s.workspaceId, actor });
      return s;
    });
    this.cache?.tokens.set(id, summary);
    return summary;
  }

  /**
   * Stores a token whose secret a service has just issued. Every commit is synchronous=FULL, so on return it is on
   * disk; if storing fails, the secret comes back in the error (AppFailure.unsavedSecret) so it is never lost.
   */
  storeIssuedToken(input: NewToken, actor = 'app'): TokenSummary {
    try {
      return this.insertToken(input, actor);
    } catch (error) {
      throw unsaved(error, input.secret);
    }
  }

  /** Sets or clears a token's secret (e.g. after regenerate). Same durability and hand-back as storeIssuedToken. */
  setTokenSecret(id: string, secret: string | null, actor = 'app'): void {
    try {
      const key = this.key();
      this.write(() => {
        const blob = secret === null ? null : sealText(key, secret, aad('tokens', id, 'secret'));
        const r = this.db
          .prepare('UPDATE tokens SET secret = ?, updated_at = ? WHERE id = ?')
          .run(blob, new Date().toISOString(), id);
        if (r.changes === 0) throw notFound('The token');
        this.appendAuditRow(key, { action: 'secret-stored', tokenId: id, actor });
      });
      const cached = this.cache?.tokens.get(id);
      if (cached) cached.hasSecret = secret !== null;
    } catch (error) {
      throw unsaved(error, secret);
    }
  }

  updateToken(id: string, patch: TokenPatch, actor?: string): TokenSummary {
    const key = this.key();
    const summary = this.write(() => {
      const row = this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`).raw().get(id) as TokenRow | undefined;
      if (!row) throw notFound('The token');
      const shard = this.readShard(key, row[2]);
      const fields = shard[id];
      if (!fields) throw tamperedShard();
      const current = summaryOf(row, fields);
      const next: TokenSummary = { ...current, ...definedOnly(patch), updatedAt: new Date().toISOString() };
      this.db
        .prepare(
          `UPDATE tokens SET remote_id = ?, status = ?, created_at = ?, expires_at = ?, last_used_at = ?, usage_count = ?,
           rotate_every_days = ?, rotation_basis = ?, last_rotated_at = ?, warning_days = ?, snoozed_until = ?,
           replaced_by_id = ?, replaces_id = ?, updated_at = ? WHERE id = ?`,
        )
        .run(...clearValues(next).slice(1), next.updatedAt, id);
      const nextFields = fieldsOf(next);
      if (JSON.stringify(nextFields) !== JSON.stringify(fields))
        this.rewriteShards(key, new Map([[row[2], new Map([[id, nextFields]])]]));
      if (actor) this.appendAuditRow(key, { action: 'updated', tokenId: id, workspaceId: next.workspaceId, actor });
      return next;
    });
    this.cache?.tokens.set(id, summary);
    return summary;
  }

  /**
   * Inserts and patches many tokens of one workspace in ONE transaction: all or nothing, one commit, and each touched
   * summary shard re-sealed once (a sync of 200 new tokens costs one shard rewrite instead of 200). Pass a function to
   * decide the batch under the write lock from the workspace's tokens as they are now: another process may have
   * written since the caller last read, so a merge by remote id decided there never duplicates or overwrites it.
   * An insert whose remote id the workspace already holds is refused (already-exists), as is a duplicate id.
   */
  applyTokenBatch(workspaceId: string, plan: TokenBatch | ((current: TokenSummary[]) => TokenBatch), actor = 'app'): TokenBatchOutcome {
    const key = this.key();
    const now = new Date().toISOString();
    const outcome = this.write(() => {
      if (!this.db.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(workspaceId)) throw notFound('The workspace');
      let batch: TokenBatch;
      if (typeof plan === 'function') {
        // Under the write lock the cache check is exact: nobody else can commit until this transaction ends.
        const cached = this.cachedTokens();
        const current = cached
          ? [...cached.values()].filter((t) => t.workspaceId === workspaceId)
          : this.loadSummaries(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`, [workspaceId]);
        batch = plan(current);
      } else batch = plan;
      const changes = new Map<number, Map<string, SealedFields | null>>();
      const touch = (shardId: number, id: string, fields: SealedFields) => {
        let m = changes.get(shardId);
        if (!m) changes.set(shardId, (m = new Map()));
        m.set(id, fields);
      };
      const audit = this.db.prepare(
        'INSERT INTO audit (uid, at, action, token_id, workspace_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?, NULL)',
      );
      const updated: TokenSummary[] = [];
      const shards = new Map<number, ShardContent>();
      const selectRow = this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`).raw();
      const updateRow = this.db.prepare(
        `UPDATE tokens SET remote_id = ?, status = ?, created_at = ?, expires_at = ?, last_used_at = ?, usage_count = ?,
         rotate_every_days = ?, rotation_basis = ?, last_rotated_at = ?, warning_days = ?, snoozed_until = ?,
         replaced_by_id = ?, replaces_id = ?, updated_at = ? WHERE id = ?`,
      );
      for (const { id, patch } of batch.update ?? []) {
        const row = selectRow.get(id) as TokenRow | undefined;
        if (!row || row[1] !== workspaceId) throw notFound('The token');
        let shard = shards.get(row[2]);
        if (!shard) shards.set(row[2], (shard = this.readShard(key, row[2])));
        const fields = shard[id];
        if (!fields) throw tamperedShard();
        const next: TokenSummary = { ...summaryOf(row, fields), ...definedOnly(patch), updatedAt: now };
        updateRow.run(...clearValues(next).slice(1), now, id);
        const nextFields = fieldsOf(next);
        if (JSON.stringify(nextFields) !== JSON.stringify(fields)) {
          shard[id] = nextFields; // a second patch of the same token in this batch starts from this one
          touch(row[2], id, nextFields);
        }
        if (actor) audit.run(randomUUID(), now, 'updated', id, workspaceId, actor);
        updated.push(next);
      }
      const inserts = batch.insert ?? [];
      const exists = this.db.prepare('SELECT 1 FROM tokens WHERE id = ?').pluck();
      const remoteTaken = this.db.prepare('SELECT 1 FROM tokens WHERE workspace_id = ? AND remote_id = ?').pluck();
      const ids = new Set<string>();
      const remoteIds = new Set<string>();
      const inserted = inserts.map((t) => {
        if (t.workspaceId !== workspaceId)
          throw new AppFailure('invalid-argument', 'Every token of a batch must belong to the batch\'s workspace.');
        const id = t.id ?? randomUUID();
        if (ids.has(id) || exists.get(id)) throw new AppFailure('already-exists', 'A token with this id is already in the vault.');
        ids.add(id);
        if (t.remoteId) {
          if (remoteIds.has(t.remoteId) || remoteTaken.get(workspaceId, t.remoteId))
            throw new AppFailure('already-exists', 'The workspace already holds a token with this remote id. Sync again.');
          remoteIds.add(t.remoteId);
        }
        return tokenFromInput(id, t, now);
      });
      const shardIds = this.pickShard(inserted.length);
      inserted.forEach((s, i) => {
        const shardId = shardIds[i] ?? 1;
        this.insertTokenRow(key, s, shardId, inserts[i]?.secret ?? null);
        touch(shardId, s.id, fieldsOf(s));
        audit.run(randomUUID(), now, 'created', s.id, workspaceId, actor);
      });
      this.rewriteShards(key, changes);
      return { inserted, updated };
    });
    if (this.cache) for (const s of [...outcome.updated, ...outcome.inserted]) this.cache.tokens.set(s.id, s);
    return outcome;
  }

  findToken(id: string): TokenSummary | undefined {
    const cache = this.cachedTokens();
    if (cache) return cache.get(id);
    return this.loadSummaries(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`, [id])[0];
  }

  getToken(id: string): TokenSummary {
    const t = this.findToken(id);
    if (!t) throw notFound('The token');
    return t;
  }

  findTokenByRemoteId(workspaceId: string, remoteId: string): TokenSummary | undefined {
    const id = this.read(
      () =>
        this.db
          .prepare('SELECT id FROM tokens WHERE workspace_id = ? AND remote_id = ?')
          .pluck()
          .get(workspaceId, remoteId) as string | undefined,
    );
    return id === undefined ? undefined : this.findToken(id);
  }

  /** Tokens of a workspace whose name matches exactly (case-insensitive when no exact match). */
  findTokensByName(workspaceId: string, name: string): TokenSummary[] {
    const all =
      this.cachedTokens() !== null
        ? this.listTokens({ workspaceId })
        : this.loadSummaries(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE workspace_id = ?`, [workspaceId]);
    const exact = all.filter((t) => t.name === name);
    if (exact.length > 0) return exact;
    const lower = name.toLowerCase();
    return all.filter((t) => t.name.toLowerCase() === lower);
  }

  listTokens(filter: TokenFilter = {}): TokenSummary[] {
    const statuses = filter.status === undefined ? null : new Set(Array.isArray(filter.status) ? filter.status : [filter.status]);
    const out: TokenSummary[] = [];
    for (const t of this.freshTokens().values()) {
      if (filter.workspaceId !== undefined && t.workspaceId !== filter.workspaceId) continue;
      if (statuses && !statuses.has(t.status)) continue;
      if (filter.expiresBefore !== undefined && (t.expiresAt === null || t.expiresAt > filter.expiresBefore)) continue;
      out.push(t);
    }
    return out;
  }

  /** Case-insensitive substring over name, workspace name, description, prefix, type, scopes, URL and notes. */
  searchTokens(query: string): TokenSummary[] {
    const q = query.toLowerCase();
    const wsHit = new Set<string>();
    for (const ws of this.freshWorkspaces().values()) if (ws.name.toLowerCase().includes(q)) wsHit.add(ws.id);
    const cache = this.cachedTokens();
    if (cache) {
      const out: TokenSummary[] = [];
      for (const t of cache.values()) if (wsHit.has(t.workspaceId) || fieldsMatch(fieldsOf(t), q)) out.push(t);
      return out;
    }
    // Nothing in memory (the command line): stream shard by shard, keep only the hits, read their rows alone.
    const key = this.key();
    return this.read(() =>
      this.db.transaction(() => {
        const wsIds = new Set<string>();
        if (wsHit.size > 0) {
          const inWs = this.db.prepare('SELECT id FROM tokens WHERE workspace_id = ?').pluck();
          for (const w of wsHit) for (const id of inWs.all(w) as string[]) wsIds.add(id);
        }
        const hits = new Map<string, SealedFields>();
        // JSON escapes only quotes, backslashes and control characters: other queries can be tested on the raw text.
        // eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
        const rawTest = wsIds.size === 0 && !/["\\\u0000-\u001f]/.test(q);
        for (const [shardId, blob] of this.db.prepare('SELECT id, blob FROM token_shards').raw().iterate() as Iterable<
          [number, Buffer]
        >) {
          const text = openShardText(key, shardId, blob);
          if (rawTest && !text.toLowerCase().includes(q)) continue;
          for (const [id, f] of Object.entries(JSON.parse(text) as ShardContent))
            if (wsIds.has(id) || fieldsMatch(f, q)) hits.set(id, f);
        }
        if (hits.size === 0) return [];
        const rows = this.db
          .prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id IN (SELECT value FROM json_each(?))`)
          .raw()
          .all(JSON.stringify([...hits.keys()])) as TokenRow[];
        return rows.map((row) => summaryOf(row, hits.get(row[0]) as SealedFields));
      })(),
    );
  }

  /** The plaintext secret (null when none is stored). Pass `audit` to record the reveal/copy in the same step. */
  readSecret(id: string, audit?: { action: AuditAction; actor?: string; detail?: string }): string | null {
    const key = this.key();
    const row = this.read(
      () => this.db.prepare('SELECT workspace_id, secret FROM tokens WHERE id = ?').get(id) as
        | { workspace_id: string; secret: Buffer | null }
        | undefined,
    );
    if (!row) throw notFound('The token');
    const secret = row.secret ? openText(key, row.secret, aad('tokens', id, 'secret'), 'A token secret') : null;
    if (audit) this.appendAudit({ ...audit, tokenId: id, workspaceId: row.workspace_id });
    return secret;
  }

  removeToken(id: string, options: { actor?: string } = {}): void {
    const key = this.key();
    this.write(() => {
      const row = this.db.prepare('SELECT workspace_id, shard_id FROM tokens WHERE id = ?').get(id) as
        | { workspace_id: string; shard_id: number }
        | undefined;
      if (!row) throw notFound('The token');
      this.db.prepare('DELETE FROM tokens WHERE id = ?').run(id);
      this.db.prepare('DELETE FROM notifications_sent WHERE token_id = ?').run(id);
      this.rewriteShards(key, new Map([[row.shard_id, new Map([[id, null]])]]));
      this.appendAuditRow(key, { action: 'removed', tokenId: id, workspaceId: row.workspace_id, actor: options.actor ?? 'app' });
    });
    this.cache?.tokens.delete(id);
  }

  /**
   * Imports the dataset format of ../shared/bench/gen-dataset.mjs in one transaction. Missing workspaces are created
   * as manual ones; a record whose id, or whose workspace + name, is already stored is skipped.
   */
  importTokens(records: Iterable<ImportRecord>, actor = 'cli'): ImportOutcome {
    const key = this.key();
    const tokens = this.freshTokens();
    const workspaces = this.freshWorkspaces();
    const wsByName = new Map<string, string>();
    for (const ws of workspaces.values()) wsByName.set(ws.name, ws.id);
    const taken = new Set<string>();
    for (const t of tokens.values()) taken.add(`${t.workspaceId}\u0000${t.name}`);
    const now = new Date().toISOString();
    const outcome: ImportOutcome = { inserted: 0, skipped: 0, workspacesCreated: 0 };
    const list = [...records];
    this.write(() => {
      const exists = this.db.prepare('SELECT 1 FROM tokens WHERE id = ?').pluck();
      const insertWs = this.db.prepare(
        'INSERT INTO workspaces (id, kind, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      );
      const fresh: TokenSummary[] = [];
      const secrets: (string | null)[] = [];
      for (const rec of list) {
        let wsId = wsByName.get(rec.workspace);
        if (wsId === undefined) {
          wsId = randomUUID();
          const fields: WorkspaceFields = { name: rec.workspace, baseUrl: null, username: null, tokenPageUrl: null, syncErrorMessage: null };
          insertWs.run(wsId, 'manual', sealText(key, JSON.stringify(fields), aad('workspaces', wsId, 'fields')), now, now);
          wsByName.set(rec.workspace, wsId);
          outcome.workspacesCreated++;
        }
        const id = rec.id && /^[0-9a-f-]{8,64}$/i.test(rec.id) ? rec.id : randomUUID();
        const nameKey = `${wsId}\u0000${rec.name}`;
        if (taken.has(nameKey) || exists.get(id)) {
          outcome.skipped++;
          continue;
        }
        taken.add(nameKey);
        fresh.push(
          tokenFromInput(
            id,
            {
              workspaceId: wsId,
              name: rec.name,
              prefix: rec.prefix ?? null,
              url: rec.url ?? null,
              notes: rec.notes ?? null,
              expiresAt: rec.expiresAt ?? null,
              ...(rec.createdAt ? { createdAt: rec.createdAt } : {}),
            },
            now,
          ),
        );
        secrets.push(rec.secret ?? null);
      }
      const shardIds = this.pickShard(fresh.length);
      const changes = new Map<number, Map<string, SealedFields | null>>();
      const audit = this.db.prepare(
        'INSERT INTO audit (uid, at, action, token_id, workspace_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?, NULL)',
      );
      fresh.forEach((s, i) => {
        const shardId = shardIds[i] ?? 1;
        this.insertTokenRow(key, s, shardId, secrets[i] ?? null);
        let m = changes.get(shardId);
        if (!m) changes.set(shardId, (m = new Map()));
        m.set(s.id, fieldsOf(s));
        audit.run(randomUUID(), now, 'imported', s.id, s.workspaceId, actor);
      });
      this.rewriteShards(key, changes);
      outcome.inserted = fresh.length;
    });
    this.cache = null;
    this.wsCache = null;
    return outcome;
  }

  /** Clear facts for reminders and badges: works while the vault is locked. */
  listReminderFacts(): ReminderFacts[] {
    const rows = this.read(() =>
      this.db
        .prepare(
          `SELECT t.id, t.workspace_id, t.status, t.created_at, t.expires_at, t.last_rotated_at, t.rotate_every_days,
                  t.rotation_basis, w.rotate_every_days, w.rotation_basis, t.warning_days, t.snoozed_until, t.replaced_by_id
           FROM tokens t LEFT JOIN workspaces w ON w.id = t.workspace_id`,
        )
        .raw()
        .all(),
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

  countTokens(): number {
    return this.read(() => this.db.prepare('SELECT count(*) FROM tokens').pluck().get() as number);
  }

  // ---------------------------------------------------------------- audit

  appendAudit(entry: NewAuditEntry): void {
    const key = this.key();
    this.write(() => this.appendAuditRow(key, entry));
  }

  /** Newest first. */
  listAudit(filter: { tokenId?: string; workspaceId?: string; limit?: number } = {}): AuditEntry[] {
    const key = this.key();
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
    const rows = this.read(() => this.db.prepare(sql).all(...args, filter.limit ?? 1000)) as {
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

  private appendAuditRow(key: Buffer, e: NewAuditEntry): void {
    const uid = randomUUID();
    this.db
      .prepare('INSERT INTO audit (uid, at, action, token_id, workspace_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
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

  // ---------------------------------------------------------------- rotation journal (issue 6)

  putJournal(entry: { id?: string; tokenId: string; step: string; payload: unknown }): JournalEntry {
    const key = this.key();
    const id = entry.id ?? randomUUID();
    const now = new Date().toISOString();
    const payload = sealText(key, JSON.stringify(entry.payload ?? null), aad('rotation_journal', id, 'payload'));
    this.write(() =>
      this.db
        .prepare(
          `INSERT INTO rotation_journal (id, token_id, step, payload, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET token_id = excluded.token_id, step = excluded.step, payload = excluded.payload,
           updated_at = excluded.updated_at`,
        )
        .run(id, entry.tokenId, entry.step, payload, now, now),
    );
    return this.getJournal(id) as JournalEntry;
  }

  getJournal(id: string): JournalEntry | undefined {
    return this.listJournalWhere('id = ?', [id])[0];
  }

  listJournal(tokenId?: string): JournalEntry[] {
    return tokenId === undefined ? this.listJournalWhere('1', []) : this.listJournalWhere('token_id = ?', [tokenId]);
  }

  removeJournal(id: string): void {
    this.write(() => this.db.prepare('DELETE FROM rotation_journal WHERE id = ?').run(id));
  }

  private listJournalWhere(where: string, args: unknown[]): JournalEntry[] {
    const key = this.key();
    const rows = this.read(() =>
      this.db.prepare(`SELECT * FROM rotation_journal WHERE ${where} ORDER BY created_at, id`).all(...args),
    ) as { id: string; token_id: string; step: string; payload: Buffer; created_at: string; updated_at: string }[];
    return rows.map((r) => ({
      id: r.id,
      tokenId: r.token_id,
      step: r.step,
      payload: JSON.parse(openText(key, r.payload, aad('rotation_journal', r.id, 'payload'), 'A rotation step')) as unknown,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  // ---------------------------------------------------------------- notification markers (clear; work locked)

  markNotified(tokenId: string, threshold: string, at: Date = new Date()): void {
    this.write(() =>
      this.db
        .prepare(
          `INSERT INTO notifications_sent (token_id, threshold, sent_at) VALUES (?, ?, ?)
           ON CONFLICT (token_id, threshold) DO UPDATE SET sent_at = excluded.sent_at`,
        )
        .run(tokenId, threshold, at.toISOString()),
    );
  }

  hasNotified(tokenId: string, threshold: string): boolean {
    return this.read(
      () => !!this.db.prepare('SELECT 1 FROM notifications_sent WHERE token_id = ? AND threshold = ?').get(tokenId, threshold),
    );
  }

  listNotified(tokenId?: string): NotificationMarker[] {
    const rows = this.read(() =>
      tokenId === undefined
        ? this.db.prepare('SELECT token_id, threshold, sent_at FROM notifications_sent').all()
        : this.db.prepare('SELECT token_id, threshold, sent_at FROM notifications_sent WHERE token_id = ?').all(tokenId),
    ) as { token_id: string; threshold: string; sent_at: string }[];
    return rows.map((r) => ({ tokenId: r.token_id, threshold: r.threshold, sentAt: r.sent_at }));
  }

  clearNotified(tokenId: string, threshold?: string): void {
    this.write(() =>
      threshold === undefined
        ? this.db.prepare('DELETE FROM notifications_sent WHERE token_id = ?').run(tokenId)
        : this.db.prepare('DELETE FROM notifications_sent WHERE token_id = ? AND threshold = ?').run(tokenId, threshold),
    );
  }

  // ---------------------------------------------------------------- settings (clear; work locked)

  getSettings(): VaultSettings {
    const rows = this.read(() => this.db.prepare('SELECT key, value FROM settings').all()) as { key: string; value: string }[];
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const r of rows) {
      if (Object.hasOwn(DEFAULT_SETTINGS, r.key)) merged[r.key] = JSON.parse(r.value) as unknown;
    }
    const parsed = SettingsSchema.safeParse(merged);
    return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
  }

  updateSettings(patch: Partial<VaultSettings>): VaultSettings {
    const next = SettingsSchema.parse({ ...this.getSettings(), ...definedOnly(patch) });
    this.write(() => {
      const put = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      for (const [k, v] of Object.entries(next)) put.run(k, JSON.stringify(v));
    });
    return next;
  }

  // ---------------------------------------------------------------- internals

  private key(): Buffer {
    if (!this.dataKey) throw locked();
    return this.dataKey;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw translateDbError(error);
    }
  }

  private read<T>(fn: () => T): T {
    return this.guard(fn);
  }

  /** BEGIN IMMEDIATE: takes the write lock up front, so a read-then-write never loses another process's update. */
  private write<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).immediate());
  }

  private dataVersion(): number {
    return this.read(() => this.db.pragma('data_version', { simple: true }) as number);
  }

  /** The token cache if it is still current, else null (and it is dropped). */
  private cachedTokens(): Map<string, TokenSummary> | null {
    this.key();
    if (this.cache && this.cache.version !== this.dataVersion()) this.cache = null;
    return this.cache?.tokens ?? null;
  }

  /** Every token summary in memory, reloaded when another connection committed since they were read. */
  private freshTokens(): Map<string, TokenSummary> {
    const cached = this.cachedTokens();
    if (cached) return cached;
    const key = this.key();
    const version = this.dataVersion();
    const tokens = this.read(() =>
      this.db.transaction(() => {
        const shards = new Map<number, ShardContent>();
        for (const s of this.db.prepare('SELECT id, blob FROM token_shards').raw().all() as [number, Buffer][])
          shards.set(s[0], openShard(key, s[0], s[1]));
        const map = new Map<string, TokenSummary>();
        for (const row of this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens`).raw().all() as TokenRow[]) {
          const fields = shards.get(row[2])?.[row[0]];
          if (!fields) throw tamperedShard();
          map.set(row[0], summaryOf(row, fields));
        }
        return map;
      })(),
    );
    this.cache = { tokens, version };
    return tokens;
  }

  private freshWorkspaces(): Map<string, Workspace> {
    const key = this.key();
    const version = this.dataVersion();
    if (this.wsCache && this.wsCache.version === version) return this.wsCache.workspaces;
    const workspaces = new Map<string, Workspace>();
    for (const row of this.read(() => this.db.prepare('SELECT * FROM workspaces').all()) as WorkspaceRow[])
      workspaces.set(row.id, workspaceOf(key, row));
    this.wsCache = { workspaces, version };
    return workspaces;
  }

  /** Summaries of the rows a query selects, opening only the shards they live in (no cache). */
  private loadSummaries(sql: string, args: unknown[]): TokenSummary[] {
    const key = this.key();
    return this.read(() =>
      this.db.transaction(() => {
        const rows = this.db.prepare(sql).raw().all(...args) as TokenRow[];
        const shards = new Map<number, ShardContent>();
        return rows.map((row) => {
          let shard = shards.get(row[2]);
          if (!shard) shards.set(row[2], (shard = this.readShard(key, row[2])));
          const fields = shard[row[0]];
          if (!fields) throw tamperedShard();
          return summaryOf(row, fields);
        });
      })(),
    );
  }

  private readShard(key: Buffer, shardId: number): ShardContent {
    const row = this.db.prepare('SELECT blob FROM token_shards WHERE id = ?').get(shardId) as { blob: Buffer } | undefined;
    return row ? openShard(key, shardId, row.blob) : {};
  }

  /** Shard ids for `n` new tokens: fill partly used shards first, then open new ones. Inside a write. */
  private pickShard(n: number): number[] {
    const open = this.db.prepare('SELECT id, count FROM token_shards WHERE count < ? ORDER BY count DESC, id').all(SHARD_SIZE) as {
      id: number;
      count: number;
    }[];
    let nextId = ((this.db.prepare('SELECT max(id) FROM token_shards').pluck().get() as number | null) ?? 0) + 1;
    const out: number[] = [];
    for (const s of open) {
      for (let c = s.count; c < SHARD_SIZE && out.length < n; c++) out.push(s.id);
      if (out.length >= n) return out;
    }
    while (out.length < n) {
      for (let c = 0; c < SHARD_SIZE && out.length < n; c++) out.push(nextId);
      nextId++;
    }
    return out;
  }

  /** Applies per-shard changes (null = remove): re-read, re-seal and write each touched shard once. */
  private rewriteShards(key: Buffer, changes: Map<number, Map<string, SealedFields | null>>): void {
    const upsert = this.db.prepare(
      `INSERT INTO token_shards (id, gen, count, blob) VALUES (?, 1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET gen = gen + 1, count = excluded.count, blob = excluded.blob`,
    );
    for (const [shardId, entries] of changes) {
      const content = this.readShard(key, shardId);
      for (const [id, fields] of entries) {
        if (fields === null) delete content[id];
        else content[id] = fields;
      }
      const count = Object.keys(content).length;
      if (count === 0) this.db.prepare('DELETE FROM token_shards WHERE id = ?').run(shardId);
      else upsert.run(shardId, count, sealShard(key, shardId, content));
    }
  }

  private insertTokenRow(key: Buffer, s: TokenSummary, shardId: number, secret: string | null): void {
    const values = clearValues(s);
    this.db
      .prepare(
        `INSERT INTO tokens (id, remote_id, status, created_at, expires_at, last_used_at, usage_count, rotate_every_days,
         rotation_basis, last_rotated_at, warning_days, snoozed_until, replaced_by_id, replaces_id, updated_at,
         workspace_id, shard_id, secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        ...values,
        s.updatedAt,
        s.workspaceId,
        shardId,
        secret === null ? null : sealText(key, secret, aad('tokens', s.id, 'secret')),
      );
  }
}

interface WorkspaceRow {
  id: string;
  kind: Workspace['kind'];
  fields: Buffer;
  admin_credential: Buffer | null;
  provider_session: Buffer | null;
  rotate_every_days: number | null;
  rotation_basis: string | null;
  created_at: string;
  updated_at: string;
  last_sync_at: string | null;
  last_sync_error_code: string | null;
}

function workspaceOf(key: Buffer, row: WorkspaceRow): Workspace {
  const f = JSON.parse(openText(key, row.fields, aad('workspaces', row.id, 'fields'), 'A workspace')) as WorkspaceFields;
  const lastSyncError: SyncError | null = row.last_sync_error_code
    ? { code: row.last_sync_error_code, message: f.syncErrorMessage ?? '' }
    : null;
  return {
    id: row.id,
    kind: row.kind,
    name: f.name,
    baseUrl: f.baseUrl,
    username: f.username,
    tokenPageUrl: f.tokenPageUrl,
    rotationPolicy: policyOf(row.rotate_every_days, row.rotation_basis),
    hasAdminCredential: row.admin_credential !== null,
    hasProviderSession: row.provider_session !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSyncAt: row.last_sync_at,
    lastSyncError,
  };
}

function summaryOf(r: TokenRow, f: SealedFields): TokenSummary {
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

function fieldsMatch(f: SealedFields, q: string): boolean {
  for (let i = 0; i < f.length; i++) {
    const v = f[i];
    if (typeof v === 'string') {
      if (v.toLowerCase().includes(q)) return true;
    } else if (Array.isArray(v) && v.some((x) => x.toLowerCase().includes(q))) return true;
  }
  return false;
}

const fieldsOf = (s: TokenSummary): SealedFields => [s.name, s.description, s.prefix, s.type, s.scopes, s.url, s.notes];

/** id, remote_id ... replaces_id in the column order of the INSERT/UPDATE statements. */
const clearValues = (s: TokenSummary) =>
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

function tokenFromInput(id: string, t: NewToken, now: string): TokenSummary {
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

function definedOnly<T extends object>(patch: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

const tamperedShard = () =>
  new AppFailure('vault-tampered', 'The token index in the vault does not match its rows: the file was changed outside Token Vault.');

function unsaved(error: unknown, secret: string | null | undefined): unknown {
  if (!secret) return error;
  const why = error instanceof AppFailure ? error.message : 'The vault could not be written.';
  return new AppFailure('secret-not-stored', `The new token could NOT be saved: ${why} Copy it now; it is shown only once.`, secret);
}
