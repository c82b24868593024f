import { z } from 'zod';
import { MUTATES, returns } from './define-channel';

/** Why a file in a share's repository was refused (nothing local changed from it). */
export const RECORD_REJECTIONS = ['malformed', 'unknown-signer', 'bad-signature', 'stale-key', 'bad-payload', 'wrong-id'] as const;
export type RecordRejection = (typeof RECORD_REJECTIONS)[number];

/** A share's last error: a code from src/shared/result.ts and a message safe to show (never a secret or a remote). */
export interface ShareErrorDto {
  code: string;
  message: string;
}

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
  lastError: ShareErrorDto | null;
}

export interface MemberChangeOutcome {
  member: string;
  sync: SyncOutcome;
}


/** One share's sync result, or why it did not sync (`share sync` without a team, and each scheduled round). */
export type SyncAllResult = { team: string; ok: true; outcome: SyncOutcome } | { team: string; ok: false; error: ShareErrorDto };

/** The Sharing pane in one answer: statuses, members and which workspace is in which share. Never a secret. */
export interface SharingOverview {
  shares: ShareStatus[];
  members: MembersView[];
  /** workspace id -> team name, for marking shared workspaces in the sidebar. */
  sharedWorkspaces: Record<string, string>;
  /** Shared workspaces whose admin credential shows "two secrets: pick one" (Attention lists tokens only). */
  conflictedWorkspaces: string[];
}

/** `share:sync-state`: the teams whose sync runs now in the app (a scheduled round, Sync now, a join...). */
export interface ShareSyncState {
  syncing: string[];
}

export interface ShareEvents {
  /** A share's sync started or ended: the window marks its workspaces busy, then reads the overview again. */
  'share:sync-state': ShareSyncState;
}

/** One candidate of "two secrets: pick one": who set it and when, never the secret. */
export interface SecretCandidateDto {
  index: number;
  setBy: string;
  setAt: string;
}

const Id = z.string().min(1).max(100);
const Team = z.string().trim().min(1, 'Give the team a name.').max(200);
// A git remote: a path, ssh or https URL (main checks it further and never hands it back unredacted).
const Remote = z.string().trim().min(1, 'Give the git remote.').max(2048);
const MemberName = z.string().trim().min(1, 'Give the member a name.').max(100);

/**
 * share:* (issue 14): end-to-end encrypted sharing over git. Every channel that writes to the vault or the repository
 * is marked; the identity is made (and sealed in the vault) the first time it is asked for.
 */
export const shareChannels = {
  'share:get-identity': returns<IdentityView>().takes(z.undefined(), MUTATES),
  /** main copies this device's identity line to the clipboard (the page has no clipboard of its own). Public: no timer. */
  'share:copy-identity': returns<{ copied: true }>().takes(z.undefined(), MUTATES),
  'share:get-overview': returns<SharingOverview>().takes(z.undefined()),
  'share:init': returns<SyncOutcome>().takes(z.object({ remote: Remote, team: Team, workspaceIds: z.array(Id).max(500) }).strict(), MUTATES),
  'share:join': returns<SyncOutcome>().takes(z.object({ remote: Remote }).strict(), MUTATES),
  'share:add-member': returns<MemberChangeOutcome>().takes(z.object({ team: Team, name: MemberName, identity: z.string().trim().min(1).max(1000) }).strict(), MUTATES),
  'share:remove-member': returns<MemberChangeOutcome>().takes(z.object({ team: Team, name: MemberName }).strict(), MUTATES),
  'share:add-workspace': returns<SyncOutcome>().takes(z.object({ team: Team, workspaceId: Id }).strict(), MUTATES),
  /** Every share (the same round as the scheduler's, never a second one at once), or one team's. */
  'share:sync': returns<SyncAllResult[]>().takes(z.object({ team: Team.optional() }).strict(), MUTATES),
  'share:list-candidates': returns<SecretCandidateDto[]>().takes(z.object({ recordId: Id }).strict()),
  'share:pick-secret': returns<{ recordId: string }>().takes(z.object({ recordId: Id, index: z.number().int().min(0).max(50) }).strict(), MUTATES),
} as const;
