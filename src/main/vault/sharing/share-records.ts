import type { TokenSummary, Workspace } from '../db/vault-types';

/**
 * What the vault keeps for sharing (issue 14), and the interface through which the sharing engine
 * (src/main/use-cases/sharing, where it is called the SharingPort) talks to it. The engine owns the repository format, the
 * crypto and the merge; the vault owns storage. Everything here is plain data: the vault stores it, encrypted where
 * the comment says so, and gives it back exactly as it was put (a value read back must equal the value written, or
 * the engine sees a local edit that nobody made).
 *
 * What the vault must guarantee:
 * 1. `applySync` is ONE transaction (all of it or none of it, durable on return). Inside it, before writing, it
 *    checks every `expect` entry (the record's revision is still the one `readRecords` gave, or the record is still
 *    absent for `null`) and `expectShare` (the share's `engine` string is still the one read at the start); if one
 *    differs it writes nothing and throws AppFailure('share-local-changed'). The engine then syncs again from the
 *    start, so an edit made in the app while a sync ran is never overwritten and two syncing processes never lose
 *    each other's bookkeeping.
 * 2. `put` creates or replaces a record with exactly the given id, fields, secret and conflict state; workspaces are
 *    put before tokens, tokens are removed before workspaces. A put or remove changes the record's `revision`; so does
 *    every other write to the record (app, command line, provider sync).
 * 3. Record sync states outlive their records (a removed token keeps its state: it is the tombstone that stops the
 *    record coming back) and are dropped only through `states.drop` or `removeShare`. For every record the batch
 *    puts, the vault stores that record's NEW revision in its state's `revision` (the engine cannot know it); for the
 *    others it stores the revision the engine passed.
 * 4. Sealed at rest with the data key: the device's private keys, secrets, secret candidates, history values, the
 *    share's `remote` (it may carry credentials) and `engine`, and record `versions` (keyed digests of values).
 *    Clear (and cheap to list while a sync looks for what changed): ids, kinds, revisions, blob ids, the deleted and
 *    "two secrets" flags.
 * 5. `createDeviceKeys` and `saveShare` are compare-and-set: a second process racing the first keeps the first one's
 *    keys / share and is told so.
 *
 * Cost: a sync lists every record and every state through the cheap clear listings, and reads values and sealed
 * states only of the records that changed (locally: another revision; remotely: another blob). Only a member change
 * (everything is re-encrypted) reads them all.
 */

export const SHARED_RECORD_KINDS = ['workspace', 'token'] as const;
export type SharedRecordKind = (typeof SHARED_RECORD_KINDS)[number];

/**
 * The fields of a workspace that travel with a share. Its secret is the admin credential. The sharing engine checks
 * what a remote gives it against its schema (use-cases/sharing/shared-fields.ts, checked there to be this shape): the
 * vault keeps zod out of what it loads, so `run` and every other command pay for it only when they parse.
 */
export type SharedWorkspaceFields = Pick<Workspace, 'kind' | 'name' | 'baseUrl' | 'username' | 'tokenPageUrl' | 'rotationPolicy'>;

/**
 * The fields of a token that travel with a share. Its secret is the token itself. `snoozedUntil` stays local: a
 * snooze is one person's choice, not the team's.
 */
export type SharedTokenFields = Pick<
  TokenSummary,
  | 'workspaceId'
  | 'remoteId'
  | 'name'
  | 'description'
  | 'prefix'
  | 'type'
  | 'scopes'
  | 'url'
  | 'notes'
  | 'status'
  | 'createdAt'
  | 'expiresAt'
  | 'lastUsedAt'
  | 'usageCount'
  | 'rotationPolicy'
  | 'lastRotatedAt'
  | 'warningDays'
  | 'replacedById'
  | 'replacesId'
>;

/** One of two (or more) secrets set concurrently on different devices; the user picks one. */
export interface SecretCandidate {
  secret: string;
  /** When it was set (ISO), and by which member (their name in the member list, else the device id). */
  setAt: string;
  setBy: string;
}

interface RecordValues<K extends SharedRecordKind, F> {
  kind: K;
  id: string;
  fields: F;
  secret: string | null;
  /** Non-null while the record shows "two secrets: pick one"; `secret` then holds the newest candidate. */
  secretConflict: SecretCandidate[] | null;
}
export type SharedRecordValues = RecordValues<'workspace', SharedWorkspaceFields> | RecordValues<'token', SharedTokenFields>;

/** A record as the vault holds it now. */
export type LocalRecord = SharedRecordValues & {
  /** Changes on every write to the record (e.g. a row generation). */
  revision: string;
  /** When the record was last changed locally (ISO): the time a local edit is stamped with. */
  updatedAt: string;
};

/** What the vault can list cheaply (clear columns, nothing decrypted) about a record. */
export interface RecordRef {
  kind: SharedRecordKind;
  id: string;
  revision: string;
  /** The record shows "two secrets: pick one". */
  secretConflict: boolean;
}

/** A value that lost a merge (or a secret not picked), kept so nothing a member typed is silently gone. */
export interface HistoryEntry {
  /** A field name, or 'secret'. */
  field: string;
  value: unknown;
  /** When the losing value was written (ISO), and by which device. */
  at: string;
  by: string;
  /** The version stamp of the losing value (identifies the entry across devices). */
  stamp: string;
}

/** The clear part of a record's sync state. */
export interface SyncRef {
  recordId: string;
  kind: SharedRecordKind;
  /** The record's revision when it was last synced (see guarantee 3); null while it has none locally. */
  revision: string | null;
  /** Git blob id of the record's file as last merged; null before it was ever in the repository. */
  blob: string | null;
  /** The record was deleted (this state is its tombstone). */
  deleted: boolean;
}

export interface RecordSyncState extends SyncRef {
  /** Engine-owned version state (per-field stamps and keyed digests), JSON. Sealed at rest. */
  versions: string;
  /** Values that lost a merge, oldest first, bounded by the engine. Sealed at rest; shown with the record. */
  history: HistoryEntry[];
}

export interface ShareError {
  /** An ErrorCode from src/shared/result.ts. */
  code: string;
  /** Safe to show; never a secret. */
  message: string;
}

/** One share this vault takes part in. */
export interface ShareState {
  shareId: string;
  /** The team name (local label, also carried encrypted in the member list). */
  team: string;
  /** The git remote. Sealed at rest: it may carry credentials. */
  remote: string;
  /** Local workspaces that belong to this share (a workspace belongs to at most one share). */
  workspaceIds: string[];
  lastSyncAt: string | null;
  lastError: ShareError | null;
  /** Engine-owned bookkeeping (verified member list, last merged commit, clock), JSON. Sealed at rest. */
  engine: string;
}

/** "A member who could read this token was removed": a rotation reminder with its own reason. */
export interface MemberRemovedMark {
  tokenId: string;
  /** The removed member's name. */
  member: string;
  at: string;
}

export interface SyncBatch {
  /** The share's `engine` string as read when this sync started (null: the share must not exist yet). */
  expectShare: string | null;
  share: ShareState;
  /** Revisions the records must still have (null: still absent). */
  expect: { id: string; revision: string | null }[];
  put: SharedRecordValues[];
  remove: { kind: SharedRecordKind; id: string }[];
  states: { put: RecordSyncState[]; drop: string[] };
  reminders: MemberRemovedMark[];
}

/** This device's keys. The private halves are sealed by the data key at rest. */
export interface DeviceKeys {
  deviceId: string;
  deviceName: string;
  /** Raw 32-byte private keys, base64. */
  x25519Private: string;
  ed25519Private: string;
  createdAt: string;
}

export interface VaultSharing {
  readDeviceKeys(): DeviceKeys | null;
  /** Stores the keys unless some exist; returns the keys that are stored now (the first writer's). */
  createDeviceKeys(keys: DeviceKeys): DeviceKeys;

  listShares(): ShareState[];
  /** Compare-and-set on `engine`: `expectEngine` null means "must not exist yet". */
  saveShare(share: ShareState, expectEngine: string | null): void;
  /** Forgets the share and its record sync states (not the records). */
  removeShare(shareId: string): void;

  /** Every workspace with these ids and every token of them: the clear facts only. */
  listRecords(workspaceIds: readonly string[]): RecordRef[];
  /** The values of these records (those that exist), as they are now. */
  readRecords(ids: readonly string[]): LocalRecord[];
  /** The clear part of every record sync state of one share. */
  listSyncRefs(shareId: string): SyncRef[];
  /** The whole sync states of these records (those that exist). */
  readSyncStates(shareId: string, ids: readonly string[]): RecordSyncState[];
  /** One sync, all or nothing; see the guarantees above. */
  applySync(shareId: string, batch: SyncBatch): void;

  /**
   * The user picked one of the candidates: the record's secret becomes `secret`, its conflict is cleared and the
   * candidates not picked are appended to the record's history, in one transaction, if the record is still at
   * `expectRevision` (else AppFailure('share-local-changed')).
   */
  resolveSecretConflict(shareId: string, recordId: string, secret: string, expectRevision: string, history: HistoryEntry[]): void;
}
