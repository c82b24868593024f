import { existsSync } from 'node:fs';
import { createKeytarKeychain, type Keychain } from './keychain';
import { appendAudit, listAudit } from './vault-audit';
import { notFound, VaultCore } from './vault-core';
import { createVaultFile, type CreateVaultOptions } from './vault-create';
import { openVaultDb } from './vault-db';
import { snapshotVault, sealUnderDataKey, type VaultImage } from './vault-backup';
import { readTokensForExport } from './vault-export';
import { importTokenRecords, importTokens } from './vault-import';
import { getJournal, listJournal, putJournal, removeJournal } from './vault-journal';
import { clearNotified, hasNotified, listNotified, markNotified } from './vault-notification-markers';
import { getSettings, updateSettings } from './vault-settings';
import { applyTokenBatch } from './vault-token-batch';
import { searchTokens } from './vault-token-search';
import * as tokens from './vault-tokens';
import * as unlock from './vault-unlock';
import * as workspaces from './vault-workspaces';
import type {
  AuditAction,
  AuditEntry,
  DetailedImportOutcome,
  ExportedToken,
  ImportMatch,
  ImportOutcome,
  ImportRecord,
  JournalEntry,
  NewAuditEntry,
  NewToken,
  NewWorkspace,
  NotificationMarker,
  ReminderFacts,
  ScryptParams,
  TokenBatch,
  TokenBatchOutcome,
  TokenFilter,
  TokenPatch,
  TokenSummary,
  VaultSettings,
  Workspace,
  WorkspacePatch,
} from './vault-types';

export type { CreateVaultOptions } from './vault-create';

export interface OpenVaultOptions {
  keychain?: Keychain;
}

/**
 * One open vault file. Opening does not unlock: clear facts (reminder dates, settings, notification markers) are
 * readable while locked; everything else needs `unlockWithPassword` / `unlockWithKeychain`.
 *
 * Token summaries are kept in memory once unlocked and reloaded when another process (the CLI, the app) commits
 * (PRAGMA data_version). Every write runs in BEGIN IMMEDIATE and re-reads what it changes, so two processes never
 * lose each other's updates.
 *
 * This class is the public face only: each method hands its work to the vault-*.ts module that owns that record
 * kind, all sharing one VaultCore (db handle, data key, caches, transactions).
 */
export class Vault {
  private readonly core: VaultCore;
  private readonly keychain: Keychain;

  private constructor(
    readonly path: string,
    db: VaultCore['db'],
    keychain: Keychain | undefined,
  ) {
    this.keychain = keychain ?? createKeytarKeychain();
    this.core = new VaultCore(db);
  }

  static exists(path: string): boolean {
    return existsSync(path);
  }

  /** Opens an existing vault, locked. */
  static open(path: string, options: OpenVaultOptions = {}): Vault {
    return new Vault(path, openVaultDb(path), options.keychain);
  }

  /** Creates a new vault file (never replacing one) and returns it unlocked. */
  static async create(path: string, options: CreateVaultOptions): Promise<Vault> {
    const keychain = options.keychain ?? createKeytarKeychain();
    const dataKey = await createVaultFile(path, options, keychain);
    const vault = Vault.open(path, { keychain });
    vault.core.setKey(dataKey);
    return vault;
  }

  // ---------------------------------------------------------------- keys and lifecycle

  get isUnlocked(): boolean {
    return this.core.dataKey !== null;
  }

  unlockMethods(): { password: boolean; keychain: boolean } {
    return unlock.unlockMethods(this.core);
  }

  /** The keychain this vault was opened with (for "is one available?" questions). */
  get keychainPort(): Keychain {
    return this.keychain;
  }

  unlockWithPassword(password: string): Promise<void> {
    return unlock.unlockWithPassword(this.core, password);
  }

  unlockWithKeychain(): Promise<void> {
    return unlock.unlockWithKeychain(this.core, this.keychain);
  }

  /** Wipes the data key and forgets every decrypted summary. */
  lock(): void {
    this.core.setKey(null);
  }

  close(): void {
    this.lock();
    if (this.core.db.open) this.core.db.close();
  }

  changePassword(newPassword: string, kdf?: ScryptParams): Promise<void> {
    return unlock.changePassword(this.core, newPassword, kdf);
  }

  enableKeychainUnlock(): Promise<void> {
    return unlock.enableKeychainUnlock(this.core, this.keychain);
  }

  disableKeychainUnlock(): Promise<void> {
    return unlock.disableKeychainUnlock(this.core, this.keychain);
  }

  /** Keychain-only unlock: refused unless the keychain slot exists (else nothing could unlock the vault). */
  removePasswordUnlock(): void {
    unlock.removePasswordUnlock(this.core);
  }

  // ---------------------------------------------------------------- workspaces

  createWorkspace(input: NewWorkspace): Workspace {
    return workspaces.createWorkspace(this.core, input);
  }

  listWorkspaces(): Workspace[] {
    return [...workspaces.freshWorkspaces(this.core).values()];
  }

  findWorkspace(id: string): Workspace | undefined {
    return workspaces.freshWorkspaces(this.core).get(id);
  }

  getWorkspace(id: string): Workspace {
    const ws = this.findWorkspace(id);
    if (!ws) throw notFound('The workspace');
    return ws;
  }

  findWorkspaceByName(name: string): Workspace | undefined {
    return workspaces.findWorkspaceByName(this.core, name);
  }

  updateWorkspace(id: string, patch: WorkspacePatch): Workspace {
    return workspaces.updateWorkspace(this.core, id, patch);
  }

  /** Refuses while tokens remain, unless `withTokens` (then they go too, audited). */
  removeWorkspace(id: string, options: { withTokens?: boolean; actor?: string } = {}): void {
    workspaces.removeWorkspace(this.core, id, options);
  }

  getAdminCredential(workspaceId: string): string | null {
    return workspaces.readWorkspaceSecret(this.core, workspaceId, 'admin_credential');
  }

  setAdminCredential(workspaceId: string, credential: string | null): void {
    this.updateWorkspace(workspaceId, { adminCredential: credential });
  }

  /** A provider's login session (e.g. Strapi's admin JWT + refresh cookie as JSON), reused across processes. */
  getProviderSession(workspaceId: string): string | null {
    return workspaces.readWorkspaceSecret(this.core, workspaceId, 'provider_session');
  }

  setProviderSession(workspaceId: string, session: string | null): void {
    workspaces.setProviderSession(this.core, workspaceId, session);
  }

  // ---------------------------------------------------------------- tokens

  insertToken(input: NewToken, actor = 'app'): TokenSummary {
    return tokens.insertToken(this.core, input, actor);
  }

  /** Stores a freshly issued secret durably; if that fails, the error carries it (AppFailure.unsavedSecret). */
  storeIssuedToken(input: NewToken, actor = 'app'): TokenSummary {
    return tokens.storeIssuedToken(this.core, input, actor);
  }

  /** Sets or clears a token's secret (e.g. after regenerate), with the same hand-back as storeIssuedToken. */
  setTokenSecret(id: string, secret: string | null, actor = 'app'): void {
    tokens.setTokenSecret(this.core, id, secret, actor);
  }

  updateToken(id: string, patch: TokenPatch, actor?: string): TokenSummary {
    return tokens.updateToken(this.core, id, patch, actor);
  }

  /** Many inserts and patches of one workspace in one transaction; see vault-token-batch.ts. */
  applyTokenBatch(workspaceId: string, plan: TokenBatch | ((current: TokenSummary[]) => TokenBatch), actor = 'app'): TokenBatchOutcome {
    return applyTokenBatch(this.core, workspaceId, plan, actor);
  }

  findToken(id: string): TokenSummary | undefined {
    return tokens.findToken(this.core, id);
  }

  getToken(id: string): TokenSummary {
    const t = this.findToken(id);
    if (!t) throw notFound('The token');
    return t;
  }

  findTokenByRemoteId(workspaceId: string, remoteId: string): TokenSummary | undefined {
    return tokens.findTokenByRemoteId(this.core, workspaceId, remoteId);
  }

  /** Tokens of a workspace whose name matches exactly (case-insensitive when no exact match). */
  findTokensByName(workspaceId: string, name: string): TokenSummary[] {
    return tokens.findTokensByName(this.core, workspaceId, name);
  }

  listTokens(filter: TokenFilter = {}): TokenSummary[] {
    return tokens.listTokens(this.core, filter);
  }

  /** Case-insensitive substring over name, workspace name, description, prefix, type, scopes, URL and notes. */
  searchTokens(query: string): TokenSummary[] {
    return searchTokens(this.core, query);
  }

  /** The plaintext secret (null when none is stored). Pass `audit` to record the reveal/copy in the same step. */
  readSecret(id: string, audit?: { action: AuditAction; actor?: string; detail?: string }): string | null {
    return tokens.readSecret(this.core, id, audit);
  }

  removeToken(id: string, options: { actor?: string } = {}): void {
    tokens.removeToken(this.core, id, options);
  }

  /** The dataset format of ../shared/bench/gen-dataset.mjs, in one transaction; see vault-import.ts. */
  importTokens(records: Iterable<ImportRecord>, actor = 'cli'): ImportOutcome {
    return importTokens(this.core, records, actor);
  }

  /** Issue 15: one transaction, the decision "already stored?" taken under the write lock; see vault-import.ts. */
  importTokenRecords(records: Iterable<ImportRecord>, options: { actor: string; match: ImportMatch }): DetailedImportOutcome {
    return importTokenRecords(this.core, records, options);
  }

  /** Every token (of one workspace, or all) with its secret, in one transaction, each audited 'exported'. */
  readTokensForExport(options: { actor: string; workspaceId?: string }): { workspaces: Workspace[]; tokens: ExportedToken[] } {
    return readTokensForExport(this.core, options);
  }

  /** A consistent image of the whole vault file and copies of its key slots, for a backup; see vault-backup.ts. */
  snapshot(): VaultImage {
    return snapshotVault(this.core);
  }

  /** Seals a backup's payload key under the data key (which never leaves the vault). */
  sealUnderDataKey(plain: Buffer, ad: Buffer): Buffer {
    return sealUnderDataKey(this.core, plain, ad);
  }

  /** Clear facts for reminders and badges: works while the vault is locked. */
  listReminderFacts(): ReminderFacts[] {
    return tokens.listReminderFacts(this.core);
  }

  countTokens(): number {
    return tokens.countTokens(this.core);
  }

  // ---------------------------------------------------------------- audit

  appendAudit(entry: NewAuditEntry): void {
    appendAudit(this.core, entry);
  }

  /** Newest first. */
  listAudit(filter: { tokenId?: string; workspaceId?: string; limit?: number } = {}): AuditEntry[] {
    return listAudit(this.core, filter);
  }

  // ---------------------------------------------------------------- rotation journal (issue 6)

  putJournal(entry: { id?: string; tokenId: string; step: string; payload: unknown }): JournalEntry {
    return putJournal(this.core, entry);
  }

  getJournal(id: string): JournalEntry | undefined {
    return getJournal(this.core, id);
  }

  listJournal(tokenId?: string): JournalEntry[] {
    return listJournal(this.core, tokenId);
  }

  removeJournal(id: string): void {
    removeJournal(this.core, id);
  }

  // ---------------------------------------------------------------- notification markers (clear; work locked)

  markNotified(tokenId: string, threshold: string, at: Date = new Date()): void {
    markNotified(this.core, tokenId, threshold, at);
  }

  hasNotified(tokenId: string, threshold: string): boolean {
    return hasNotified(this.core, tokenId, threshold);
  }

  listNotified(tokenId?: string): NotificationMarker[] {
    return listNotified(this.core, tokenId);
  }

  clearNotified(tokenId: string, threshold?: string): void {
    clearNotified(this.core, tokenId, threshold);
  }

  // ---------------------------------------------------------------- settings (clear; work locked)

  getSettings(): VaultSettings {
    return getSettings(this.core);
  }

  updateSettings(patch: Partial<VaultSettings>): VaultSettings {
    return updateSettings(this.core, patch);
  }
}
