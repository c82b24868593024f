import { z } from 'zod';
import type { RecordRejection } from './record-file';
import type { MemberList } from './member-list';
import type { ShareError } from './sharing-port';
import type { Stamp } from './version-stamp';

/**
 * Structured outcomes of the engine's operations: what the command line prints as JSON and what the Sharing pane shows.
 * Field names follow issue 14 (ahead/behind, conflicts, last sync). Words are the presenter's business.
 */

/** `share identity`. */
export interface IdentityView {
  identity: string;
  deviceId: string;
  deviceName: string;
}

export interface RejectedFile {
  path: string;
  reason: RecordRejection | 'unexpected-file';
}

/** `share sync`, and the sync inside init / join / add-workspace / add-member / remove-member. */
export interface SyncOutcome {
  team: string;
  shareId: string;
  /** The remote commit this device is now at (null: nothing pushed yet). */
  commit: string | null;
  /** Record files written to the repository. */
  pushed: number;
  /** Local records created, changed or removed from what others wrote. */
  pulled: number;
  /** Records showing "two secrets: pick one" after this sync. */
  conflicts: number;
  /** Files refused (not validly signed by a current member, altered, ...): nothing local changed from them. */
  rejected: RejectedFile[];
  /** Records whose remote version was older than what this device had synced (replayed); ours was kept. */
  rolledBack: number;
  /** Members whose removal this sync learnt of (each raised "member removed" reminders). */
  membersRemoved: string[];
  remindersRaised: number;
  /** Push attempts (more than one: the remote moved on and we merged again). */
  attempts: number;
  lastSyncAt: string;
}

export interface MemberView {
  name: string;
  deviceId: string;
  deviceName: string;
  identity: string;
  addedAt: string;
  addedBy: string;
  /** This device. */
  you: boolean;
}

/** `share members`. */
export interface MembersView {
  team: string;
  shareId: string;
  /** The member list's version (each change adds one). */
  version: number;
  members: MemberView[];
}

/** `share status`: one entry per share. */
export interface ShareStatus {
  team: string;
  shareId: string;
  remote: string;
  members: number;
  workspaces: number;
  /** Local records changed since the last sync (to push). */
  ahead: number;
  /** Remote commits not merged yet (as of the last fetch, or a fresh one when asked). */
  behind: number;
  /** Records showing "two secrets: pick one". */
  conflicts: number;
  lastSyncAt: string | null;
  lastError: ShareError | null;
}

export interface MemberChangeOutcome {
  member: string;
  sync: SyncOutcome;
}

/** The engine's own bookkeeping inside ShareState.engine. */
export const engineStateSchema = z.object({
  v: z.literal(1),
  members: z.custom<MemberList>((x) => typeof x === 'object' && x !== null).nullable(),
  lastCommit: z.string().nullable(),
  clock: z.string().nullable(),
  /** The founding member list file (base64) until the first push landed. */
  founding: z.string().nullable(),
});
export type EngineState = z.infer<typeof engineStateSchema> & { members: MemberList | null; clock: Stamp | null };
