import type { RotationMode, StepOf } from '../../../shared/ipc/rotation-channels';
import { AppFailure, isAppFailure } from '../../errors';
import { createLogger } from '../../log/redacting-logger';
import { isRemoteFailure } from '../../providers/http/remote-failure';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { JournalEntry, TokenSummary, Vault, Workspace } from '../../vault';
import type { Clock } from '../ports';
import { readEntry, type Checkpoint, type PayloadOf, type RotationEntry } from './rotation-journal';

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

// Journal writes, failures and small helpers shared by the rotate, paste, confirm and resume flows.
// Every journal write is followed by a checkpoint, so the crash tests can stop the process right after it.

/** The rotation a token is part of (as the old token, or as the new one: the entry hangs on the old one). */
export function findEntry(rc: Pick<RotationContext, 'vault'>, tokenId: string): { raw: JournalEntry; entry: RotationEntry | undefined } | undefined {
  const own = rc.vault.journal.list(tokenId)[0];
  const t = own ? undefined : rc.vault.tokens.find(tokenId);
  const raw = own ?? (t?.replacesId ? rc.vault.journal.list(t.replacesId)[0] : undefined);
  return raw ? { raw, entry: readEntry(raw) } : undefined;
}

/**
 * Writes a step: FULL sync, before the remote call it announces. `secret`: a fresh secret the payload carries; the
 * vault hands it back in the error if the write fails (its first durable home).
 */
export function writeStep<M extends RotationMode>(rc: RotationContext, id: string | undefined, tokenId: string, step: StepOf<M>, payload: PayloadOf<M>, secret?: string): JournalEntry {
  let entry: JournalEntry;
  try {
    // A first step claims the token: the vault refuses it, in the transaction that would write it, when another
    // rotation (in this process or another) holds the token; the service has not been called yet.
    entry = rc.vault.journal.put({ ...(id ? { id } : { claim: true }), tokenId, step, payload }, secret);
  } catch (error) {
    if (isAppFailure(error) && error.code === 'rotation-in-progress' && !id) throw inProgress(rc.vault.tokens.get(tokenId), findEntry(rc, tokenId)?.entry);
    throw error;
  }
  rc.checkpoint(`journal:${step}`);
  return entry;
}

/**
 * Regenerate, revoke and (de)activate refuse a token a rotation holds (issue 10 item 1): their remote call would race
 * the rotation's, and a service with reuse detection (GitLab) then revokes the whole token family.
 */
export function refuseWhileRotating(rc: Pick<RotationContext, 'vault'>, token: TokenSummary): void {
  const found = findEntry(rc, token.id);
  if (found) throw inProgress(token, found.entry);
}

/** A remote error during a step: roll the journal back when the call surely did nothing, keep it when unsure. */
export function remoteFailed(rc: RotationContext, id: string | undefined, token: TokenSummary, error: unknown, what: string, resuming = false): AppFailure {
  const maybeApplied = isRemoteFailure(error) && error.info.maybeApplied === true;
  const msg = isAppFailure(error) ? error.message : `An unexpected error happened while ${what}.`;
  if (!isAppFailure(error)) log.error('rotation step failed', { tokenId: token.id, what, error: String(error) });
  const code = isAppFailure(error) ? error.code : 'internal';
  if (resuming) return new AppFailure(code, `${msg} The rotation is still recorded.`, { next: 'resume' });
  if (id && !maybeApplied) rc.vault.journal.remove(id);
  if (maybeApplied && id)
    return new AppFailure(code, `${msg} The service may have acted without answering; the rotation journal remembers where it stopped.`, { next: 'resume' });
  return new AppFailure(code, `${msg} Nothing changed: the old token is still stored and in use.`);
}

/** A new rotation refused: one is unfinished. Next: paste its secret, confirm its replacement, or resume it. */
export function inProgress(token: TokenSummary, entry: RotationEntry | undefined): AppFailure {
  const next = entry?.step === 'awaiting-secret' ? 'paste' : entry?.step === 'awaiting-confirmation' || (!entry && token.replacedById) ? 'confirm' : 'resume';
  return new AppFailure('rotation-in-progress', `A rotation of "${token.name}" is in progress or unfinished (here or in another Token Vault process); nothing was sent to the service.`, { next });
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
