import { z } from 'zod';
import type { RestoreOutcome, TrashEntry } from '../trash';
import { MUTATES, returns } from './define-channel';

const Id = z.string().min(1).max(100);

/**
 * The trash (issue 12): a delete in the window moves a token (or, through workspaces:remove, a workspace with its
 * tokens) here for TRASH_KEEP_DAYS; the list never carries a secret. A restore that meets a name taken meanwhile is
 * refused (already-exists) and changes nothing.
 */
export const trashChannels = {
  /** Moves one token, secret and all, to the trash. Nothing happens at the service (revoke does that). */
  'tokens:delete': returns<TrashEntry>().takes(z.object({ tokenId: Id }).strict(), MUTATES),
  /** Newest first. */
  'trash:list': returns<TrashEntry[]>().takes(z.undefined()),
  'trash:restore': returns<RestoreOutcome>().takes(z.object({ id: Id }).strict(), MUTATES),
  /**
   * Deletes for good the entries named (what the window showed when the user said yes: something trashed meanwhile
   * stays). Returns how many went.
   */
  'trash:empty': returns<{ purged: number }>().takes(z.object({ ids: z.array(Id).max(100_000) }).strict(), MUTATES),
} as const;
