import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { MAX_SECRET_CHARS } from '../../../shared/issued-secret';
import { AppFailure } from '../../errors';
import { prefixOfSecret } from '../../../shared/token-prefix';
import type { ImportRecord } from '../../vault';
import { readInputFile } from './transfer-files';
import type { ImportVault } from './transfer-ports';
import type { ImportPreview } from '../../../shared/transfer';
import type { FileImportFormat, ImportReport, ReadResult, SkippedEntry, SourceEntry } from './transfer-types';

export type FileFormat = FileImportFormat;

export interface ImportInput {
  format: FileFormat;
  path: string;
  /** Every token goes into this workspace (created as a manual one if new) instead of the file's groups. */
  workspace?: string;
  /** The KeePass database password (asked only for kdbx). */
  password?: () => Promise<string>;
  actor?: string;
}

/**
 * Reads a file into entries (nothing is written): the preview step, and the first half of an import.
 * Each format's reader (and its libraries: kdbxweb + hash-wasm, fflate, csv-parse, dotenv) is loaded only when
 * a file of that format is read: a command-line import starts a whole process, and loading every parser cost it
 * about a sixth of its time.
 */
export async function readImportFile(format: FileFormat, path: string, password?: () => Promise<string>): Promise<ReadResult & { kdfMs: number }> {
  const file = readInputFile(path);
  try {
    switch (format) {
      case 'kdbx': {
        const [{ readKdbx }, pw] = await Promise.all([import('./formats/kdbx-reader'), password ? password() : Promise.resolve('')]);
        return await readKdbx(file, pw);
      }
      case '1pux':
        return { ...(await import('./formats/onepux-reader')).read1pux(file), kdfMs: 0 };
      case '1password-csv':
        return { ...(await import('./formats/csv-readers')).read1PasswordCsv(file.toString('utf8')), kdfMs: 0 };
      case 'bitwarden-json':
        return { ...(await import('./formats/bitwarden-json-reader')).readBitwardenJson(file.toString('utf8')), kdfMs: 0 };
      case 'dotenv':
        return { ...(await import('./formats/dotenv-reader')).readDotenv(file), kdfMs: 0 };
      case 'csv':
        return { ...(await import('./formats/csv-readers')).readCsv(file.toString('utf8')), kdfMs: 0 };
    }
  } finally {
    file.fill(0);
  }
}

/**
 * Imports a password-manager export or a .env / CSV file in ONE vault transaction. Nothing is stored twice: an
 * entry whose source id was imported before, or whose name and secret a token of its workspace already has, is
 * skipped and reported (so running it again adds nothing). Entries the file cannot hand over are reported too.
 */
export async function importFile(vault: ImportVault, input: ImportInput): Promise<ImportReport> {
  return importRead(vault, input, await readImportFile(input.format, input.path, input.password));
}

/** The second half of an import, for callers that read the file first (before opening the vault). */
export function importRead(vault: ImportVault, input: Omit<ImportInput, 'password'>, read: ReadResult & { kdfMs: number }): ImportReport {
  return decide(vault, input, read, false).report;
}

/**
 * What importing a file already read would do, decided exactly as the import decides (same transaction rules,
 * same duplicate matching) and writing nothing: the window shows it before the user confirms. Names, never secrets.
 */
export function previewRead(vault: ImportVault & PreviewVault, input: Omit<ImportInput, 'password'>, read: ReadResult & { kdfMs: number }): ImportPreview {
  const { report, records, results } = decide(vault, input, read, true);
  const known = new Map<string, boolean>();
  const isNew = (name: string) => {
    if (!known.has(name)) known.set(name, vault.workspaces.findByName(name) === undefined);
    return known.get(name) ?? false;
  };
  const entries: ImportPreview['entries'] = [];
  results.forEach((r, i) => {
    const rec = records[i];
    if (r.result === 'inserted' && rec) entries.push({ name: rec.name, workspace: rec.workspace, newWorkspace: isNew(rec.workspace) });
  });
  return { ...report, entries };
}

/** What the preview needs besides the import: whether a workspace of that name is already there. */
export interface PreviewVault {
  workspaces: { findByName(name: string): unknown };
}

function decide(vault: ImportVault, input: Omit<ImportInput, 'password'>, read: ReadResult & { kdfMs: number }, dryRun: boolean) {
  // Checked before anything is written: the import is one transaction, refused whole.
  const huge = read.entries.find((e) => e.secret !== null && e.secret.length > MAX_SECRET_CHARS);
  if (huge)
    throw new AppFailure(
      'invalid-argument',
      `${huge.where}${huge.title ? ` (${huge.title})` : ''}: the secret is ${huge.secret?.length ?? 0} characters; at most ${MAX_SECRET_CHARS} are stored. Nothing was imported.`,
    );
  const records = toImportRecords(read.entries, {
    format: input.format,
    ...(input.workspace ? { workspace: input.workspace } : {}),
    defaultWorkspace: defaultWorkspaceFor(input.path),
  });
  const outcome = vault.transfer.import(records, { actor: input.actor ?? 'import', match: 'id-or-name-and-secret', ...(dryRun ? { dryRun } : {}) });
  const inserted = new Set(outcome.results.filter((r) => r.result === 'inserted').map((r) => r.tokenId));
  const skipped: SkippedEntry[] = [...read.skipped];
  outcome.results.forEach((r, i) => {
    const entry = read.entries[i];
    if (r.result === 'inserted' || !entry) return;
    const reason = inserted.has(r.tokenId) ? 'duplicate-in-file' : r.result === 'same-id' ? 'already-imported' : 'already-stored';
    skipped.push({ where: entry.where, name: records[i]?.name ?? null, reason });
  });
  const report: ImportReport = {
    format: input.format,
    total: read.entries.length + read.skipped.length,
    inserted: outcome.inserted,
    workspacesCreated: outcome.workspacesCreated,
    skipped,
    kdfMs: Math.round(read.kdfMs),
  };
  return { report, records, results: outcome.results };
}

const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/** The documented mapping (transfer-types.ts) from what a reader found to the vault's import record. */
export function toImportRecords(
  entries: SourceEntry[],
  options: { format: FileFormat; workspace?: string; defaultWorkspace: string },
): ImportRecord[] {
  return entries.map((e) => {
    const groups = e.groups.map((g) => g.replace(/\//g, '-').trim()).filter(Boolean);
    const workspace = options.workspace ?? (groups.length ? groups.join(' - ') : options.defaultWorkspace);
    const name = e.title.trim() || e.username?.trim() || hostOf(e.url) || 'untitled';
    const record: ImportRecord = {
      workspace: clip(workspace, 120),
      name: clip(name.replace(/[\r\n]+/g, ' '), 255),
      secret: e.secret,
      prefix: e.secret ? prefixOfSecret(e.secret) : null,
      description: e.username ? clip(e.username, 1000) : null,
      url: e.url ? clip(e.url, 2048) : null,
      notes: e.notes,
      scopes: e.tags.slice(0, 100).map((t) => clip(t, 200)),
      expiresAt: e.expiresAt,
      ...(e.createdAt ? { createdAt: e.createdAt } : {}),
    };
    const id = tokenIdFor(options.format, e.sourceId);
    if (id) record.id = id;
    return record;
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A source id as a token id: a UUID as is, any other id through a name-based UUID (SHA-256, RFC 9562 version 8). */
export function tokenIdFor(format: FileFormat, sourceId: string | null): string | undefined {
  if (!sourceId) return undefined;
  if (UUID.test(sourceId)) return sourceId.toLowerCase();
  const b = createHash('sha256').update(`Token Vault import\u0000${format}\u0000${sourceId}`).digest().subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x80;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

/** Where a file's top-level entries go: `api.env` -> "api"; `.env` (a dotfile) -> its folder's name. */
export function defaultWorkspaceFor(path: string): string {
  const base = basename(path);
  const stem = base.startsWith('.') ? '' : base.replace(/\.[^.]*$/, '');
  return clip(stem || basename(dirname(path)) || 'imported', 120);
}
