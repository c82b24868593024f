import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { candidateLength, ISSUER_PREFIXES, type IssuerPrefix } from './issuer-prefixes';
import { MultiPatternMatcher } from './multi-pattern-matcher';
import { CONCEALED, type SecretEncoding, type SkipReason } from '../../../shared/scan';
import { encodedForms } from './secret-encodings';

/**
 * `scan`: where on disk do the vault's secrets sit, and which likely tokens are not in the vault?
 *
 * One pass per file finds every stored secret (and its encoded forms) and every documented issuer prefix together
 * (MultiPatternMatcher). Files are read whole into one reused buffer of MAX_FILE_BYTES, so memory stays bounded
 * whatever the tree holds. The walk skips `.git` and `node_modules`, binary files (a NUL byte, as git and ripgrep
 * decide), files over 5 MB, sockets and devices, and never follows a symlink: one that points out of the scanned
 * tree is reported as skipped, one that stays inside is left to the walk that reaches its target. A root the user
 * names (or a well-known home file) is followed even when it is a symlink: the user asked for that file.
 */

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/**
 * Which file a path named when the scan read it: device, inode, and when the file was made (an inode number freed by
 * a delete is often the next new file's; 0 where the file system keeps no birth time).
 */
export interface FileIdentity {
  dev: number;
  ino: number;
  born: number;
}

type Identified = { dev: number; ino: number; birthtimeMs: number };
const identityOf = (st: Identified): FileIdentity => ({ dev: st.dev, ino: st.ino, born: st.birthtimeMs });
const isSame = (st: Identified, file: FileIdentity) => st.dev === file.dev && st.ino === file.ino && st.birthtimeMs === file.born;

/**
 * Opens a file to read without ever waiting on it: a FIFO or a device put where a scanned file was would block the
 * process in open() until a writer came (main's event loop with it), so it is opened non-blocking and refused unless
 * it is a regular file (`expected`: that file). Its descriptor and what fstat said of it; null: not that (closed
 * again); throws when it cannot be opened.
 * `follow: false` (the walk, which never follows a symlink): a symlink put at the path since the folder was listed is
 * not opened at all (ELOOP), so it cannot lead the walk to a device, a FIFO or a file outside the folder.
 */
export function openRegularFile(path: string, expected?: FileIdentity, follow = true): { fd: number; st: Stats } | null {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (follow ? 0 : (constants.O_NOFOLLOW ?? 0)));
  let st: Stats | undefined;
  try {
    st = fstatSync(fd);
    if (!st.isFile() || (expected && !isSame(st, expected))) st = undefined;
  } finally {
    if (!st) closeSync(fd);
  }
  return st ? { fd, st } : null;
}

/**
 * Whether the file open at `fd` is under `folder` (a real path ending in its separator), as the kernel names it:
 * a folder on its path swapped for a link since it was listed leads elsewhere. True where /proc does not say.
 */
function openedWithin(fd: number, folder: string): boolean {
  let real: string;
  try {
    real = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return true;
  }
  return real.startsWith(folder);
}

/**
 * A scanned file read again as it is now, whole: up to MAX_FILE_BYTES whatever size it reports (procfs and FUSE files
 * say 0). It is looked at before it is opened: a device put in its place is never opened (its open alone can act: a
 * tape rewinds, a FIFO's waiting writer goes on). `expected`: the file the scan read, to add what it found there; a
 * link swapped in to another file, or another file renamed over it, is not that.
 * null: no longer a regular file (or not the file expected), or past the limit; throws when it cannot be read.
 */
export function readScannedFile(path: string, expected?: FileIdentity): Buffer | null {
  const st = statSync(path);
  if (!st.isFile() || (expected && !isSame(st, expected))) return null;
  const fd = openRegularFile(path, identityOf(st))?.fd;
  if (fd === undefined) return null;
  try {
    const buf = Buffer.allocUnsafe(MAX_FILE_BYTES + 1); // only the bytes read are used
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    return n > MAX_FILE_BYTES ? null : Buffer.from(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

export interface ScanSecret {
  /** The caller's handle for the token (e.g. an index in its list). */
  key: number;
  secret: string;
}

export interface StoredSecretHit {
  file: string;
  line: number;
  key: number;
  encoding: SecretEncoding;
}

export interface UnknownTokenHit {
  file: string;
  line: number;
  prefix: string;
  issuer: string;
  /** Length of the whole token, prefix included. */
  length: number;
  /** Byte offset of the token in the file: main reads it again there to add it to the vault (never shown). */
  offset: number;
  /** The file the scan read: the read again refuses another one at the path (readScannedFile). */
  identity: FileIdentity;
}

export type { SkipReason } from '../../../shared/scan';

export interface ScanReport {
  stored: StoredSecretHit[];
  unknown: UnknownTokenHit[];
  /** Paths the user may want to know about; binary files and skipped folders are only counted. */
  skipped: { path: string; reason: SkipReason }[];
  filesScanned: number;
  bytesScanned: number;
  binaryFiles: number;
}

export interface ScanRoot {
  path: string;
  /** Named by the user or a well-known file: followed when it is a symlink, and silently absent when missing. */
  optional?: boolean;
}

const CONCEALED_BYTES = Buffer.from(CONCEALED, 'utf8');
const PATTERN_SECRET = 0;
const PATTERN_PREFIX = 1;

/** A stored secret shorter than this is not looked for: a 1-character "secret" would flag nearly every file. */
export const MIN_SCANNED_SECRET_CHARS = 8;

export class SecretScanner {
  private readonly matcher: MultiPatternMatcher;
  private readonly kind: Uint8Array;
  /** Secret key, or index in ISSUER_PREFIXES. */
  private readonly ref: Int32Array;
  private readonly encoding: SecretEncoding[];
  private readonly buffer: Buffer;
  private readonly hits: number[] = [];

  constructor(secrets: readonly ScanSecret[], private readonly prefixes: readonly IssuerPrefix[] = ISSUER_PREFIXES) {
    const patterns: Uint8Array[] = [];
    const kind: number[] = [];
    const ref: number[] = [];
    this.encoding = [];
    for (const s of secrets) {
      if (s.secret.length < MIN_SCANNED_SECRET_CHARS) continue;
      for (const form of encodedForms(s.secret)) {
        patterns.push(form.bytes);
        kind.push(PATTERN_SECRET);
        ref.push(s.key);
        this.encoding.push(form.encoding);
      }
    }
    prefixes.forEach((p, i) => {
      patterns.push(Buffer.from(p.prefix, 'latin1'));
      kind.push(PATTERN_PREFIX);
      ref.push(i);
      this.encoding.push('exact');
    });
    this.matcher = new MultiPatternMatcher(patterns);
    this.kind = Uint8Array.from(kind);
    this.ref = Int32Array.from(ref);
    this.buffer = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
  }

  /** The patterns searched for (secrets and their encoded forms), for a peer benchmark to search the same. */
  static patternsOf(secrets: readonly ScanSecret[]): Buffer[] {
    return secrets.flatMap((s) => encodedForms(s.secret).map((f) => f.bytes));
  }

  scan(roots: readonly ScanRoot[]): ScanReport {
    const run = this.scanning(roots);
    let step = run.next();
    while (!step.done) step = run.next();
    return step.value;
  }

  /**
   * The same scan one file at a time: yields the report so far after each file read, so a caller that must stay
   * responsive (the app's main process) can pause between files, report progress, and stop.
   */
  *scanning(roots: readonly ScanRoot[]): Generator<ScanReport, ScanReport, void> {
    const report: ScanReport = { stored: [], unknown: [], skipped: [], filesScanned: 0, bytesScanned: 0, binaryFiles: 0 };
    // Files named as roots are scanned once, even when a walked folder also holds them.
    const named = new Set<string>();
    const folders: { path: string; real: string }[] = [];
    for (const root of roots) {
      const path = resolve(root.path);
      let real: string;
      try {
        // The system's own answer, as for every folder of the walk (walk): JavaScript's realpath keeps a root's letter
        // case as typed (macOS) and a mapped drive's letter (Windows), where the system's names the real folder.
        real = realpathSync.native(path);
      } catch {
        if (!root.optional) report.skipped.push({ path, reason: 'unreadable' });
        continue;
      }
      let st;
      try {
        st = statSync(real);
      } catch {
        report.skipped.push({ path, reason: 'unreadable' });
        continue;
      }
      if (st.isDirectory()) folders.push({ path, real });
      else if (st.isFile() && !named.has(real)) {
        named.add(real);
        named.add(path);
        this.scanFile(path, report);
        yield report;
      }
    }
    const walked = new Set<string>();
    for (const f of folders) {
      // A folder inside another root folder is walked with it.
      if (folders.some((o) => o !== f && f.real.startsWith(o.real + sep))) continue;
      if (walked.has(f.real)) continue;
      walked.add(f.real);
      yield* this.walk(f.path, f.real, named, report);
    }
    return report;
  }

  /**
   * The tree under a root, never leaving it. The scan yields between files (the window's scan runs in slices), so a
   * folder listed as a folder (or a root, while an earlier root is walked) may be a symlink by the time the walk gets
   * to it, or an ancestor of a file by the time the file is read: each folder's real path, the root's too, is checked
   * before it is listed, and each file's, as the kernel opened it, before it is read (where /proc says it; a link
   * swapped in between that check and the open stays possible on other systems).
   */
  private *walk(rootPath: string, rootReal: string, named: Set<string>, report: ScanReport): Generator<ScanReport, void, void> {
    const stack = [{ dir: rootPath, real: rootReal }];
    const inside = rootReal.endsWith(sep) ? rootReal : rootReal + sep; // the file system's root is "/"
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const { dir, real } = next;
      let entries;
      try {
        if (realpathSync.native(dir) !== real) {
          report.skipped.push({ path: dir, reason: 'symlink-outside' });
          continue;
        }
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        report.skipped.push({ path: dir, reason: 'unreadable' });
        continue;
      }
      for (const e of entries) {
        const path = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name)) stack.push({ dir: path, real: join(real, e.name) });
        } else if (e.isFile()) {
          if (named.has(path)) continue;
          this.scanFile(path, report, inside);
          yield report;
        } else if (e.isSymbolicLink()) {
          let target: string;
          try {
            target = realpathSync.native(path);
          } catch {
            continue; // dangling: nothing to read
          }
          if (named.has(target)) continue;
          if (target !== rootReal && !target.startsWith(inside)) {
            // Only report what would have been read: a link to a file or folder (not to a socket or device).
            try {
              const st = lstatSync(target);
              if (st.isFile() || st.isDirectory()) report.skipped.push({ path, reason: 'symlink-outside' });
            } catch {
              /* gone meanwhile */
            }
          }
        }
      }
    }
  }

  /**
   * `within`: a file of the walk, which is never followed and must be under that folder (real path, with its `sep`)
   * as opened; else a root (the user named it, or a well-known home file), followed.
   */
  private scanFile(path: string, report: ScanReport, within?: string): void {
    const follow = within === undefined;
    let opened: ReturnType<typeof openRegularFile>;
    try {
      opened = openRegularFile(path, undefined, follow);
    } catch (error) {
      // Listed as a file, a symlink now: the walk leaves symlinks alone (and this one was not there when it looked).
      if (!follow && (error as { code?: unknown }).code === 'ELOOP') return;
      report.skipped.push({ path, reason: 'unreadable' });
      return;
    }
    if (opened === null) return;
    const { fd, st } = opened;
    if (within !== undefined && !openedWithin(fd, within)) {
      closeSync(fd);
      report.skipped.push({ path, reason: 'symlink-outside' });
      return;
    }
    const buf = this.buffer;
    let n = 0;
    try {
      if (st.size > MAX_FILE_BYTES) {
        report.skipped.push({ path, reason: 'too-large' });
        return;
      }
      // Read to the end (or past the limit, for a file that grew since fstat).
      for (let got = 1; got > 0 && n <= MAX_FILE_BYTES; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    } catch {
      report.skipped.push({ path, reason: 'unreadable' });
      return;
    } finally {
      closeSync(fd);
    }
    if (n > MAX_FILE_BYTES) {
      report.skipped.push({ path, reason: 'too-large' });
      return;
    }
    const text = buf.subarray(0, n);
    if (text.indexOf(0) >= 0) {
      report.binaryFiles++;
      return;
    }
    report.filesScanned++;
    report.bytesScanned += n;
    const hits = this.hits;
    hits.length = 0;
    this.matcher.scan(buf, 0, n, MultiPatternMatcher.START, (p, end) => {
      hits.push(p, end);
    });
    if (hits.length > 0) this.collect(text, path, identityOf(st), report);
  }

  /**
   * `text` (a path, a name taken from a file) with every stored secret and likely token in it replaced by CONCEALED:
   * what is found inside files must not reach a terminal or the window by a file's name either.
   */
  conceal(text: string): string {
    const buf = Buffer.from(text, 'utf8');
    const lengths = this.matcher.lengths;
    const spans: [number, number][] = [];
    this.matcher.scan(buf, 0, buf.length, MultiPatternMatcher.START, (p, end) => {
      const start = end - (lengths[p] as number);
      if (this.kind[p] === PATTERN_SECRET) spans.push([start, end]);
      else {
        const length = candidateLength(buf, start, end, buf.length, this.prefixes[this.ref[p] as number] as IssuerPrefix);
        if (length > 0) spans.push([start, start + length]);
      }
    });
    if (spans.length === 0) return text;
    const parts: Buffer[] = [];
    let at = 0;
    for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
      if (end <= at) continue;
      if (start >= at) parts.push(buf.subarray(at, start), CONCEALED_BYTES);
      at = end;
    }
    parts.push(buf.subarray(at));
    return Buffer.concat(parts).toString('utf8');
  }

  /** Turns the raw (pattern, end) pairs of one file into hits with line numbers. */
  private collect(text: Buffer, file: string, identity: FileIdentity, report: ScanReport): void {
    const hits = this.hits;
    const lengths = this.matcher.lengths;
    // Stored secrets cover their bytes: a prefix match inside one is that secret, not an unknown token.
    const covered: [number, number][] = [];
    const prefixAt = new Map<number, { prefix: IssuerPrefix; length: number }>();
    const lineAt = lineCounter(text);
    const seen = new Set<string>();
    for (let i = 0; i < hits.length; i += 2) {
      const p = hits[i] as number;
      const end = hits[i + 1] as number;
      const start = end - (lengths[p] as number);
      if (this.kind[p] === PATTERN_SECRET) {
        covered.push([start, end]);
        const line = lineAt(start);
        const key = this.ref[p] as number;
        const id = `${key}:${line}`;
        if (seen.has(id)) continue;
        seen.add(id);
        report.stored.push({ file, line, key, encoding: this.encoding[p] as SecretEncoding });
      } else {
        const prefix = this.prefixes[this.ref[p] as number] as IssuerPrefix;
        const length = candidateLength(text, start, end, text.length, prefix);
        // The longest documented prefix wins at one place (sk-ant- over sk-).
        if (length > 0 && (prefixAt.get(start)?.prefix.prefix.length ?? 0) < prefix.prefix.length) prefixAt.set(start, { prefix, length });
      }
    }
    for (const [start, { prefix, length }] of [...prefixAt].sort((a, b) => a[0] - b[0])) {
      if (covered.some(([s, e]) => s < start + length && start < e)) continue;
      report.unknown.push({ file, line: lineAt(start), prefix: prefix.prefix, issuer: prefix.issuer, length, offset: start, identity });
    }
  }
}

/** 1-based line of a byte offset; offsets asked in any order, counting from the last answer when it can. */
function lineCounter(text: Buffer): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    if (offset < at) {
      at = 0;
      line = 1;
    }
    for (let i = text.indexOf(10, at); i >= 0 && i < offset; i = text.indexOf(10, i + 1)) line++;
    at = offset;
    return line;
  };
}
