import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import { isatty } from 'node:tty';
import type { Readable, Writable } from 'node:stream';
import { OutputMasker } from './output-masker';

/**
 * Runs the command of `token-vault run` and hands back its exit status.
 *
 * Three ways, picked from what the user's side looks like:
 *   - no masking: the child gets our stdin, stdout and stderr as they are (a terminal stays a terminal);
 *   - masking, stdin, stdout and stderr all terminals, and we are the terminal's foreground job: the child runs in a
 *     pseudo-terminal (@lydell/node-pty) sized like ours, so it sees a terminal (colours, prompts, line editing);
 *     keys go to it raw, its output comes back masked. A terminal has one output, so its stdout and stderr arrive
 *     merged, as they would on screen;
 *   - otherwise (pipes, files, or no pseudo-terminal library for this platform): stdin is passed as is, stdout and
 *     stderr through pipes and a masker each, so both stay apart.
 * SIGINT, SIGTERM and SIGHUP sent to token-vault are passed to the child; the status is the child's, or 128+N when
 * it dies of signal N.
 */

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A partial secret held back this long with no new output is let out (an interactive child must not stall). */
const IDLE_FLUSH_MS = 30;
/** ... unless it is already this long: then it is most likely the secret itself, written slowly. */
const LONG_PARTIAL_BYTES = 8;
const LONG_PARTIAL_FLUSH_MS = 500;

export interface ChildSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Secrets to conceal in the output; null turns masking off. */
  mask: readonly string[] | null;
}

export type ChildOutcome =
  | { started: true; status: number; mode: 'inherit' | 'pty' | 'pipes' }
  | { started: false; reason: 'not-found' | 'not-executable' | 'environment-too-large' | 'spawn-failed'; errno?: string };

/** The command as the child's exec would find it (PATH of the child's environment), or why not. */
export function findExecutable(command: string, env: NodeJS.ProcessEnv): { path: string } | { problem: 'not-found' | 'not-executable' } {
  const candidates = command.includes('/') ? [command] : (env['PATH'] ?? '').split(delimiter).filter(Boolean).map((d) => join(d, command));
  let sawFile = false;
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      sawFile = true;
      accessSync(candidate, fsConstants.X_OK);
      return { path: candidate };
    } catch {
      /* next candidate */
    }
  }
  return { problem: sawFile ? 'not-executable' : 'not-found' };
}

const statusOf = (code: number | null, signal: NodeJS.Signals | number | null): number => {
  if (typeof signal === 'number' && signal > 0) return 128 + signal;
  if (typeof signal === 'string') return 128 + (osConstants.signals[signal] ?? 0);
  return code ?? 1;
};

/**
 * Whether this process is in the foreground process group of its controlling terminal; null where that cannot be
 * told (no /proc). In the foreground, a Ctrl-C already reached the child, which shares our group, and forwarding it
 * would deliver it twice (many programs take a second SIGINT as "stop now"). In the background (`... &`), taking
 * the terminal into raw mode for a pseudo-terminal would stop us (SIGTTOU).
 */
function inTerminalForeground(): boolean | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [pgrp, ttyNr, tpgid] = [fields[2], fields[4], fields[5]].map(Number);
  return ttyNr !== 0 && tpgid === pgrp;
}

/** Feeds one output stream through a masker into `out`, letting held-back bytes go after a short idle. */
class MaskedSink {
  private readonly masker: OutputMasker;
  private timer: NodeJS.Timeout | undefined;
  broken = false;

  constructor(
    secrets: readonly string[],
    private readonly out: () => Writable,
  ) {
    this.masker = new OutputMasker(secrets);
  }

  write(chunk: Buffer): void {
    this.emit(this.masker.write(chunk));
    clearTimeout(this.timer);
    const held = this.masker.held;
    if (held > 0)
      this.timer = setTimeout(() => this.emit(this.masker.flush()), held >= LONG_PARTIAL_BYTES ? LONG_PARTIAL_FLUSH_MS : IDLE_FLUSH_MS);
  }

  end(): void {
    clearTimeout(this.timer);
    this.emit(this.masker.flush());
  }

  private emit(bytes: Buffer): void {
    if (bytes.length > 0 && !this.broken) this.out().write(bytes);
  }
}

/** Resolves when `stream` has ended (or was destroyed). */
const ended = (stream: Readable): Promise<void> =>
  new Promise((resolve) => {
    if (stream.readableEnded || stream.destroyed) return resolve();
    stream.once('end', resolve);
    stream.once('close', resolve);
  });

export async function runChild(spec: ChildSpec): Promise<ChildOutcome> {
  const found = findExecutable(spec.command, spec.env);
  if ('problem' in found) return { started: false, reason: found.problem };
  // isatty, not process.stdin.isTTY: asking the stream builds it (and loads fs streams), 3 ms of a run that needs none.
  if (spec.mask !== null && isatty(0) && isatty(1) && isatty(2) && inTerminalForeground() !== false) {
    const pty = await loadPty();
    if (pty) return { started: true, status: await runInPty(pty, found.path, spec, spec.mask), mode: 'pty' };
  }
  return runWithPipes(found.path, spec);
}

async function runWithPipes(path: string, spec: ChildSpec): Promise<ChildOutcome> {
  const masked = spec.mask !== null;
  let child;
  try {
    child = spawn(path, spec.args, {
      argv0: spec.command,
      env: spec.env,
      stdio: ['inherit', masked ? 'pipe' : 'inherit', masked ? 'pipe' : 'inherit'],
    });
  } catch (error) {
    return notStarted(error as NodeJS.ErrnoException); // E2BIG and friends throw here, before any process exists
  }
  const stopForwarding = forwardSignals((signal) => {
    if (signal === 'SIGINT' && inTerminalForeground() === true) return;
    child.kill(signal);
  });
  try {
    const streams: Promise<void>[] = [];
    if (masked && child.stdout && child.stderr) {
      streams.push(pipeMasked(child.stdout, () => process.stdout, spec.mask ?? []));
      streams.push(pipeMasked(child.stderr, () => process.stderr, spec.mask ?? []));
    }
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: NodeJS.ErrnoException }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ error }));
    });
    const result = await exit;
    if ('error' in result) return notStarted(result.error);
    // Everything the child (and anything it left running with our pipes) wrote comes out before we return.
    await Promise.all(streams);
    return { started: true, status: statusOf(result.code, result.signal), mode: masked ? 'pipes' : 'inherit' };
  } finally {
    stopForwarding();
  }
}

function notStarted(error: NodeJS.ErrnoException): ChildOutcome {
  const errno = error.code ?? 'error';
  const reason = errno === 'EACCES' ? 'not-executable' : errno === 'ENOENT' ? 'not-found' : errno === 'E2BIG' ? 'environment-too-large' : 'spawn-failed';
  return { started: false, reason, errno };
}

/** `target` (our stdout or stderr) is opened at the child's first output: a child that prints nothing costs no stream. */
function pipeMasked(from: Readable, target: () => NodeJS.WriteStream, secrets: readonly string[]): Promise<void> {
  let to: NodeJS.WriteStream | undefined;
  const sink = new MaskedSink(secrets, () => {
    if (!to) {
      to = target();
      to.on('error', onError);
    }
    return to;
  });
  const onError = (error: NodeJS.ErrnoException) => {
    // Our reader went away (`token-vault run -- cmd | head -1`): stop reading, so the child meets a closed pipe
    // too, as it would without us.
    if (error.code === 'EPIPE') {
      sink.broken = true;
      from.destroy();
    }
  };
  from.on('data', (chunk: Buffer) => sink.write(chunk));
  return ended(from).then(() => {
    sink.end();
    to?.off('error', onError);
  });
}

type PtyModule = typeof import('@lydell/node-pty');

async function loadPty(): Promise<PtyModule | null> {
  try {
    return await import('@lydell/node-pty');
  } catch {
    return null; // no prebuilt binary for this platform: pipes it is
  }
}

async function runInPty(pty: PtyModule, path: string, spec: ChildSpec, secrets: readonly string[]): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const term = pty.spawn(path, spec.args, {
    name: spec.env['TERM'] ?? 'xterm-256color',
    cols: stdout.columns || 80,
    rows: stdout.rows || 24,
    cwd: process.cwd(),
    env: spec.env as Record<string, string>,
    encoding: null,
  });
  const sink = new MaskedSink(secrets, () => stdout);
  const onResize = () => term.resize(stdout.columns || 80, stdout.rows || 24);
  const onKeys = (chunk: Buffer) => (term.write as (data: string | Buffer) => void)(chunk);
  // Raw keys go to the child's terminal, whose line discipline turns Ctrl-C into its SIGINT: we never see it.
  stdin.setRawMode(true);
  stdin.on('data', onKeys);
  stdout.on('resize', onResize);
  const stopForwarding = forwardSignals((signal) => term.kill(signal));
  try {
    return await new Promise<number>((resolve) => {
      term.onData((data) => sink.write(data as unknown as Buffer));
      term.onExit(({ exitCode, signal }) => {
        sink.end();
        resolve(statusOf(exitCode, signal ?? null));
      });
    });
  } finally {
    stopForwarding();
    stdout.off('resize', onResize);
    stdin.off('data', onKeys);
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** Catches the forwarded signals (so they do not kill us first) and hands them to `forward` until stopped. */
function forwardSignals(forward: (signal: NodeJS.Signals) => void): () => void {
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => forward(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
