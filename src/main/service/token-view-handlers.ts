import { createHash } from 'node:crypto';
import { renderSnippet, type TokenViewDto } from '../../shared/ipc/token-view-channels';
import { AppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import { evaluateToken, evaluateTokens } from '../reminders/reminder-engine';
import type { ReminderPolicies, TokenReminder } from '../reminders/reminder-types';
import { Vault, type ReminderFacts, type TokenSummary, type Workspace } from '../vault';
import type { Handlers } from './handlers';
import type { ReminderService } from './reminder-service';
import type { ServiceContext } from './service-context';
import { PREFIX_LENGTH, toTokenDto } from './token-dto';

const log = createLogger('token-view');

/** How long the window shows a revealed secret before hiding it again. */
export const REVEAL_SECONDS = 30;

/** The vault's own default (vault-settings); used when the settings cannot be read. */
const DEFAULT_CLIPBOARD_CLEAR_SECONDS = 30;

type TokenViewChannel =
  | 'tokens:list'
  | 'tokens:reveal'
  | 'tokens:copy-secret'
  | 'tokens:copy-unsaved-secret'
  | 'tokens:copy-prefix'
  | 'tokens:copy-snippet'
  | 'tokens:update'
  | 'tokens:add';

// Never keep the copied secret itself around: a digest is enough to tell whether the clipboard still holds it.
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

export function toTokenView(
  t: TokenSummary,
  ws: Workspace | undefined,
  facts: ReminderFacts | undefined,
  policies: ReminderPolicies | undefined,
  now: Date,
): TokenViewDto {
  return viewOf(t, ws, facts && policies ? evaluateToken(facts, policies, now) : undefined);
}

/** The DTO from a summary and its already computed reminder state (lists compute those in bulk). */
function viewOf(t: TokenSummary, ws: Workspace | undefined, reminder: TokenReminder | undefined): TokenViewDto {
  const rotation = reminder?.rotation;
  const { remoteId: _remoteId, ...token } = toTokenDto(t);
  return {
    ...token,
    workspaceName: ws?.name ?? '',
    providerKind: ws?.kind ?? 'manual',
    notes: t.notes,
    rotationPolicy: t.rotationPolicy,
    expiry: reminder?.expiry.kind ?? (t.expiresAt === null ? 'never' : 'ok'),
    rotationDue: rotation?.kind === 'due' && !reminder?.snoozedUntil,
    rotationDueOn: rotation && rotation.kind !== 'none' ? rotation.dueOn : null,
    snoozedUntil: t.snoozedUntil,
    replacedById: t.replacedById,
  };
}

/**
 * The window's own view of tokens: the list with reminder state, re-authenticated reveal, copy done by main with a
 * clipboard that clears itself only if it still holds the secret, snippets, edits, and pasting a hand-made token.
 */
export function createTokenViewHandlers(ctx: ServiceContext, reminders?: ReminderService): Pick<Handlers, TokenViewChannel> {
  const { session, clipboard, emit, clock } = ctx;
  const vault = () => session.requireUnlocked();
  let held: { digest: string; timer: NodeJS.Timeout | undefined } | undefined;

  // Both buffers: the copied secret is in the clipboard, and on Linux selecting it in a field puts it in PRIMARY
  // (middle-click paste) as well. Each is cleared only while it still holds the secret.
  const clearIfHeld = async (reason: 'timeout' | 'lock') => {
    const current = held;
    if (!current) return;
    held = undefined;
    if (current.timer) clearTimeout(current.timer);
    let cleared = false;
    for (const buffer of ['clipboard', 'selection'] as const) {
      try {
        if (digest(await clipboard.readText(buffer)) === current.digest) {
          clipboard.clear(buffer);
          cleared = true;
        }
      } catch (error) {
        log.warn('could not check the clipboard', { buffer, error });
      }
    }
    if (cleared) emit('clipboard:cleared', { reason });
  };
  session.onLock(() => void clearIfHeld('lock'));

  const copySecretText = async (text: string): Promise<{ clearsInSeconds: number }> => {
    const seconds = clearSeconds();
    if (held?.timer) clearTimeout(held.timer);
    await clipboard.writeText(text);
    const mine = { digest: digest(text), timer: undefined as NodeJS.Timeout | undefined };
    held = mine;
    if (seconds > 0) {
      mine.timer = setTimeout(() => {
        if (held === mine) void clearIfHeld('timeout');
      }, seconds * 1000);
      mine.timer.unref?.();
    }
    return { clearsInSeconds: seconds };
  };

  // An unsaved secret may be copied when the vault cannot even be read: then the default, never "never".
  const clearSeconds = (): number => {
    try {
      return session.requireVault().getSettings().clipboardClearSeconds;
    } catch {
      return DEFAULT_CLIPBOARD_CLEAR_SECONDS;
    }
  };

  const view = (v: Vault, t: TokenSummary): TokenViewDto => {
    const facts = v.listReminderFacts().find((f) => f.id === t.id);
    return toTokenView(t, v.listWorkspaces().find((w) => w.id === t.workspaceId), facts, reminders?.policies(v), clock.now());
  };

  const secretOf = (v: Vault, tokenId: string, action: 'revealed' | 'copied', detail?: string): string => {
    const secret = v.readSecret(tokenId, { action, actor: 'app', ...(detail ? { detail } : {}) });
    if (secret === null) throw new AppFailure('not-found', 'Token Vault holds no secret for this token (it was listed by a sync). Regenerate it to get one.');
    return secret;
  };

  return {
    'tokens:list': () => {
      const v = vault();
      const workspaces = new Map(v.listWorkspaces().map((w) => [w.id, w]));
      // Reminder state for the whole list in one pass of the engine (one clock, one ladder), joined by id.
      const policies = reminders?.policies(v);
      const states = new Map<string, TokenReminder>();
      if (policies) for (const r of evaluateTokens(v.listReminderFacts(), policies, clock.now())) states.set(r.tokenId, r);
      return v.listTokens().map((t) => viewOf(t, workspaces.get(t.workspaceId), states.get(t.id)));
    },

    'tokens:reveal': async ({ tokenId, password, confirm }) => {
      const v = vault();
      v.getToken(tokenId);
      if (v.unlockMethods().password) {
        if (!password) throw new AppFailure('wrong-password', 'Enter the master password to reveal the secret.');
        // A separate handle proves the password without touching the open vault's keys.
        const check = Vault.open(session.path, { keychain: session.keychain });
        try {
          await check.unlockWithPassword(password);
        } finally {
          check.close();
        }
      } else if (confirm !== true) {
        throw new AppFailure('invalid-argument', 'Confirm that you want to show the secret on screen.');
      }
      return { secret: secretOf(v, tokenId, 'revealed'), hideAfterSeconds: REVEAL_SECONDS };
    },

    'tokens:copy-secret': async ({ tokenId }) => copySecretText(secretOf(vault(), tokenId, 'copied')),

    'tokens:copy-unsaved-secret': async ({ secret }) => copySecretText(secret),

    'tokens:copy-prefix': async ({ tokenId }) => {
      const prefix = vault().getToken(tokenId).prefix;
      if (!prefix) throw new AppFailure('not-found', 'This token has no known prefix.');
      const shown = prefix.slice(0, PREFIX_LENGTH);
      await clipboard.writeText(shown);
      return { prefix: shown };
    },

    'tokens:copy-snippet': async ({ tokenId, kind }) => {
      const v = vault();
      const token = v.getToken(tokenId);
      const ws = v.getWorkspace(token.workspaceId);
      const secret = secretOf(v, tokenId, 'copied', `${kind} snippet`);
      return copySecretText(renderSnippet(kind, secret, { tokenName: token.name, baseUrl: token.url ?? ws.baseUrl }));
    },

    'tokens:update': ({ tokenId, ...patch }) => {
      const v = vault();
      const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      const updated = v.updateToken(tokenId, defined, 'app');
      reminders?.changed();
      return view(v, updated);
    },

    'tokens:add': ({ workspaceId, name, description, secret, expiresAt }) => {
      const v = vault();
      const ws = v.getWorkspace(workspaceId);
      if (ws.kind !== 'manual') {
        throw new AppFailure('unsupported', `${ws.name} has an admin API: create the token there with "New token" instead of pasting one.`);
      }
      const token = v.storeIssuedToken(
        { workspaceId, name, description: description ?? null, secret, prefix: secret.slice(0, Math.min(PREFIX_LENGTH, Math.floor(secret.length / 3))), expiresAt: expiresAt ?? null },
        'app',
      );
      reminders?.changed();
      return view(v, token);
    },
  };
}
