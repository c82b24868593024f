import { join } from 'node:path';
import type { Vault } from '../../vault';
import { formatReference } from '../references/secret-reference';
import { TargetService } from '../targets';
import type { SecretEncoding } from './secret-encodings';
import { readScannedFile, SecretScanner, type ScanReport, type ScanRoot, type ScanSecret, type SkipReason, type UnknownTokenHit } from './secret-scanner';
import { suggestTarget, type SuggestedTarget } from './target-suggestion';

/**
 * `scan` over the vault, shared by the command line and the window: which stored secrets sit in which files, and
 * which likely tokens are not in the vault. The secrets are compared here and never leave: a finding names the
 * token (workspace, name, reference), the file and the line.
 */

/** The home files scanned besides the tree (the command line with no PATH, the window when asked). */
export const WELL_KNOWN_HOME_FILES = ['.npmrc', '.docker/config.json', '.config/gh/hosts.yml', '.netrc', '.kube/config'] as const;

/** The well-known home files as optional roots: followed when a symlink, silently absent when missing. */
export const homeFileRoots = (home: string): ScanRoot[] => WELL_KNOWN_HOME_FILES.map((f) => ({ path: join(home, f), optional: true }));

/** A place holding a stored secret. */
export interface StoredFinding {
  file: string;
  line: number;
  reference: string;
  tokenId: string;
  workspace: string;
  token: string;
  encoding: SecretEncoding;
}

export interface VaultScanResult {
  /** Sorted by file, then line. */
  found: StoredFinding[];
  /** Likely tokens not in the vault, sorted by file, then line; `offset` stays main-side. */
  unknown: UnknownTokenHit[];
  /** Sorted by path. */
  skipped: { path: string; reason: SkipReason }[];
  filesScanned: number;
  bytesScanned: number;
  binaryFiles: number;
}

/** What the scan has done so far, for a progress line (no names, no secrets). */
export interface VaultScanProgress {
  filesScanned: number;
  bytesScanned: number;
  found: number;
  unknown: number;
}

export interface ScanInSlicesOptions {
  /** Stops the scan between two files; the result then holds what was found until then. */
  signal?: AbortSignal;
  onProgress?(progress: VaultScanProgress): void;
  /** How long the scan runs before it lets other work in (ms). */
  sliceMs?: number;
}

/** How linking one finding as a deployment target went; the presenter words it. */
export type LinkOutcome =
  | { status: 'linked'; targetId: string; target: SuggestedTarget }
  /** The file is none of the known formats, or the secret is not where a known format keeps it. */
  | { status: 'unknown-format' }
  | { status: 'failed'; code: string; message: string; target: SuggestedTarget };

const byPlace = (a: { file: string; line: number }, b: { file: string; line: number }) => a.file.localeCompare(b.file) || a.line - b.line;

export class VaultScan {
  private readonly tokens: { id: string; name: string; workspaceId: string }[];
  private readonly secrets: ScanSecret[] = [];
  private readonly workspaces: Map<string, string>;
  private readonly scanner: SecretScanner;

  constructor(private readonly vault: Vault) {
    this.workspaces = new Map(vault.workspaces.list().map((w) => [w.id, w.name]));
    this.tokens = vault.tokens.list().filter((t) => t.hasSecret);
    const stored = vault.tokens.readAllSecrets(); // compared, never shown: not a reveal
    this.tokens.forEach((t, key) => {
      const secret = stored.get(t.id);
      if (secret) this.secrets.push({ key, secret });
    });
    this.scanner = new SecretScanner(this.secrets);
  }

  /** A path or a name to show, with any stored secret or likely token in it concealed (the scanner's own search). */
  readonly conceal = (text: string): string => this.scanner.conceal(text);

  /** The whole scan at once (the command line). */
  run(roots: readonly ScanRoot[]): VaultScanResult {
    return this.result(this.scanner.scan(roots));
  }

  /**
   * The same scan in slices of `sliceMs`, yielding to the event loop between them, so the process answers other
   * calls (a cancel) meanwhile; progress after each slice.
   */
  async runInSlices(roots: readonly ScanRoot[], options: ScanInSlicesOptions = {}): Promise<VaultScanResult & { cancelled: boolean }> {
    const sliceMs = options.sliceMs ?? 30;
    const run = this.scanner.scanning(roots);
    let report: ScanReport | undefined;
    for (;;) {
      const until = performance.now() + sliceMs;
      let step = run.next();
      while (!step.done && performance.now() < until) step = run.next();
      report = step.value;
      if (step.done) break;
      options.onProgress?.({ filesScanned: report.filesScanned, bytesScanned: report.bytesScanned, found: report.stored.length, unknown: report.unknown.length });
      await new Promise((r) => setImmediate(r));
      if (options.signal?.aborted) {
        run.return(report);
        return { ...this.result(report), cancelled: true };
      }
    }
    return { ...this.result(report), cancelled: false };
  }

  private result(report: ScanReport): VaultScanResult {
    const found = report.stored
      .map((h): StoredFinding => {
        const t = this.tokens[h.key] as (typeof this.tokens)[number];
        const workspace = this.workspaces.get(t.workspaceId) ?? t.workspaceId;
        return { file: h.file, line: h.line, reference: formatReference(workspace, t.name), tokenId: t.id, workspace, token: t.name, encoding: h.encoding };
      })
      .sort(byPlace);
    return {
      found,
      unknown: [...report.unknown].sort(byPlace),
      skipped: [...report.skipped].sort((a, b) => a.path.localeCompare(b.path)),
      filesScanned: report.filesScanned,
      bytesScanned: report.bytesScanned,
      binaryFiles: report.binaryFiles,
    };
  }
}

/**
 * The deployment target a stored secret's place most likely is (null: not a known format). Reads the file now,
 * through `readText` when the caller reads many places of one file.
 */
export function suggestTargetFor(vault: Vault, finding: Pick<StoredFinding, 'file' | 'line' | 'tokenId'>, readText: (file: string) => string = readTextNow): SuggestedTarget | null {
  const secret = vault.tokens.readSecret(finding.tokenId) ?? ''; // compared, never shown: not a reveal
  return suggestTarget(finding.file, readText(finding.file), finding.line, secret);
}

function readTextNow(file: string): string {
  try {
    return readScannedFile(file)?.toString('utf8') ?? '';
  } catch {
    return ''; // gone since the scan
  }
}

/** Links each place as a deployment target of its token, one after another (a place already linked is kept). */
export async function linkFindings(vault: Vault, findings: readonly Pick<StoredFinding, 'file' | 'line' | 'tokenId'>[], actor: string): Promise<LinkOutcome[]> {
  const linker = new TargetService({ vault, actor }).scanLinker();
  const outcomes: LinkOutcome[] = [];
  for (const f of findings) {
    const target = suggestTargetFor(vault, f);
    if (!target) {
      outcomes.push({ status: 'unknown-format' });
      continue;
    }
    const r = await linker.link(f.tokenId, target);
    outcomes.push(r.ok ? { status: 'linked', targetId: r.targetId, target } : { status: 'failed', code: r.code, message: r.message, target });
  }
  return outcomes;
}
