import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { FoundTokenAdded, ScanFinding, ScanProgress, ScanResult, ScanTargetSuggestion } from '../../../shared/ipc/scan-channels';
import type { SuggestedTarget } from '../../../shared/scan';
import { AppFailure } from '../../errors';
import type { Vault } from '../../vault';
import { formatReference } from '../references/secret-reference';
import { TargetService } from '../targets';
import { addPastedToken } from '../tokens/token-operations';
import { candidateLength, ISSUER_PREFIXES } from './issuer-prefixes';
import { readScannedFile, type FileIdentity, type ScanRoot, type UnknownTokenHit } from './secret-scanner';
import { suggestTarget } from './target-suggestion';
import { homeFileRoots, linkFindings, suggestTargetFor, VaultScan, type StoredFinding } from './vault-scan';

/** Findings of each kind listed to the window; past that a folder is better scanned in parts. */
export const MAX_LISTED = 1000;

/** `shown`: the file's path as the window sees it (VaultScan.conceal); `finding.file` and `hit.file` stay the real one. */
type StoredEntry = { kind: 'stored'; finding: StoredFinding; target: SuggestedTarget | null; shown: string };
type UnknownEntry = { kind: 'unknown'; hit: UnknownTokenHit; target: SuggestedTarget | null; suggestedName: string; shown: string };

export interface ScanSessionOptions {
  /** The user's home folder, for the well-known files. */
  home: string;
  onProgress(progress: ScanProgress): void;
}

/**
 * The window's scans: the folder the user picked (kept here behind an id, as chosen import files are), the one scan
 * running (a new one stops it), and the last scan's findings behind ids, so the window's actions name a finding and
 * never a path or a secret. An unknown token is read from its file again when the user adds it: nothing found is
 * held in memory, and a file changed since the scan is refused rather than guessed at. `forget()` on lock.
 */
export class ScanSession {
  private readonly folders = new Map<string, string>();
  private findings = new Map<string, StoredEntry | UnknownEntry>();
  private running: AbortController | null = null;

  constructor(private readonly options: ScanSessionOptions) {}

  chooseFolder(path: string): { folderId: string; path: string } {
    const folderId = randomUUID();
    // Only the newest pick is needed (the view shows one folder).
    this.folders.clear();
    this.folders.set(folderId, path);
    return { folderId, path };
  }

  async start(vault: Vault, input: { folderId: string; homeFiles?: boolean | undefined }): Promise<ScanResult> {
    const folder = this.folders.get(input.folderId);
    if (!folder) throw new AppFailure('not-found', 'Choose the folder again: Token Vault no longer knows which folder it was.');
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.findings = new Map();
    const roots: ScanRoot[] = [{ path: folder }, ...(input.homeFiles ? homeFileRoots(this.options.home) : [])];
    try {
      const scan = new VaultScan(vault);
      const result = await scan.runInSlices(roots, { signal: controller.signal, onProgress: (p) => this.options.onProgress(p) });
      // A scan stopped by a newer one, or by the lock, leaves no findings behind.
      if (this.running !== controller) return { findings: [], unlisted: 0, skipped: [], filesScanned: result.filesScanned, bytesScanned: result.bytesScanned, binaryFiles: result.binaryFiles, cancelled: true };
      // Every path and name shown is concealed at once: the scan (and the secrets it holds) is not kept past here.
      const { conceal } = scan;
      const targets = new TargetService({ vault, actor: 'app' });
      // Each file is read once however many findings it holds.
      const files = new Map<string, { buf: Buffer; text: string } | null>();
      const fileOf = (file: string) => {
        if (!files.has(file)) {
          const buf = readOrNull(file);
          files.set(file, buf ? { buf, text: buf.toString('utf8') } : null);
        }
        return files.get(file) ?? null;
      };
      const findings: ScanFinding[] = [];
      const listed = { stored: result.found.slice(0, MAX_LISTED), unknown: result.unknown.slice(0, MAX_LISTED) };
      for (const finding of listed.stored) {
        const target = suggestTargetFor(vault, finding, (file) => fileOf(file)?.text ?? '');
        const id = randomUUID();
        const entry: StoredEntry = { kind: 'stored', finding, target, shown: conceal(finding.file) };
        this.findings.set(id, entry);
        findings.push(storedDto(id, entry, target !== null && targets.linkedTarget(finding.tokenId, target) !== undefined));
      }
      for (const hit of listed.unknown) {
        const { target, suggestedName: named } = describeUnknown(hit, fileOf(hit.file));
        const suggestedName = conceal(named);
        const id = randomUUID();
        const shown = conceal(hit.file);
        this.findings.set(id, { kind: 'unknown', hit, target, suggestedName, shown });
        findings.push({ kind: 'unknown', id, file: shown, line: hit.line, prefix: hit.prefix, issuer: hit.issuer, length: hit.length, suggestedName, target: dtoTarget(target) });
      }
      const unlisted = result.found.length + result.unknown.length - findings.length;
      const skipped = result.skipped.map((skip) => ({ ...skip, path: conceal(skip.path) }));
      return { findings, unlisted, skipped, filesScanned: result.filesScanned, bytesScanned: result.bytesScanned, binaryFiles: result.binaryFiles, cancelled: result.cancelled };
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  cancel(): { cancelled: boolean } {
    if (!this.running) return { cancelled: false };
    this.running.abort();
    return { cancelled: true };
  }

  async addTarget(vault: Vault, findingId: string): Promise<Extract<ScanFinding, { kind: 'stored' }>> {
    const entry = this.entry(findingId);
    if (entry.kind !== 'stored') throw new AppFailure('invalid-argument', 'This token is not in the vault yet: add it first.');
    const [outcome] = await linkFindings(vault, [entry.finding], 'app');
    if (!outcome || outcome.status === 'unknown-format')
      throw new AppFailure('unsupported', 'Token Vault cannot tell where in this file the token is kept; add the place by hand in the token\'s details.');
    if (outcome.status === 'failed') throw new AppFailure(asCode(outcome.code), outcome.message);
    entry.target = outcome.target;
    return storedDto(findingId, entry, true);
  }

  /** Stores an unknown token from its file (read again now) as a pasted token; the finding becomes a stored one. */
  async addToVault(
    vault: Vault,
    input: { findingId: string; workspaceId: string; name: string; description?: string | undefined; expiresAt?: string | null | undefined; linkAsTarget?: boolean | undefined },
  ): Promise<FoundTokenAdded> {
    const entry = this.entry(input.findingId);
    if (entry.kind !== 'unknown') throw new AppFailure('already-exists', 'This token is already in the vault.');
    const secret = readFoundToken(entry.hit);
    const token = addPastedToken(vault, {
      workspaceId: input.workspaceId,
      name: input.name,
      secret,
      ...(input.description ? { description: input.description } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    });
    const workspace = vault.workspaces.get(token.workspaceId).name;
    const finding: StoredFinding = {
      file: entry.hit.file,
      line: entry.hit.line,
      reference: formatReference(workspace, token.name),
      tokenId: token.id,
      workspace,
      token: token.name,
      encoding: 'exact',
    };
    const stored: StoredEntry = { kind: 'stored', finding, target: entry.target, shown: entry.shown };
    this.findings.set(input.findingId, stored);
    if (!input.linkAsTarget || !entry.target) return { tokenId: token.id, finding: storedDto(input.findingId, stored, false) };
    try {
      return { tokenId: token.id, finding: await this.addTarget(vault, input.findingId) };
    } catch (error) {
      // The token is stored either way; the window says why the place was not linked.
      if (!(error instanceof AppFailure)) throw error;
      return { tokenId: token.id, finding: storedDto(input.findingId, stored, false), linkFailure: { code: error.code, message: error.message } };
    }
  }

  /** Stops a running scan and drops every finding and chosen folder (the vault locked). */
  forget(): void {
    this.running?.abort();
    this.running = null;
    this.findings = new Map();
    this.folders.clear();
  }

  private entry(findingId: string): StoredEntry | UnknownEntry {
    const entry = this.findings.get(findingId);
    if (!entry) throw new AppFailure('not-found', 'Scan again: Token Vault no longer holds that finding.');
    return entry;
  }
}

const asCode = (code: string): AppFailure['code'] => code as AppFailure['code'];

const dtoTarget = (t: SuggestedTarget | null): ScanTargetSuggestion | null => (t ? { format: t.format, key: t.key, ...(t.user !== undefined ? { user: t.user } : {}) } : null);

function storedDto(id: string, { finding: f, target, shown }: StoredEntry, linked: boolean): Extract<ScanFinding, { kind: 'stored' }> {
  return { kind: 'stored', id, file: shown, line: f.line, tokenId: f.tokenId, workspace: f.workspace, token: f.token, reference: f.reference, encoding: f.encoding, target: dtoTarget(target), linked };
}

/** The file as it is now, whole (up to the scan's size limit); with `identity`, only the file the scan read. */
function readCapped(file: string, identity?: FileIdentity): Buffer {
  let buf: Buffer | null;
  try {
    buf = readScannedFile(file, identity);
  } catch {
    throw new AppFailure('not-found', 'The file the token was found in cannot be read any more.');
  }
  if (buf === null) throw fileChanged();
  return buf;
}

const fileChanged = () => new AppFailure('file-changed', 'The file changed since the scan: the token is no longer where it was found. Scan again.');

/**
 * The unknown token at the place the scan found it, checked to be the same token still (the issuer's prefix at
 * that offset, the same length, on the same line); otherwise the file changed and the user scans again.
 */
export function foundTokenIn(buf: Buffer, hit: UnknownTokenHit): string {
  const prefix = ISSUER_PREFIXES.find((p) => p.prefix === hit.prefix && p.issuer === hit.issuer);
  const end = hit.offset + hit.prefix.length;
  if (!prefix || end > buf.length || buf.toString('latin1', hit.offset, end) !== prefix.prefix) throw fileChanged();
  if (candidateLength(buf, hit.offset, end, buf.length, prefix) !== hit.length) throw fileChanged();
  let line = 1;
  for (let i = buf.indexOf(10); i >= 0 && i < hit.offset; i = buf.indexOf(10, i + 1)) line++;
  if (line !== hit.line) throw fileChanged();
  return buf.toString('latin1', hit.offset, hit.offset + hit.length);
}

/** Reads an unknown token from its file again, now (main only: it goes into the vault, never to the window). */
export const readFoundToken = (hit: UnknownTokenHit): string => foundTokenIn(readCapped(hit.file, hit.identity), hit);

function readOrNull(file: string): Buffer | null {
  try {
    return readCapped(file);
  } catch {
    return null; // changed or gone since the scan
  }
}

/** Where an unknown token sits (its variable or key, when the file is a known format) and a name for it. */
function describeUnknown(hit: UnknownTokenHit, file: { buf: Buffer; text: string } | null): { target: SuggestedTarget | null; suggestedName: string } {
  let target: SuggestedTarget | null = null;
  try {
    if (file) target = suggestTarget(hit.file, file.text, hit.line, foundTokenIn(file.buf, hit));
  } catch {
    /* changed since the scan: no suggestion */
  }
  return { target, suggestedName: (nameOfKey(target) || basename(hit.file)).slice(0, 255) };
}

/** NPM_TOKEN, registry.npmjs.org, or the last part of a JSON/YAML path. */
function nameOfKey(target: SuggestedTarget | null): string {
  if (!target) return '';
  switch (target.format) {
    case 'npmrc':
    case 'docker':
      return target.key.replace(/^(\/\/|https?:\/\/)/, '').replace(/\/.*$/, '');
    case 'dotenv':
      return target.key;
    case 'json':
    case 'yaml':
      return target.key.split('.').pop() ?? target.key;
    default:
      return target.format satisfies never;
  }
}
