/**
 * Moving tokens into the vault (issue 15), as both sides see it: the formats, why an entry was left out, what an
 * import reports and what its preview shows. Codes only: the command line and the window choose the words.
 * The readers and the mapping from a file's entry to a token live in src/main/use-cases/transfer/.
 */

export const IMPORT_FORMATS = ['jsonl', 'kdbx', '1pux', '1password-csv', 'bitwarden-json', 'dotenv', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The password managers' and plain files' formats (jsonl is Token Vault's own dataset format, command line only). */
export const FILE_IMPORT_FORMATS = ['kdbx', '1pux', '1password-csv', 'bitwarden-json', 'dotenv', 'csv'] as const satisfies readonly ImportFormat[];
export type FileImportFormat = (typeof FILE_IMPORT_FORMATS)[number];

export const SKIP_REASONS = [
  /** No password / credential / value to store. */
  'no-secret',
  /** A kind of item that holds no token (credit card, identity, secure note, document, KeePass template). */
  'not-a-credential',
  /** In the KeePass recycle bin, or a 1Password / Bitwarden item in the trash. */
  'deleted',
  /** A row or item the format cannot make sense of (named by `where`). */
  'malformed',
  /** Its source id is already in the vault: imported before. */
  'already-imported',
  /** A token of the same name and the same secret is already in the workspace. */
  'already-stored',
  /** The same token appears earlier in this file. */
  'duplicate-in-file',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface SkippedEntry {
  where: string;
  /** The entry's title or variable name when it has one (never a secret). */
  name: string | null;
  reason: SkipReason;
}

export interface ImportReport {
  format: ImportFormat;
  /** Entries the file held (imported + skipped). */
  total: number;
  inserted: number;
  workspacesCreated: number;
  skipped: SkippedEntry[];
  /** Time spent deriving the file's key (KeePass KDF), reported apart from the rest. */
  kdfMs: number;
}

/** What an import would do, worked out against the vault without writing anything: names and places, never a secret. */
export interface ImportPreview extends ImportReport {
  /** The tokens that would be added: name, workspace, and whether that workspace would be created. */
  entries: { name: string; workspace: string; newWorkspace: boolean }[];
}

/** Guesses a file's format from its name (the user can change it); null when the name says nothing. */
export function guessImportFormat(fileName: string): FileImportFormat | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.kdbx')) return 'kdbx';
  if (name.endsWith('.1pux')) return '1pux';
  if (name === '.env' || name.endsWith('.env') || name.startsWith('.env.')) return 'dotenv';
  if (name.endsWith('.json')) return 'bitwarden-json';
  if (name.endsWith('.csv')) return name.includes('1password') ? '1password-csv' : 'csv';
  return null;
}
