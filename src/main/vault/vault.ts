import { existsSync } from 'node:fs';
import { vaultAudit, type VaultAudit } from './audit/vault-audit';
import { VaultCore } from './db/vault-core';
import { openVaultDb } from './db/vault-db';
import { vaultJournal, type VaultJournal } from './journal/vault-journal';
import { createVaultFile, type CreateVaultOptions } from './keys/create-vault-file';
import { createKeytarKeychain, type Keychain } from './keys/keychain';
import { vaultKeys, type VaultKeys } from './keys/vault-unlock';
import { vaultNotificationMarkers, type VaultNotificationMarkers } from './settings/notification-markers';
import { vaultSettings, type VaultSettingsStore } from './settings/vault-settings';
import { shareReminderMarks } from './sharing/share-store';
import { vaultSharing, type VaultSharingStore } from './sharing/vault-sharing';
import { findToken, removeToken } from './tokens/token-records';
import { vaultTargets, type VaultTargets } from './targets/vault-targets';
import { vaultTokens, type VaultTokens } from './tokens/vault-tokens';
import { vaultTrash, type VaultTrash } from './trash/vault-trash';
import { vaultTransfer, type VaultTransfer } from './transfer/vault-transfer';
import { vaultWorkspaces, type VaultWorkspaces } from './workspaces/workspace-records';

export type { CreateVaultOptions } from './keys/create-vault-file';

export interface OpenVaultOptions {
  keychain?: Keychain;
}

/**
 * One open vault file. Opening does not unlock: clear facts (reminder dates, settings, notification markers) are
 * readable while locked; everything else needs `keys.unlockWithPassword` / `keys.unlockWithKeychain`.
 *
 * Token summaries are kept in memory once unlocked and reloaded when another process (the CLI, the app) commits
 * (PRAGMA data_version). Every write runs in BEGIN IMMEDIATE and re-reads what it changes, so two processes never
 * lose each other's updates.
 *
 * The vault's surface is a handful of record kinds, each its own object built by the folder that owns it
 * (`vault.tokens`, `vault.workspaces`, `vault.keys`, `vault.audit`, `vault.journal`, `vault.targets`,
 * `vault.settings`, `vault.notifications`, `vault.transfer`), all sharing one VaultCore (db handle, data key, caches,
 * transactions).
 */
export class Vault {
  readonly keys: VaultKeys;
  readonly workspaces: VaultWorkspaces;
  readonly tokens: VaultTokens;
  readonly audit: VaultAudit;
  readonly journal: VaultJournal;
  /** Where each token is deployed (issue 13). */
  readonly targets: VaultTargets;
  /** Clear: readable while locked. */
  readonly settings: VaultSettingsStore;
  /** Which reminder thresholds were notified. Clear: usable while locked. */
  readonly notifications: VaultNotificationMarkers;
  /** Imports from other stores, exports, and the vault image for backups (issue 15). */
  readonly transfer: VaultTransfer;
  /** This device's sharing keys, its shares and their sync state (issue 14): the sharing engine's port. */
  readonly sharing: VaultSharingStore;
  /** Deleted tokens and workspaces, kept TRASH_KEEP_DAYS (issue 12). */
  readonly trash: VaultTrash;
  private readonly core: VaultCore;

  private constructor(
    readonly path: string,
    db: VaultCore['db'],
    keychain: Keychain | undefined,
  ) {
    const core = new VaultCore(db);
    this.core = core;
    this.keys = vaultKeys(core, keychain ?? createKeytarKeychain());
    this.tokens = vaultTokens(core, () => shareReminderMarks(core));
    this.workspaces = vaultWorkspaces(core, (id, options) => removeToken(core, id, options));
    this.audit = vaultAudit(core);
    this.journal = vaultJournal(core);
    this.targets = vaultTargets(core, (tokenId) => findToken(core, tokenId)?.workspaceId);
    this.settings = vaultSettings(core);
    this.notifications = vaultNotificationMarkers(core);
    this.transfer = vaultTransfer(core);
    this.sharing = vaultSharing(core);
    this.trash = vaultTrash(core);
  }

  /** The vault's own id (clear, never secret): names the folder its sharing repositories live in. */
  get id(): string {
    return this.core.vaultId;
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

  get isUnlocked(): boolean {
    return this.core.dataKey !== null;
  }

  /** Wipes the data key and forgets every decrypted summary. */
  lock(): void {
    this.core.setKey(null);
  }

  close(): void {
    this.lock();
    if (this.core.db.open) this.core.db.close();
  }

  /**
   * The tokens written through this handle since the last call ('all' after a bulk write, a renamed or removed
   * workspace, or new warning settings): what the window must refresh after a change.
   */
  takeChanges(): string[] | 'all' {
    return this.core.takeTouched();
  }
}
