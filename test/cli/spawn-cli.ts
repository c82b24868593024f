import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../src/main/vault';
import { BIN } from './cli-support';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** stdout + stderr as text, for "the secret is never there" checks. */
  all: string;
}

export interface SpawnedCli {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Resolves once `text` has appeared on stdout. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/**
 * The real command line, started the way a user's shell starts it (its `#!/usr/bin/env -S node ... --` line, with the
 * project's Node first on PATH), in its own session (so no terminal's foreground group is shared with the test runner: a
 * signal the test sends reaches token-vault alone, as a `kill` from another shell would).
 */
export function spawnCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string | Buffer | null } = {}): SpawnedCli {
  const child = spawn(BIN, args, {
    cwd: options.cwd,
    env: { PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`, HOME: process.env['HOME'], ...options.env },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out.push(d);
    const so = Buffer.concat(out).toString('latin1');
    for (const w of [...waiters]) {
      if (!so.includes(w.text)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  if (options.input !== null) child.stdin?.end(options.input ?? '');
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err);
      resolve({ code, signal, stdout, stderr, all: stdout.toString('latin1') + stderr.toString('latin1') });
    }),
  );
  return {
    child,
    done,
    waitFor: (text, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (Buffer.concat(out).toString('latin1').includes(text)) return resolve();
        const timer = setTimeout(() => reject(new Error(`"${text}" did not appear on stdout in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
      }),
  };
}

export const runCliAsync = (args: string[], options: Parameters<typeof spawnCli>[1] = {}) => spawnCli(args, options).done;

export const PASSWORD = 'references-test-password';

/** A real vault file with the given workspaces and tokens (names may hold "/" and spaces, as synced ones do). */
export async function makeVault(dir: string, tokens: { workspace: string; name: string; secret: string | null }[]): Promise<{ path: string; ids: Record<string, string> }> {
  const path = join(dir, 'vault.db');
  const vault = await Vault.create(path, { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
  const ids: Record<string, string> = {};
  try {
    for (const t of tokens) {
      const ws = vault.workspaces.findByName(t.workspace) ?? vault.workspaces.create({ kind: 'manual', name: t.workspace });
      const token = vault.tokens.insert({ workspaceId: ws.id, name: t.name, secret: t.secret });
      ids[`${t.workspace}/${t.name}`] = token.id;
    }
  } finally {
    vault.close();
  }
  return { path, ids };
}

/** Runs `fn` with the vault open, then closes it. */
export async function withTestVault<T>(path: string, fn: (vault: Vault) => T): Promise<T> {
  const vault = Vault.open(path, { keychain: noKeychain });
  try {
    await vault.keys.unlockWithPassword(PASSWORD);
    return fn(vault);
  } finally {
    vault.close();
  }
}
