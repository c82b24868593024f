import { join } from 'node:path';
import type { LockReason } from '../../shared/ipc/vault-channels';
import { AppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import { createKeytarKeychain, type Keychain } from '../vault/keys/keychain';
import { Vault } from '../vault/vault';
import type { EmitEvent } from './ports';

const log = createLogger('vault-session');

/**
 * The app's one open vault, shared by every handler. It opens the file lazily, hands the vault to handlers only
 * when it is in the state they need, and owns locking: whoever locks (the user, idle time, screen lock, suspend),
 * the key is wiped, the listeners run (the clipboard is cleared) and the renderer is told.
 */
export class VaultSession {
  private vault: Vault | undefined;
  private readonly lockListeners: ((reason: LockReason) => void)[] = [];

  constructor(
    readonly path: string,
    readonly keychain: Keychain,
    private readonly emit: EmitEvent,
  ) {}

  static inUserData(userDataDir: string, emit: EmitEvent, keychain: Keychain = createKeytarKeychain()): VaultSession {
    return new VaultSession(join(userDataDir, 'vault.db'), keychain, emit);
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

  /** A vault just created (already unlocked) becomes the session's vault. */
  adopt(vault: Vault): void {
    this.vault?.close();
    this.vault = vault;
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
    if (this.vault.getSettings().lockOnScreenLock) this.lock('screen-locked');
  }

  /** Locks when the machine has been idle for the configured time (0 = never). */
  lockIfIdle(idleSeconds: number): void {
    if (!this.isUnlocked || !this.vault) return;
    const minutes = this.vault.getSettings().autoLockMinutes;
    if (minutes > 0 && idleSeconds >= minutes * 60) this.lock('idle');
  }

  close(): void {
    this.lock('quit');
    this.vault?.close();
    this.vault = undefined;
  }
}
