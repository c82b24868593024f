/**
 * Moving tokens in and out of the vault (issue 15): the file formats, what a reader finds in a file, and what an
 * import or export reports. Codes only: the command line and the window choose the words.
 *
 * How a password-manager entry becomes a token (one mapping for every format, and back for the KeePass export):
 *   title     -> name          (empty: the username, else the URL's host, else "untitled")
 *   username  -> description   (the one line shown beside a token's name; exported back as the KeePass UserName)
 *   password  -> secret        (a 1Password API credential's "credential", a Bitwarden hidden field if no password)
 *   URL       -> url           (the first one)
 *   notes     -> notes
 *   expiry    -> expiresAt     (KeePass Times/Expires; 1Password "expires"; a field or column named expires/expiry)
 *   tags      -> scopes        (Token Vault has no tags: the scopes list is a token's labels, shown and searched with
 *                               it, exported as KeePass tags; imported tokens have no remote id, so these never reach
 *                               a service's create call)
 *   created   -> createdAt
 *   group / vault / folder -> workspace (nested groups joined with " - "), unless the user names one
 *   entry UUID / item id   -> the token id (a UUID as is, other ids through a name-based UUID): the same entry
 *                             imported again is recognised by it
 * A token's prefix is the visible start of its secret (src/shared/token-prefix.ts, the one rule for every fresh secret).
 */

export { IMPORT_FORMATS, FILE_IMPORT_FORMATS, SKIP_REASONS } from '../../../shared/transfer';
export type { ImportFormat, FileImportFormat, SkipReason, SkippedEntry, ImportReport } from '../../../shared/transfer';
import type { SkippedEntry } from '../../../shared/transfer';

export const EXPORT_FORMATS = ['kdbx', 'dotenv', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats that hold secrets in clear: written only when the user says so, mode 0600, never over a file unasked. */
export const PLAINTEXT_EXPORT_FORMATS: readonly ExportFormat[] = ['dotenv', 'csv'];

/** One credential as a reader found it in a file, before it becomes the vault's ImportRecord. */
export interface SourceEntry {
  /** The entry's own id in its file (KeePass UUID, 1Password item uuid, Bitwarden id); null when it has none. */
  sourceId: string | null;
  /** Where it sits: KeePass groups below the root, the 1Password vault, the Bitwarden folder; [] = top level. */
  groups: string[];
  title: string;
  username: string | null;
  secret: string | null;
  url: string | null;
  notes: string | null;
  tags: string[];
  createdAt: string | null;
  expiresAt: string | null;
  /** For reports only: "line 4", "entry 12", "item 3" - never a secret. */
  where: string;
}

/** What a reader hands back: the entries to import and those it left out, with why. */
export interface ReadResult {
  entries: SourceEntry[];
  skipped: SkippedEntry[];
}

export interface ExportReport {
  format: ExportFormat;
  path: string;
  tokens: number;
  workspaces: number;
  /** Tokens written without a secret (the vault never held one, e.g. listed by a sync). */
  withoutSecret: number;
  /** Tokens left out of a plaintext file, with why (e.g. a value .env cannot quote). */
  skipped: { name: string; reason: 'cannot-quote' }[];
  kdfMs: number;
}
