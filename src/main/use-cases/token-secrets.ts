import { renderSnippet, type SnippetKind } from '../../shared/token-snippets';
import { visiblePrefix } from '../../shared/token-prefix';
import { DEFAULT_SETTINGS } from '../../shared/vault-settings';
import { AppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import type { Vault } from '../vault';
import { holdInClipboard } from './clipboard-hold';
import type { ClipboardPort, EmitEvent } from './ports';
import type { VaultSession } from './vault-session';

const log = createLogger('token-secrets');

/** A proof of identity that came with the request: the master password, or a keychain-only vault's confirmation. */
export interface Reauth {
  password?: string | undefined;
  confirm?: boolean | undefined;
}

/** How long the window shows a revealed secret before hiding it again. */
export const REVEAL_SECONDS = 30;

/**
 * A stored secret leaving the vault on purpose: a re-authenticated, audited reveal, or a copy done by main into a
 * clipboard that clears itself (after the configured time, or when the vault locks) only if it still holds that
 * secret.
 */
export class TokenSecrets {
  private held: { release: () => Promise<boolean>; timer: NodeJS.Timeout | undefined } | undefined;

  constructor(
    private readonly session: VaultSession,
    private readonly clipboard: ClipboardPort,
    private readonly emit: EmitEvent,
  ) {
    session.onLock(() => void this.clearIfHeld('lock'));
  }

  async reveal(tokenId: string, auth: Reauth = {}): Promise<{ secret: string; hideAfterSeconds: number }> {
    const vault = this.session.requireUnlocked();
    vault.tokens.get(tokenId);
    await this.authorize(vault, auth);
    return { secret: secretOf(vault, tokenId, 'revealed'), hideAfterSeconds: REVEAL_SECONDS };
  }

  async copySecret(tokenId: string, auth: Reauth = {}): Promise<{ clearsInSeconds: number }> {
    const vault = this.session.requireUnlocked();
    vault.tokens.get(tokenId);
    await this.authorize(vault, auth);
    return this.copy(secretOf(vault, tokenId, 'copied'));
  }

  /**
   * One rule for every stored secret leaving the vault (copy, snippet, reveal; button, shortcut or palette): a proof of
   * identity given now is checked; otherwise the last one (unlock included) must be within the reauthMinutes setting.
   */
  private async authorize(vault: Vault, auth: Reauth): Promise<void> {
    if ((auth.password !== undefined && auth.password !== '') || auth.confirm === true) return this.session.reauthenticate(auth);
    if (this.session.authenticatedWithin(vault.settings.get().reauthMinutes)) return;
    throw new AppFailure(
      'reauth-required',
      vault.keys.methods().password ? 'Enter the master password to use this secret.' : 'Confirm that you want to use this secret.',
    );
  }

  /**
   * A secret the service issued but the vault could not store (the reveal dialog holds the only copy): copied with
   * the same clear timer. The page itself cannot copy: its clipboard permission is denied.
   */
  copyUnsavedSecret(secret: string): Promise<{ clearsInSeconds: number }> {
    return this.copy(secret);
  }

  async copyPrefix(tokenId: string): Promise<{ prefix: string }> {
    const prefix = this.session.requireUnlocked().tokens.get(tokenId).prefix;
    if (!prefix) throw new AppFailure('not-found', 'This token has no known prefix.');
    const shown = visiblePrefix(prefix);
    await this.clipboard.writeText(shown);
    return { prefix: shown };
  }

  async copySnippet(tokenId: string, kind: SnippetKind, auth: Reauth = {}): Promise<{ clearsInSeconds: number }> {
    const vault = this.session.requireUnlocked();
    const token = vault.tokens.get(tokenId);
    await this.authorize(vault, auth);
    const ws = vault.workspaces.get(token.workspaceId);
    const secret = secretOf(vault, tokenId, 'copied', `${kind} snippet`);
    return this.copy(renderSnippet(kind, secret, { tokenName: token.name, baseUrl: token.url ?? ws.baseUrl }));
  }

  private async copy(text: string): Promise<{ clearsInSeconds: number }> {
    const seconds = this.clearSeconds();
    if (this.held?.timer) clearTimeout(this.held.timer);
    const mine = { release: await holdInClipboard(this.clipboard, text), timer: undefined as NodeJS.Timeout | undefined };
    this.held = mine;
    if (seconds > 0) {
      mine.timer = setTimeout(() => {
        if (this.held === mine) void this.clearIfHeld('timeout');
      }, seconds * 1000);
      mine.timer.unref?.();
    }
    return { clearsInSeconds: seconds };
  }

  // An unsaved secret may be copied when the vault cannot even be read: then the default, never "never".
  private clearSeconds(): number {
    try {
      return this.session.requireVault().settings.get().clipboardClearSeconds;
    } catch {
      return DEFAULT_SETTINGS.clipboardClearSeconds;
    }
  }

  // Both buffers (holdInClipboard): the copied secret is in the clipboard, and on Linux selecting it in a field puts
  // it in PRIMARY (middle-click paste) as well. Each is cleared only while it still holds the secret.
  private async clearIfHeld(reason: 'timeout' | 'lock'): Promise<void> {
    const current = this.held;
    if (!current) return;
    this.held = undefined;
    if (current.timer) clearTimeout(current.timer);
    try {
      if (await current.release()) this.emit('clipboard:cleared', { reason });
    } catch (error) {
      log.warn('could not check the clipboard', { error });
    }
  }
}

function secretOf(vault: Vault, tokenId: string, action: 'revealed' | 'copied', detail?: string): string {
  const secret = vault.tokens.readSecret(tokenId, { action, actor: 'app', ...(detail ? { detail } : {}) });
  if (secret === null) throw new AppFailure('not-found', 'Token Vault holds no secret for this token (it was listed by a sync). Regenerate it to get one.');
  return secret;
}
