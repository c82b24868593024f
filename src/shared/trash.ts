import type { ProviderKind } from './provider-capabilities';

/**
 * The trash: a deleted token or workspace is kept this many days (its secrets still encrypted in the vault), can be
 * restored until then, and is purged after. One definition for the vault, the command line and the window.
 */
export const TRASH_KEEP_DAYS = 30;

export const TRASH_KINDS = ['token', 'workspace'] as const;
export type TrashKind = (typeof TRASH_KINDS)[number];

/** One item in the trash, as lists show it: never a secret. */
export interface TrashEntry {
  id: string;
  kind: TrashKind;
  /** The token's or the workspace's id before it was deleted (a restore brings it back under the same id). */
  originalId: string;
  /** The token's name, or the workspace's. */
  name: string;
  /** The token's workspace (for a workspace: its own name). */
  workspaceName: string;
  providerKind: ProviderKind;
  /** For a workspace: the tokens that went with it. For a token: 1. */
  tokenCount: number;
  /** How many of them held a secret (kept encrypted in the trash). */
  secretCount: number;
  deletedAt: string;
  /** From this instant on, the entry is purged (deletedAt + TRASH_KEEP_DAYS). */
  purgeAt: string;
}

/** What a restore did. A restore never renames: a name taken meanwhile is refused and the entry stays. */
export interface RestoreOutcome {
  kind: TrashKind;
  /** The restored token's or workspace's id. */
  id: string;
  name: string;
  workspaceName: string;
  tokenCount: number;
}
