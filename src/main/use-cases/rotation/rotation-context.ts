import { AppFailure, isAppFailure } from '../../errors';
import { createLogger } from '../../log/redacting-logger';
import { isRemoteFailure } from '../../providers/http/http-client';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { Clock } from '../ports';
import type { Vault } from '../../vault/vault';
import type { JournalEntry, TokenSummary, Workspace } from '../../vault/db/vault-types';
import type { Checkpoint } from './rotation-journal';

const log = createLogger('rotation');

/** What every rotation flow works with: the RotationService's options, filled in with their defaults. */
export interface RotationContext {
  vault: Vault;
  clock: Clock;
  /** Who appears in the audit log: `app`, `cli`. */
  actor: string;
  connect: (vault: Vault, workspace: Workspace) => { provider: Provider; ctx: ProviderContext };
  checkpoint: Checkpoint;
}

// Journal writes, failure messages and small helpers shared by the rotate, paste, confirm and resume flows.
// Every journal write is followed by a checkpoint, so the crash tests can stop the process right after it.

export function findEntry(rc: RotationContext, tokenId: string): JournalEntry | undefined {
  const own = rc.vault.listJournal(tokenId)[0];
  if (own) return own;
  // The new token of a rotation: the entry hangs on the old one.
  const t = rc.vault.findToken(tokenId);
  if (t?.replacesId) return rc.vault.listJournal(t.replacesId)[0];
  return undefined;
}

export function writeStep(rc: RotationContext, id: string | undefined, tokenId: string, step: string, payload: unknown): JournalEntry {
  const entry = rc.vault.putJournal({ ...(id ? { id } : {}), tokenId, step, payload });
  rc.checkpoint(`journal:${step}`);
  return entry;
}

/** The first durable home of a fresh secret: if it fails, the secret goes back to the caller in the error. */
export function writeWithSecret(rc: RotationContext, id: string, tokenId: string, step: string, payload: unknown, secret: string): void {
  try {
    rc.vault.putJournal({ id, tokenId, step, payload });
  } catch (error) {
    throw unsaved(error, secret);
  }
  rc.checkpoint(`journal:${step}`);
}

export function unsaved(error: unknown, secret: string): AppFailure {
  if (isAppFailure(error) && error.unsavedSecret) return error;
  const why = isAppFailure(error) ? error.message : 'The vault could not be written.';
  return new AppFailure('secret-not-stored', `The new token could NOT be saved: ${why} Copy it now; it is shown only once.`, secret);
}

/** A remote error during a step: roll the journal back when the call surely did nothing, keep it when unsure. */
export function remoteFailed(rc: RotationContext, id: string | undefined, token: TokenSummary, error: unknown, what: string, resuming = false): AppFailure {
  const maybeApplied = isRemoteFailure(error) && error.info.maybeApplied === true;
  const msg = isAppFailure(error) ? error.message : `An unexpected error happened while ${what}.`;
  if (!isAppFailure(error)) log.error('rotation step failed', { tokenId: token.id, what, error: String(error) });
  const code = isAppFailure(error) ? error.code : 'internal';
  if (resuming)
    return new AppFailure(code, `${msg} The rotation is still recorded; run "token resume" again once the service answers.`);
  if (id && !maybeApplied) rc.vault.removeJournal(id);
  if (maybeApplied && id)
    return new AppFailure(code, `${msg} The service may have acted without answering; run "token resume" to settle it (the rotation journal remembers where it stopped).`);
  return new AppFailure(code, `${msg} Nothing changed: the old token is still stored and in use.`);
}

export function inProgress(token: TokenSummary): AppFailure {
  return new AppFailure('rotation-in-progress', `A rotation of "${token.name}" is unfinished: confirm it (--confirm) or run "token resume".`);
}

export function sameLifetime(rc: RotationContext, token: TokenSummary): string | null {
  if (!token.expiresAt) return null;
  const life = Date.parse(token.expiresAt) - Date.parse(token.createdAt);
  if (!(life > 0)) return null;
  return new Date(rc.clock.now().getTime() + life).toISOString();
}

export function nowIso(rc: RotationContext): string {
  return rc.clock.now().toISOString();
}
