import type { ProviderKind } from '../../../shared/provider-capabilities';
import type { RotationPolicy } from '../../../shared/rotation-policy';
import type { TokenStatus } from '../../../shared/token-status';
/**
 * The public record types of the vault. Plain data: no key material ever appears here, and a secret only appears in
 * the return value of an explicit read (`vault.tokens.readSecret`, `vault.workspaces.adminCredential`, `vault.workspaces.login`).
 * Dates are ISO-8601 strings (UTC); `null` means "none" (for `expiresAt`: never expires).
 */

export type { ProviderKind } from '../../../shared/provider-capabilities';
export { TOKEN_STATUSES, type TokenStatus } from '../../../shared/token-status';
export type { RotationPolicy } from '../../../shared/rotation-policy';
export { TRASH_KEEP_DAYS, type RestoreOutcome, type TrashEntry, type TrashKind } from '../../../shared/trash';
export { DEFAULT_SETTINGS, type VaultSettings } from '../../../shared/vault-settings';
export type { ScryptParams } from '../crypto/vault-crypto';

export interface SyncError {
  /** An ErrorCode from src/shared/result.ts. */
  code: string;
  /** Safe to show; never a secret. */
  message: string;
}

export interface Workspace {
  id: string;
  kind: ProviderKind;
  name: string;
  baseUrl: string | null;
  username: string | null;
  /** For manual workspaces: where the user creates tokens by hand. */
  tokenPageUrl: string | null;
  /** Default for tokens of this workspace that have no policy of their own. */
  rotationPolicy: RotationPolicy | null;
  hasAdminCredential: boolean;
  /** A provider login (session token, cookie) is stored, so the next call need not log in again. */
  hasLogin: boolean;
  createdAt: string;
  updatedAt: string;
  lastSyncAt: string | null;
  lastSyncError: SyncError | null;
  /**
   * Set while a shared change moved the workspace to another origin and kept its stored admin credential: the
   * credential was given for `from` (an origin), so it is not sent to the new address until the user confirms it
   * there on this device (or enters another). `connection()` refuses meanwhile.
   */
  credentialHold: (CredentialHold & { /** The origin of the address now. */ to: string | null }) | null;
}

/** See Workspace.credentialHold. */
export interface CredentialHold {
  /** The origin the credential was given (or last confirmed) for; null: the workspace had no address. */
  from: string | null;
  /** When the move arrived (ISO). */
  at: string;
}

export interface NewWorkspace {
  kind: ProviderKind;
  name: string;
  baseUrl?: string | null;
  username?: string | null;
  tokenPageUrl?: string | null;
  rotationPolicy?: RotationPolicy | null;
  /** Encrypted at rest (an admin API token, or a password). */
  adminCredential?: string | null;
}

export type WorkspacePatch = Partial<Omit<NewWorkspace, 'kind'>> & {
  lastSyncAt?: string | null;
  lastSyncError?: SyncError | null;
  /**
   * Sharing only (a synced move that kept the credential). Any other write of the credential, and a move that drops
   * it, clear the hold: a credential the user enters is given for the address it is entered with.
   */
  credentialHold?: CredentialHold | null;
};

/** Everything about a token except its secret: what lists, search and the renderer see. */
export interface TokenSummary {
  id: string;
  workspaceId: string;
  /** The token's id at the remote service (clear: sync merges on it). Null for manual tokens. */
  remoteId: string | null;
  name: string;
  description: string | null;
  /** The visible start of the secret (e.g. `glpat-`), for recognising it. */
  prefix: string | null;
  /** Service-specific token type (e.g. `personal`, `project`, `read-only`). */
  type: string | null;
  scopes: string[];
  url: string | null;
  notes: string | null;
  hasSecret: boolean;
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  usageCount: number | null;
  /** The token's own policy; null = the workspace default applies. */
  rotationPolicy: RotationPolicy | null;
  lastRotatedAt: string | null;
  /** Overrides the warning ladder (days before expiry) for this token. */
  warningDays: number[] | null;
  snoozedUntil: string | null;
  /** Rotation link: the token that replaced this one / the one this one replaces. */
  replacedById: string | null;
  replacesId: string | null;
  updatedAt: string;
}

export interface NewToken {
  workspaceId: string;
  /** Defaults to a fresh UUID. */
  id?: string;
  remoteId?: string | null;
  name: string;
  description?: string | null;
  prefix?: string | null;
  type?: string | null;
  scopes?: string[];
  url?: string | null;
  notes?: string | null;
  /** The plaintext secret; omitted/null when the service never showed it (e.g. listed by sync). */
  secret?: string | null;
  status?: TokenStatus;
  createdAt?: string;
  expiresAt?: string | null;
  lastUsedAt?: string | null;
  usageCount?: number | null;
  rotationPolicy?: RotationPolicy | null;
  lastRotatedAt?: string | null;
  warningDays?: number[] | null;
  snoozedUntil?: string | null;
  replacedById?: string | null;
  replacesId?: string | null;
}

/** Fields that can change after insert (the secret goes through `setTokenSecret`). */
export type TokenPatch = Partial<Omit<NewToken, 'id' | 'secret' | 'workspaceId'>>;

/**
 * Many token writes for ONE workspace, applied by `vault.tokens.applyBatch` in a single transaction (all or nothing).
 * Inserts must name that workspace; updates must be tokens of it.
 */
export interface TokenBatch {
  insert?: NewToken[];
  update?: { id: string; patch: TokenPatch }[];
}

export interface TokenBatchOutcome {
  inserted: TokenSummary[];
  updated: TokenSummary[];
}

export interface TokenFilter {
  workspaceId?: string;
  status?: TokenStatus | TokenStatus[];
  /** Tokens whose expiresAt is on or before this instant (ISO). */
  expiresBefore?: string;
}

/**
 * The clear-text facts reminders need; readable while the vault is LOCKED (no names, nothing secret).
 */
export interface ReminderFacts {
  id: string;
  workspaceId: string;
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  lastRotatedAt: string | null;
  rotationPolicy: RotationPolicy | null;
  /** The workspace default, resolved here so callers need no second query. */
  workspaceRotationPolicy: RotationPolicy | null;
  warningDays: number[] | null;
  snoozedUntil: string | null;
  replacedById: string | null;
  /** Sharing: the latest removal of a member who could read this token (rotate it after that), or null. */
  memberRemovedAt: string | null;
  /** Sharing: two secrets were set concurrently on two devices; the user picks one. */
  secretConflict: boolean;
}

export const AUDIT_ACTIONS = [
  'created',
  'imported',
  'updated',
  'revealed',
  'copied',
  'rotated',
  'regenerated',
  'revoked',
  'activated',
  'deactivated',
  'synced',
  'removed',
  'secret-stored',
  // deployment targets (issue 13): a place added or removed, the secret written to the token's places
  'target-added',
  'target-removed',
  'deployed',
  /** Issue 15: the secret left the vault in an export file (KeePass, .env, CSV). */
  'exported',
  /** Issue 12: moved into the trash, put back from it, deleted from it for good. */
  'trashed',
  'restored',
  'purged',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  seq: number;
  at: string;
  action: AuditAction;
  tokenId: string | null;
  workspaceId: string | null;
  /** Who did it: 'app' | 'cli' | 'sync' | 'rotation' ... (clear). */
  actor: string;
  /** Free text, encrypted at rest; never a secret. */
  detail: string | null;
}

/**
 * The audit chain checked (issue 10 item 8): ok, or the first entry that breaks it: `changed` (its columns or MAC were
 * edited), `missing` (deleted, or the newest ones cut off), `extra` (not one Token Vault wrote).
 */
export type AuditCheck =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; problem: 'changed' | 'missing' | 'extra' };

export interface NewAuditEntry {
  action: AuditAction;
  tokenId?: string | null;
  workspaceId?: string | null;
  actor?: string;
  detail?: string | null;
}

/** One durable step of a rotation (issue 6). The payload is encrypted (it may hold a freshly issued secret). */
export interface JournalEntry {
  id: string;
  tokenId: string;
  step: string;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
}

/** "A notification for this threshold was already sent" (clear, usable while locked). */
export interface NotificationMarker {
  tokenId: string;
  /** e.g. 'expiry-30', 'expiry-7', 'rotation-due'. */
  threshold: string;
  sentAt: string;
}

/**
 * One token to import: a line of the bench/import dataset format (../shared/bench/gen-dataset.mjs), and what the
 * issue 15 readers (KeePass, 1Password, Bitwarden, .env, CSV) make of an entry.
 */
export interface ImportRecord {
  id?: string;
  workspace: string;
  name: string;
  secret?: string | null;
  prefix?: string | null;
  url?: string | null;
  notes?: string | null;
  createdAt?: string;
  expiresAt?: string | null;
  description?: string | null;
  scopes?: string[];
}

export interface ImportOutcome {
  inserted: number;
  skipped: number;
  workspacesCreated: number;
}

/**
 * When is a record already stored? 'id-or-name': its id, or a token of the same name in its workspace (the jsonl
 * import). 'id-or-name-and-secret': its id, or a token of the same name in its workspace whose secret is the same
 * (compared by a keyed fingerprint under the write lock; a same-name token with another secret is a new token).
 */
export type ImportMatch = 'id-or-name' | 'id-or-name-and-secret';
export type ImportRecordResult = 'inserted' | 'same-id' | 'same-name' | 'same-name-and-secret';

export interface DetailedImportOutcome extends ImportOutcome {
  /** One per record, in order: what happened to it and the token it is (new, or the one already stored). */
  results: { result: ImportRecordResult; tokenId: string }[];
}

/** A token and its secret, as an export file needs them. */
export interface ExportedToken {
  token: TokenSummary;
  secret: string | null;
}
