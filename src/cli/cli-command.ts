import { closeSync, openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import type { ParseArgsConfig } from 'node:util';
import { AppFailure } from '../main/errors';
import {
  createKeytarKeychain,
  Vault,
  type TokenSummary,
  type Workspace,
} from '../main/vault';

/** Wrong use of the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type CliValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** What every command receives: the global options, and the process's streams (tests spawn the real binary). */
export interface CliContext {
  /** --vault PATH, else TOKEN_VAULT_PATH, else the app's own vault. */
  vaultPath: string;
  json: boolean;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CliArgs {
  values: CliValues;
  positionals: string[];
}

/**
 * One command. `name` in the registry may be one word (`list`) or two (`workspace add`); the dispatcher picks the
 * longest match. Options are node:util parseArgs options, merged with the global ones.
 */
export interface CliCommand {
  summary: string;
  /** e.g. `list [--workspace W] [--status S] [--expiring 30d]` (without `token-vault`). */
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals the command takes: [min, max]. Default [0, 0]. */
  positionals?: [number, number];
  /** Returns the exit code (default 0). Throw UsageError (exit 2) or AppFailure (exit 1). */
  run(ctx: CliContext, args: CliArgs): Promise<number | void> | number | void;
}

// ---------------------------------------------------------------- output

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** A plain aligned table; empty cells show as '-'. */
export function printTable(ctx: CliContext, headers: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  let out = line(headers) + '\n';
  for (const r of cells) out += line(r) + '\n';
  ctx.stdout.write(out);
}

/** `2030-01-31` from an ISO instant; 'never' for null. */
export const day = (iso: string | null): string => (iso === null ? 'never' : iso.slice(0, 10));

/** The JSON shape of a token for `--json` (never a secret). */
export function tokenJson(t: TokenSummary, workspaces: Map<string, Workspace> | Workspace[]) {
  const byId = Array.isArray(workspaces) ? new Map(workspaces.map((w) => [w.id, w])) : workspaces;
  return { ...t, workspace: byId.get(t.workspaceId)?.name ?? null };
}

// ---------------------------------------------------------------- secrets in, vault open

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

/** The master password: TOKEN_VAULT_PASSWORD, else a prompt on the terminal (no echo). */
export async function masterPassword(ctx: CliContext, question = 'Master password: '): Promise<string> {
  const fromEnv = ctx.env['TOKEN_VAULT_PASSWORD'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return promptHidden(ctx, question);
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

/**
 * Opens the vault at the global path; `unlock` (default) unlocks it with TOKEN_VAULT_PASSWORD, else the OS keychain
 * when the vault has a keychain slot, else a password prompt. The caller closes it.
 */
export async function openVault(ctx: CliContext, options: { unlock?: boolean } = {}): Promise<Vault> {
  const keychain = createKeytarKeychain();
  const vault = Vault.open(ctx.vaultPath, { keychain });
  if (options.unlock === false) return vault;
  try {
    const envPassword = ctx.env['TOKEN_VAULT_PASSWORD'];
    const methods = vault.unlockMethods();
    if (envPassword) await vault.unlockWithPassword(envPassword);
    else if (methods.keychain && (await keychain.isAvailable())) await vault.unlockWithKeychain();
    else await vault.unlockWithPassword(await promptHidden(ctx, 'Master password: '));
    return vault;
  } catch (error) {
    vault.close();
    throw error;
  }
}

/** Opens (and unlocks) the vault, runs `fn`, and always closes it. */
export async function withVault<T>(ctx: CliContext, fn: (vault: Vault) => Promise<T> | T, options?: { unlock?: boolean }): Promise<T> {
  const vault = await openVault(ctx, options);
  try {
    return await fn(vault);
  } finally {
    vault.close();
  }
}

// ---------------------------------------------------------------- references and durations

export function requireWorkspace(vault: Vault, name: string): Workspace {
  const ws = vault.findWorkspace(name) ?? vault.findWorkspaceByName(name);
  if (!ws) throw new AppFailure('not-found', `No workspace named "${name}".`);
  return ws;
}

/** `W/N` (workspace name / token name) or a token id. */
export function resolveToken(vault: Vault, ref: string): TokenSummary {
  const byId = vault.findToken(ref);
  if (byId) return byId;
  const slash = ref.indexOf('/');
  if (slash <= 0) throw new AppFailure('not-found', `No token with id "${ref}". Use WORKSPACE/NAME or a token id.`);
  const ws = requireWorkspace(vault, ref.slice(0, slash));
  const matches = vault.findTokensByName(ws.id, ref.slice(slash + 1));
  if (matches.length === 0) throw new AppFailure('not-found', `No token "${ref.slice(slash + 1)}" in workspace "${ws.name}".`);
  if (matches.length > 1)
    throw new AppFailure('invalid-argument', `"${ref}" names ${matches.length} tokens; use an id: ${matches.map((m) => m.id).join(', ')}`);
  return matches[0] as TokenSummary;
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
