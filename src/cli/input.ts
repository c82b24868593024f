import { closeSync, openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { AppFailure } from '../main/errors';
import { UsageError, type CliContext } from './cli-command';

// What the command line reads: hidden prompts on the terminal, secrets on stdin, durations and dates in flags.

/** Reads a line from the terminal without echo (the controlling TTY, so stdin stays free for data). */
export async function promptHidden(ctx: CliContext, question: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync(process.platform === 'win32' ? 'CONIN$' : '/dev/tty', 'r');
  } catch {
    throw new AppFailure('invalid-argument', 'No terminal to ask for the master password: set TOKEN_VAULT_PASSWORD.');
  }
  const input = new ReadStream(fd);
  ctx.stderr.write(question);
  input.setRawMode(true);
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

/** All of stdin as text, without the one trailing newline a shell `echo` adds. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** A secret from stdin, or from a hidden prompt when stdin is a terminal. */
export async function readSecretInput(ctx: CliContext, question = 'Secret: '): Promise<string> {
  const secret = process.stdin.isTTY ? await promptHidden(ctx, question) : await readStdin();
  if (secret === '') throw new UsageError('No secret given: pipe it on stdin (e.g. `printf %s "$TOKEN" | token-vault add ...`).');
  return secret;
}

const DAY_MS = 86_400_000;

/** `30d` / `2w` -> days. */
export function parseDays(text: string, flag: string): number {
  const m = /^(\d{1,5})([dw])$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} takes a number of days like 30d or 2w, not "${text}".`);
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
