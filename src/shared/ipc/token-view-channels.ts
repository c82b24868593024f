import { z } from 'zod';
import { SNIPPET_KINDS } from '../token-snippets';
import { MAX_SECRET_CHARS } from '../issued-secret';
import { RotationPolicyInput } from './common-schemas';
import { MUTATES, returns } from './define-channel';
import type { TokenDto } from './tokens-channels';

export { SNIPPET_KINDS, SNIPPET_LABELS, renderSnippet, envNameFor, type SnippetKind } from '../token-snippets';

const Id = z.string().min(1).max(200);

/**
 * A proof of identity for a secret leaving the vault, needed when the last one (unlock included) is older than the
 * `reauthMinutes` setting: main answers `reauth-required` and the window asks, then calls again with it.
 */
const Reauth = {
  /** The master password, when the vault has one. */
  password: z.string().max(1024).optional(),
  /** Keychain-only vaults: the user explicitly confirmed. */
  confirm: z.boolean().optional(),
};

export const RevealInput = z.object({ tokenId: Id, ...Reauth }).strict();

export const UpdateTokenInput = z
  .object({
    tokenId: Id,
    name: z.string().trim().min(1, 'Give the token a name.').max(255).optional(),
    description: z.string().max(1000).nullable().optional(),
    notes: z.string().max(10_000).nullable().optional(),
    rotationPolicy: RotationPolicyInput.nullable().optional(),
    /** A new expiry (null = never): manual tokens, and services that can change one (capabilities.editExpiry). */
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

/** A token created by hand on a service with no admin API (manual workspaces): the user pastes its secret. */
export const AddTokenInput = z
  .object({
    workspaceId: Id,
    name: z.string().trim().min(1, 'Give the token a name.').max(255),
    description: z.string().max(1000).optional(),
    secret: z.string().min(1, 'Paste the token.').max(MAX_SECRET_CHARS),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

export interface CopyOutcome {
  /** The clipboard is cleared after this many seconds if it still holds the secret (0 = never). */
  clearsInSeconds: number;
}

export const tokenViewChannels = {
  'tokens:list': returns<TokenDto[]>().takes(z.undefined()),
  /** Re-authenticates, audits, and returns the secret once; the window hides it again after `hideAfterSeconds`. */
  'tokens:reveal': returns<{ secret: string; hideAfterSeconds: number }>().takes(RevealInput),
  'tokens:copy-secret': returns<CopyOutcome>().takes(z.object({ tokenId: Id, ...Reauth }).strict()),
  /**
   * A secret the service issued but the vault could not store (the reveal dialog holds the only copy): main puts it
   * in the clipboard with the same clear timer. The page itself cannot: its clipboard permission is denied.
   */
  'tokens:copy-unsaved-secret': returns<CopyOutcome>().takes(z.object({ secret: z.string().min(1).max(MAX_SECRET_CHARS) }).strict()),
  'tokens:copy-prefix': returns<{ prefix: string }>().takes(z.object({ tokenId: Id }).strict()),
  'tokens:copy-snippet': returns<CopyOutcome>().takes(z.object({ tokenId: Id, kind: z.enum(SNIPPET_KINDS), ...Reauth }).strict()),
  'tokens:update': returns<TokenDto>().takes(UpdateTokenInput, MUTATES),
  'tokens:add': returns<TokenDto>().takes(AddTokenInput, MUTATES),
} as const;

export interface TokenViewEvents {
  /** Main cleared the clipboard that held a secret (timer ran out, or the vault locked). */
  'clipboard:cleared': { reason: 'timeout' | 'lock' };
}
