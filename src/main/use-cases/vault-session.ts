import { join } from 'node:path';
import type { LockReason, VaultState } from '../../shared/ipc/vault-channels';
import { AppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import { createKeytarKeychain, Vault, VAULT_FILE_NAME, type Keychain, type ScryptParams } from '../vault';
import type { EmitEvent } from './ports';
import { purgeExpiredTrash } from './trash-purge';

const log = createLogger('vault-session');

/**
 * The session: the app's one open vault, shared by every handler ("session" means this and nothing else in Token
 * Vault). It opens the file lazily, hands the vault out only in the state a caller needs, creates and unlocks it, and
 * owns locking: whoever locks (the user, idle time, screen lock, suspend), the key is wiped, the listeners run (the
 * clipboard is cleared) and the renderer is told.
 */
export class VaultSession {
  private vault: Vault | undefined;
  private readonly lockListeners: ((reason: LockReason) => void)[] = [];
  /** When the person at the keyboard last proved who they are (create, unlock, re-auth); null while locked. */
  private authAt: number | null = null;
  private readonly unlockListeners: (() => void)[] = [];

  constructor(
    readonly path: string,
    readonly keychain: Keychain,
    private readonly emit: EmitEvent,
    private readonly now: () => number = Date.now,
    /** scrypt parameters of new password slots; default: calibrated to ~300 ms on this machine. */
    private readonly kdf?: ScryptParams,
  ) {}

  static inUserData(userDataDir: string, emit: EmitEvent, keychain: Keychain = createKeytarKeychain(), now: () => number = Date.now, kdf?: ScryptParams): VaultSession {
    return new VaultSession(join(userDataDir, VAULT_FILE_NAME), keychain, emit, now, kdf);
  }

  /** True when the last proof of identity is at most `minutes` old (0: never, every use asks again). */
  authenticatedWithin(minutes: number): boolean {
    return this.isUnlocked && minutes > 0 && this.authAt !== null && this.now() - this.authAt <= minutes * 60_000;
  }

  /** The open vault (locked or not), or undefined when no vault file exists yet. */
  current(): Vault | undefined {
    if (!this.vault && Vault.exists(this.path)) this.vault = Vault.open(this.path, { keychain: this.keychain });
    return this.vault;
  }

  requireVault(): Vault {
    const vault = this.current();
    if (!vault) throw new AppFailure('vault-missing', 'There is no vault yet. Create one first.');
    return vault;
  }

  requireUnlocked(): Vault {
    const vault = this.requireVault();
    if (!vault.isUnlocked) throw new AppFailure('vault-locked', 'The vault is locked. Unlock it first.');
    return vault;
  }

  /** What the window may know about the vault: never key material, never a secret. */
  async state(): Promise<VaultState> {
    const vault = this.current();
    const methods = vault?.keys.methods() ?? { password: false, keychain: false };
    return {
      exists: vault !== undefined,
      unlocked: vault?.isUnlocked ?? false,
      keychainAvailable: await this.keychain.isAvailable(),
      keychainUnlock: methods.keychain,
      passwordUnlock: methods.password,
      path: this.path,
    };
  }

  /** Creates the vault (unlocked): keychain unlock where one answers, else the master password is required. */
  async create(input: { password?: string; useKeychain: boolean }): Promise<void> {
    if (this.current()) throw new AppFailure('vault-exists', 'A vault already exists. Unlock it instead.');
    const keychain = input.useKeychain && (await this.keychain.isAvailable());
    if (input.useKeychain && !keychain && input.password === undefined) {
      throw new AppFailure('keychain-unavailable', 'No system keychain answered. Choose a master password instead.');
    }
    this.adopt(
      await Vault.create(this.path, {
        useKeychain: keychain,
        keychain: this.keychain,
        ...(input.password === undefined ? {} : { password: input.password }),
        ...(this.kdf ? { kdf: this.kdf } : {}),
      }),
    );
    this.unlocked();
  }

  /** A password when one is given, else the OS keychain when the vault has keychain unlock. */
  async unlock(password?: string): Promise<void> {
    const vault = this.requireVault();
    if (vault.isUnlocked) return;
    if (password !== undefined && password !== '') await vault.keys.unlockWithPassword(password);
    else if (vault.keys.methods().keychain) await vault.keys.unlockWithKeychain();
    else throw new AppFailure('wrong-password', 'Enter the master password to unlock the vault.');
    this.authAt = this.now();
    purgeExpiredTrash(vault);
    this.unlocked();
  }

  /** Runs after the vault unlocks (or is created, unlocked): work that needs the key, e.g. the daily backup. */
  onUnlock(listener: () => void): void {
    this.unlockListeners.push(listener);
  }

  private unlocked(): void {
    for (const listener of this.unlockListeners) {
      try {
        listener();
      } catch (error) {
        log.error('an unlock listener failed', { error });
      }
    }
  }

  /**
   * Asks the person at the keyboard again before a reveal: the master password when the vault has one, else an
   * explicit confirmation (keychain-only vaults).
   */
  async reauthenticate(input: { password?: string | undefined; confirm?: boolean | undefined }): Promise<void> {
    const vault = this.requireUnlocked();
    if (vault.keys.methods().password) {
      if (!input.password) throw new AppFailure('wrong-password', 'Enter the master password to reveal the secret.');
      await vault.keys.verifyPassword(input.password);
    } else if (input.confirm !== true) {
      throw new AppFailure('invalid-argument', 'Confirm that you want to show the secret on screen.');
    }
    this.authAt = this.now();
  }

  async changePassword(currentPassword: string | undefined, newPassword: string): Promise<void> {
    const vault = this.requireUnlocked();
    // Proves the person at the keyboard knows the current password; a keychain-only vault sets its first one.
    if (vault.keys.methods().password) {
      if (!currentPassword) throw new AppFailure('wrong-password', 'Enter the current master password.');
      await vault.keys.verifyPassword(currentPassword);
    }
    await vault.keys.changePassword(newPassword, this.kdf);
  }

  async setKeychainUnlock(enabled: boolean): Promise<void> {
    const vault = this.requireUnlocked();
    if (enabled) await vault.keys.enableKeychainUnlock();
    else await vault.keys.disableKeychainUnlock();
  }

  /** A vault just created (already unlocked) becomes the session's vault. */
  adopt(vault: Vault): void {
    this.vault?.close();
    this.vault = vault;
    if (vault.isUnlocked) this.authAt = this.now();
  }

  get isUnlocked(): boolean {
    return this.vault?.isUnlocked ?? false;
  }

  /** Runs when the vault locks, before the renderer hears of it (e.g. clear the clipboard if it holds a secret). */
  onLock(listener: (reason: LockReason) => void): void {
    this.lockListeners.push(listener);
  }

  lock(reason: LockReason): void {
    const wasUnlocked = this.isUnlocked;
    this.authAt = null;
    this.vault?.lock();
    for (const listener of this.lockListeners) {
      try {
        listener(reason);
      } catch (error) {
        log.error('a lock listener failed', { error });
      }
    }
    if (wasUnlocked) this.emit('vault:locked', { reason });
  }

  /** The screen locked: lock too, unless the user turned that off in settings. */
  lockForScreenLock(): void {
    if (!this.isUnlocked || !this.vault) return;
    if (this.vault.settings.get().lockOnScreenLock) this.lock('screen-locked');
  }

  /** Locks when the machine has been idle for the configured time (0 = never). */
  lockIfIdle(idleSeconds: number): void {
    if (!this.isUnlocked || !this.vault) return;
    const minutes = this.vault.settings.get().autoLockMinutes;
    if (minutes > 0 && idleSeconds >= minutes * 60) this.lock('idle');
  }

  close(): void {
    this.lock('quit');
    this.vault?.close();
    this.vault = undefined;
  }
}
