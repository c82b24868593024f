import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppFailure } from '../../errors';
import type { ErrorCode } from '../../../shared/result';

/**
 * The system `git` (2.30 or newer), driven through plumbing in a private bare repository.
 *
 * Why system git and not isomorphic-git: it is what teams already run and trust, it speaks every transport their
 * remotes use (a path, ssh with their keys and agent, https with their credential helpers, git://), and its packing is
 * native code. A sync costs a fixed handful of processes whatever the number of records: `fetch`, `ls-tree`, one
 * `cat-file --batch` for every blob we need, one `fast-import` that writes every changed file, the tree and the commit
 * straight into a pack, and `push`. No working copy is ever checked out.
 *
 * Hardening: hooks are switched off in the private repository (`core.hooksPath=/dev/null`, so a user's global hooks
 * never run on our pushes),
 * the `ext::` transport is refused, prompts are off (GIT_TERMINAL_PROMPT=0: a missing credential is an error, not a
 * hang), and every message we pass on has credentials in URLs scrubbed.
 */

const BRANCH = 'main';
const REMOTE_REF = `refs/remotes/origin/${BRANCH}`;
const NETWORK_TIMEOUT_MS = 120_000;
const LOCAL_TIMEOUT_MS = 300_000;
const COMMITTER = 'Token Vault <share@tokenvault.invalid>';

export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

const scrub = (text: string) => text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');

/** The first meaningful line git printed, scrubbed: safe to show. */
function gitMessage(stderr: string): string {
  const lines = scrub(stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines.find((l) => /^(fatal|error):/i.test(l)) ?? lines.at(-1) ?? 'git failed';
  return fatal.replace(/^(fatal|error):\s*/i, '').slice(0, 300);
}

function classify(stderr: string): ErrorCode {
  if (/Authentication failed|could not read (Username|Password)|Permission denied|HTTP 40[13]|returned error: 40[13]|terminal prompts disabled/i.test(stderr)) return 'bad-credential';
  if (/not found|does not appear to be a git repository|does not exist|No such file or directory|HTTP 404|returned error: 404/i.test(stderr)) return 'remote-not-found';
  if (/Could not resolve host|Connection refused|Connection timed out|Network is unreachable|Could not read from remote|unable to access|Failed to connect|early EOF|unexpected disconnect/i.test(stderr)) return 'network';
  return 'git-failed';
}

export function runGit(args: readonly string[], options: { cwd?: string; input?: Buffer | string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'protocol.ext.allow=never', ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? LOCAL_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? new AppFailure('git-unavailable', 'git was not found. Install git 2.30 or newer to share.') : e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return reject(new AppFailure('timeout', 'git took too long and was stopped.'));
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.on('error', () => {
      // git may exit before reading all of its input; the exit code says what happened.
    });
    child.stdin.end(options.input ?? '');
  });
}

async function must(args: readonly string[], options: Parameters<typeof runGit>[1] = {}): Promise<Buffer> {
  const r = await runGit(args, options);
  if (r.code !== 0) throw new AppFailure(classify(r.stderr), `git: ${gitMessage(r.stderr)}`);
  return r.stdout;
}

let versionChecked: Promise<void> | null = null;
/** git 2.30 or newer (for `ls-remote` / `push --porcelain` behaviour and `--stdin` plumbing we rely on). */
export function checkGitVersion(): Promise<void> {
  versionChecked ??= (async () => {
    const out = (await must(['--version'])).toString('utf8');
    const m = /git version (\d+)\.(\d+)/.exec(out);
    if (!m || Number(m[1]) < 2 || (Number(m[1]) === 2 && Number(m[2]) < 30)) throw new AppFailure('git-unavailable', `Sharing needs git 2.30 or newer; this is ${out.trim()}.`);
  })();
  return versionChecked;
}

/** A remote URL we hand to git: a path, file://, ssh, https (http only to this machine), git://. */
export function checkRemoteUrl(url: string): string {
  const u = url.trim();
  const bad = (why: string) => new AppFailure('invalid-argument', `That remote cannot be used: ${why}.`);
  if (!u || u.startsWith('-')) throw bad('it is empty or looks like an option');
  if (/[\0\n\r]/.test(u)) throw bad('it contains a line break');
  if (/^[a-z][a-z0-9+.-]*::/i.test(u)) throw bad('remote helpers (transport::address) are not allowed');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(u)?.[1]?.toLowerCase();
  if (scheme === 'http') {
    const host = /^http:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(u)?.[1] ?? '';
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host.toLowerCase()) && !host.startsWith('127.')) throw new AppFailure('insecure-url', 'Plain http:// is only allowed to this machine; use https:// or ssh.');
  } else if (scheme && !['https', 'ssh', 'git', 'file'].includes(scheme)) {
    throw bad(`the ${scheme}:// transport is not supported`);
  }
  return u;
}

export interface TreeEntry {
  path: string;
  blob: string;
}

export interface FileWrite {
  path: string;
  /** null: delete the file. */
  data: Buffer | null;
}

/**
 * origin's URL in the private repository's config file when the file is plainly what `git remote add` wrote: one
 * `[remote "origin"]` section, one url line in the whole file, no include. Anything else: undefined (ask git).
 */
function originUrlInConfig(dir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'config'), 'utf8');
  } catch {
    return undefined;
  }
  if (/^\s*\[include/im.test(text) || (text.match(/^\[remote "origin"\]$/gm) ?? []).length !== 1) return undefined;
  const urls = [...text.matchAll(/^\s*url\s*=(.*)$/gim)].map((m) => m[1] ?? '');
  const section = /^\[remote "origin"\]\n((?:\t[^\n]*\n)*)/m.exec(text)?.[1] ?? '';
  const plain = /^\turl = (.*)$/m.exec(section)?.[1];
  return urls.length === 1 && plain !== undefined && urls[0] === ` ${plain}` ? plain : undefined;
}

/**
 * A path as fast-import reads it: C-quoted always, so a name from the remote that starts with a quote or holds a
 * newline is that one file, never a command of the stream or another path.
 */
function quotedPath(path: string): string {
  return `"${path.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

/** How long a remote's lock file must stay unchanged to be taken as left by a git that died (git holds one for the moment of a ref update). */
const REMOTE_LOCK_STALE_MS = 2_000;

/** The folder of a remote on this machine (a path, or a file: URL), else null. */
function localRemoteDir(remote: string): string | null {
  try {
    if (remote.startsWith('file:')) return fileURLToPath(remote);
  } catch {
    return null;
  }
  return isAbsolute(remote) ? remote : null;
}

/** One share's private bare repository (no working copy) and its one remote. */
export class GitRepo {
  constructor(readonly dir: string) {}

  /** Creates the private repository if needed and points `origin` at the remote. */
  async ensure(remote: string): Promise<void> {
    await checkGitVersion();
    if (!existsSync(join(this.dir, 'HEAD'))) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      await must(['init', '--quiet', '--bare', this.dir]);
      // In the private repository's own config (not `-c`, which git would pass on to a local remote's receive-pack
      // and so switch off that remote's hooks too): no hooks of the user's global config run on our fetches and pushes.
      await must(['config', 'core.hooksPath', '/dev/null'], { cwd: this.dir });
      await must(['config', 'gc.auto', '0'], { cwd: this.dir });
      // Nor does every fetch start `git maintenance run --auto` (a process per sync that finds nothing to do).
      await must(['config', 'maintenance.auto', 'false'], { cwd: this.dir });
    }
    // Read as `git remote add` wrote it, the usual case costs no process; anything else (quoting, another URL) asks git.
    if (originUrlInConfig(this.dir) === remote) return;
    const current = await runGit(['config', '--get', 'remote.origin.url'], { cwd: this.dir });
    if (current.code !== 0) await must(['remote', 'add', 'origin', '--', remote], { cwd: this.dir });
    else if (current.stdout.toString('utf8').trim() !== remote) await must(['remote', 'set-url', 'origin', '--', remote], { cwd: this.dir });
  }

  /**
   * After a crash (kill -9) git may have left lock files behind; only our own engine uses this repository, and only
   * while it holds the share's sync lock, so any lock found then is stale.
   */
  clearStaleLocks(): void {
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'objects') walk(p);
        } else if (entry.name.endsWith('.lock')) rmSync(p, { force: true });
      }
    };
    walk(this.dir);
  }

  /** Refs the remote has (any at all means "not empty"). */
  async remoteRefs(): Promise<string[]> {
    const out = await must(['ls-remote', 'origin'], { cwd: this.dir, timeoutMs: NETWORK_TIMEOUT_MS });
    return out
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[1] ?? '');
  }

  /** Fetches the remote branch; returns its commit, or null when the remote has no such branch yet. */
  async fetch(): Promise<string | null> {
    const r = await runGit(['fetch', '--quiet', '--no-tags', '--prune', 'origin', `+refs/heads/${BRANCH}:${REMOTE_REF}`], { cwd: this.dir, timeoutMs: NETWORK_TIMEOUT_MS });
    if (r.code !== 0) {
      if (/couldn't find remote ref/i.test(r.stderr)) {
        await runGit(['update-ref', '-d', REMOTE_REF], { cwd: this.dir });
        return null;
      }
      throw new AppFailure(classify(r.stderr), `git fetch: ${gitMessage(r.stderr)}`);
    }
    return this.resolve(REMOTE_REF);
  }

  async resolve(ref: string): Promise<string | null> {
    const r = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: this.dir });
    return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
  }

  /** False also when `ancestor` is not in the repository at all (a history we once saw is gone). */
  async isAncestor(ancestor: string, of: string): Promise<boolean> {
    const r = await runGit(['merge-base', '--is-ancestor', ancestor, of], { cwd: this.dir });
    if (r.code > 1 && !/not a valid commit|bad object|Not a valid object/i.test(r.stderr)) throw new AppFailure('git-failed', `git merge-base: ${gitMessage(r.stderr)}`);
    return r.code === 0;
  }

  async countCommits(range: string): Promise<number> {
    return Number((await must(['rev-list', '--count', range], { cwd: this.dir })).toString('utf8').trim());
  }

  /** Every file of a commit's tree (path -> blob id), or only those under `prefix`. */
  async listTree(commit: string, prefix?: string): Promise<TreeEntry[]> {
    const out = await must(['ls-tree', '-r', '-z', '--full-tree', commit, ...(prefix ? ['--', prefix] : [])], { cwd: this.dir });
    const entries: TreeEntry[] = [];
    for (const rec of out.toString('utf8').split('\0')) {
      if (!rec) continue;
      const tab = rec.indexOf('\t');
      const [, type, oid] = rec.slice(0, tab).split(' ');
      if (type === 'blob' && oid) entries.push({ path: rec.slice(tab + 1), blob: oid });
    }
    return entries;
  }

  /** Files that differ between two commits: blob null means deleted in `to`. */
  async diffTree(from: string, to: string): Promise<{ path: string; blob: string | null }[]> {
    const out = await must(['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', from, to], { cwd: this.dir });
    const parts = out.toString('utf8').split('\0');
    const changes: { path: string; blob: string | null }[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const meta = (parts[i] ?? '').split(' ');
      const path = parts[i + 1] ?? '';
      const status = meta[4] ?? '';
      if (!path || !meta[0]?.startsWith(':')) continue;
      changes.push({ path, blob: status.startsWith('D') ? null : (meta[3] ?? null) });
    }
    return changes;
  }

  /** Reads many blobs with one `cat-file --batch`. */
  async readBlobs(oids: readonly string[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    if (oids.length === 0) return out;
    const unique = [...new Set(oids)];
    const buf = await must(['cat-file', '--batch'], { cwd: this.dir, input: unique.join('\n') + '\n' });
    let pos = 0;
    for (const oid of unique) {
      const nl = buf.indexOf(0x0a, pos);
      const header = buf.toString('latin1', pos, nl).split(' ');
      if (header[1] === 'missing' || header.length < 3) throw new AppFailure('git-failed', `git: object ${oid} is missing.`);
      const size = Number(header[2]);
      out.set(oid, buf.subarray(nl + 1, nl + 1 + size));
      pos = nl + 1 + size + 1;
    }
    return out;
  }

  /**
   * Writes one commit on top of `parent` (null: the first commit) changing exactly these files, with `fast-import`:
   * blobs, trees and the commit go straight into one pack in one process. `done` ends the stream, so a parent that
   * dies mid-stream leaves no commit and no ref.
   */
  async writeCommit(parent: string | null, files: readonly FileWrite[], message: string, when = new Date()): Promise<string> {
    const ref = 'refs/tokenvault/pending';
    const seconds = Math.floor(when.getTime() / 1000);
    const chunks: Buffer[] = [];
    const push = (s: string) => chunks.push(Buffer.from(s, 'utf8'));
    push('feature done\nfeature get-mark\n');
    push(`commit ${ref}\nmark :1\ncommitter ${COMMITTER} ${seconds} +0000\n`);
    const msg = Buffer.from(message, 'utf8');
    push(`data ${msg.length}\n`);
    chunks.push(msg);
    push('\n');
    if (parent) push(`from ${parent}\n`);
    for (const f of files) {
      if (f.data === null) push(`D ${quotedPath(f.path)}\n`);
      else {
        push(`M 100644 inline ${quotedPath(f.path)}\ndata ${f.data.length}\n`);
        chunks.push(f.data);
        push('\n');
      }
    }
    // The commit's id comes back on stdout (get-mark), in the same process.
    push('\nget-mark :1\ndone\n');
    // Forced: the scratch ref may hold an earlier attempt's commit that is not an ancestor of this one. A ref file
    // left empty or broken (git does not fsync refs) would make fast-import refuse it: it is scratch, so it goes.
    rmSync(join(this.dir, ref), { force: true });
    const out = await must(['fast-import', '--quiet', '--force', '--date-format=raw'], { cwd: this.dir, input: Buffer.concat(chunks) });
    const oid = out.toString('utf8').trim();
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(oid)) throw new AppFailure('git-failed', 'git fast-import wrote no commit.');
    return oid;
  }

  /**
   * A remote on this machine whose branch a git killed mid-push left locked refuses every later push: git never removes
   * another process's lock (it says to remove the file by hand). `named`, the lock a rejected push met (push's
   * `locked`), if it lies in the remote's refs and stays unchanged for REMOTE_LOCK_STALE_MS while we watch it, is taken
   * as stale and removed: the next push can go. A live push that still held it only fails and is tried again by its
   * own device. True when removed.
   */
  async clearStaleRemoteLock(named: string, remote: string): Promise<boolean> {
    const dir = localRemoteDir(remote);
    if (!dir) return false;
    let lock: string;
    let held: Stats | undefined;
    try {
      // The path is the remote's words (a hook prints what it likes): its folder is resolved as the kernel resolves it
      // (.native: the JS realpath takes "a/.." as text, while "a" may be a link out), and only that resolved path is
      // looked at and removed.
      const refs = realpathSync.native(dir) + sep;
      const where = realpathSync.native(dirname(named)) + sep;
      const name = basename(named);
      lock = where + name;
      held = lstatSync(lock);
      if (!held.isFile() || !(where.startsWith(`${refs}refs${sep}`) || (where === refs && name === 'packed-refs.lock'))) return false;
    } catch {
      return false;
    }
    // Watched for the whole wait, never judged by its mtime against our clock: on a shared folder the mtime is the file
    // server's clock, and one behind ours makes a lock made a moment ago by a live git look old.
    await new Promise((resolve) => setTimeout(resolve, REMOTE_LOCK_STALE_MS));
    try {
      const now = lstatSync(lock);
      if (now.ino !== held.ino || now.mtimeMs !== held.mtimeMs || now.size !== held.size) return false;
      rmSync(lock);
      return true;
    } catch {
      return false; // gone meanwhile: its git finished
    }
  }

  /**
   * Pushes `commit` as the remote branch. 'rejected' when the remote moved on meanwhile (fetch, merge and try again),
   * with `locked`, the lock file git found in its way there (git's own words), when it said one; a refusal for any
   * other reason (a protected branch, a hook, no permission) is an error that says git's reason.
   */
  async push(commit: string): Promise<'ok' | { rejected: true; locked: string | null }> {
    const r = await runGit(['push', '--porcelain', '--quiet', 'origin', `${commit}:refs/heads/${BRANCH}`], { cwd: this.dir, timeoutMs: NETWORK_TIMEOUT_MS });
    if (r.code === 0) return 'ok';
    const text = r.stdout.toString('utf8');
    const line = text.split('\n').find((l) => l.startsWith('!')) ?? '';
    if (/\[rejected\].*\((fetch first|non-fast-forward|stale info)\)/.test(line)) return { rejected: true, locked: null };
    if (/\[remote rejected\].*(cannot lock ref|failed to update ref|incorrect old value|reference already exists)/i.test(line))
      return { rejected: true, locked: /Unable to create '([^'\n]+\.lock)': File exists/.exec(r.stderr)?.[1] ?? null };
    if (line) throw new AppFailure('remote-forbidden', `git push was refused: ${scrub(line.split('\t').pop() ?? line).slice(0, 300)}`);
    throw new AppFailure(classify(r.stderr), `git push: ${gitMessage(r.stderr || text)}`);
  }

}
