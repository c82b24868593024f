import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReadStream } from 'node:tty';
import { trimPastedSecret } from '../shared/pasted-secret';
import { MAX_SECRET_CHARS } from '../shared/issued-secret';
import { AppFailure } from '../main/errors';
import { UsageError, type CliContext, type CliValues } from './cli-command';
import { termSafe } from './output';

// What the command line reads: prompts on the terminal, secrets and `-` values on stdin, durations and dates in flags.

function openTerminal(why: string): number {
  try {
    return openSync(process.platform === 'win32' ? 'CONIN$' : '/dev/tty', 'r');
  } catch {
    throw new AppFailure('invalid-argument', `No terminal to ask for ${why}.`);
  }
}

/** Reads a line from the terminal without echo (the controlling TTY, so stdin stays free for data). */
export async function promptHidden(ctx: CliContext, question: string): Promise<string> {
  const fd = openTerminal('the master password: set TOKEN_VAULT_PASSWORD for this one command');
  const input = new ReadStream(fd);
  // Echo off before the question shows: whatever is typed or pasted as soon as it appears is never echoed.
  input.setRawMode(true);
  ctx.stderr.write(question);
  return new Promise<string>((resolve, reject) => {
    let answer = '';
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.removeAllListeners('data');
      input.destroy();
      try {
        closeSync(fd);
      } catch {
        /* already closed by the stream */
      }
      ctx.stderr.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    input.on('data', (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new AppFailure('invalid-argument', 'Cancelled.'));
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    });
  });
}

/** A person can answer a question: stdin and stderr (where the question goes) are both a terminal. */
export const canAsk = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY);

/**
 * For commands that destroy or revoke something: `--yes` goes ahead; on a terminal the command asks; with no terminal
 * and no --yes it stops before touching anything (exit 2), so a script never hangs on a question nobody sees.
 * Call before opening the vault; then `confirmed` asks, naming the real target.
 */
export function checkConfirmable(values: CliValues, doing: string): void {
  if (values['yes'] !== true && !canAsk())
    throw new UsageError(`${doing} needs a yes, and there is no terminal to ask on: add --yes to go ahead. Nothing was changed.`);
}

/** --yes, or `question [y/N]` answered y or yes on the terminal. */
export async function confirmed(ctx: CliContext, values: CliValues, question: string): Promise<boolean> {
  if (values['yes'] === true) return true;
  const rl = createInterface({ input: process.stdin, output: ctx.stderr, terminal: false });
  try {
    ctx.stderr.write(`${termSafe(question)} [y/N] `);
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** The `--yes` flag of commands that ask first. */
export const YES_OPTION = { yes: { type: 'boolean', short: 'y' } } as const;

/** Reads a line from the terminal, echoed (names and search terms: kept out of argv and shell history, not secret). */
export async function promptLine(ctx: CliContext, question: string): Promise<string> {
  const fd = openTerminal(question.replace(/:\s*$/, '').toLowerCase());
  const input = new ReadStream(fd);
  const lines = createInterface({ input, terminal: false });
  ctx.stderr.write(question);
  try {
    return await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      lines.once('close', () => reject(new AppFailure('invalid-argument', 'Cancelled.')));
    });
  } finally {
    lines.close();
    input.destroy();
  }
}

// stdin is read once per process: each `-` value takes one line (in the order the values appear on the command line),
// then a secret takes what is left. Bounded: a file piped in by mistake is refused, not held in memory.
const MAX_STDIN_BYTES = 4 * MAX_SECRET_CHARS + 64 * 1024;
let stdinText: Promise<string> | undefined;
let stdinUsed = 0;

function readAllStdin(): Promise<string> {
  stdinText ??= (async () => {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of process.stdin) {
      total += (chunk as Buffer).length;
      if (total > MAX_STDIN_BYTES) {
        process.stdin.destroy();
        throw secretTooLong();
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  })();
  return stdinText;
}

const secretTooLong = () =>
  new AppFailure(
    'invalid-argument',
    `The secret on stdin is longer than 16 KB (${MAX_SECRET_CHARS.toLocaleString('en-US')} characters); no token is that long, so nothing was stored. Check what is piped in.`,
  );

/** The next line of stdin (for a value given as `-`). */
async function readStdinLine(what: string): Promise<string> {
  const text = await readAllStdin();
  if (stdinUsed >= text.length) throw new UsageError(`${what} is "-", but stdin has no line left for it.`);
  const end = text.indexOf('\n', stdinUsed);
  const line = text.slice(stdinUsed, end < 0 ? text.length : end).replace(/\r$/, '');
  stdinUsed = end < 0 ? text.length : end + 1;
  return line;
}

/** What is left on stdin, without the one trailing newline a shell `echo` adds. */
async function readStdinRest(): Promise<string> {
  const text = await readAllStdin();
  const rest = text.slice(stdinUsed).replace(/\r?\n$/, '');
  stdinUsed = text.length;
  return rest;
}

/**
 * A value given as `-`: asked for on the terminal, or the next line of stdin when stdin is not a terminal. So names,
 * descriptions and search terms need never appear in argv (visible to other users' `ps`) or in shell history.
 */
export function valueFromStdin(ctx: CliContext, label: string): Promise<string> {
  return process.stdin.isTTY ? promptLine(ctx, `${label}: `) : readStdinLine(label);
}

/**
 * A secret from stdin (after any `-` lines), or from a hidden prompt when stdin is a terminal; never echoed. Spaces
 * and line breaks around it are removed, with a note on stderr (the one newline `echo` adds goes without a word).
 */
export async function readSecretInput(ctx: CliContext, question = 'Secret: '): Promise<string> {
  const { secret, trimmed } = trimPastedSecret(process.stdin.isTTY ? await promptHidden(ctx, question) : await readStdinRest());
  if (secret === '') throw new UsageError('No secret given: pipe it on stdin (e.g. `printf %s "$TOKEN" | token-vault add ...`).');
  if (secret.length > MAX_SECRET_CHARS) throw secretTooLong();
  if (trimmed) ctx.stderr.write('Note: removed the spaces or line breaks around the secret.\n');
  return secret;
}

const DAY_MS = 86_400_000;

/** `30` / `30d` / `2w` -> days (a bare number is days). */
export function parseDays(text: string, flag: string): number {
  const m = /^(\d{1,5})([dw]?)$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} takes a number of days like 30, 30d or 2w, not "${termSafe(text)}".`);
  const n = Number(m[1]) * (m[2] === 'w' ? 7 : 1);
  if (n <= 0) throw new UsageError(`${flag} must be at least 1d.`);
  return n;
}

/** `--expires 7d|30d|90d|YYYY-MM-DD|never` -> ISO instant or null. */
export function parseExpires(text: string, now: Date = new Date()): string | null {
  if (text === 'never') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const d = new Date(`${text}T23:59:59.999Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text)
      throw new UsageError(`--expires: "${text}" is not a real date.`);
    return d.toISOString();
  }
  return new Date(now.getTime() + parseDays(text, '--expires') * DAY_MS).toISOString();
}

export const daysFromNow = (days: number, now: Date = new Date()) => new Date(now.getTime() + days * DAY_MS).toISOString();
