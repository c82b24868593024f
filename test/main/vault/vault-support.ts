import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach } from 'vitest';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../src/main/vault';

/** A fresh temp folder per test, removed afterwards; vaults use cheap scrypt so tests do not time the KDF. */
export function tempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'tv-vault-'));
    made.push(d);
    return d;
  };
}

export const PASSWORD = 'correct horse battery';

export async function newVault(dir: string, name = 'vault.db'): Promise<Vault> {
  return Vault.create(join(dir, name), { password: PASSWORD, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
}

/** Reopens a vault file in a fresh handle and unlocks it with the test password, as a new process would. */
export async function reopen(path: string): Promise<Vault> {
  const v = Vault.open(path, { keychain: noKeychain });
  await v.keys.unlockWithPassword(PASSWORD);
  return v;
}

/**
 * Starts a child process that writes to a vault and prints `ack ...` after each durable commit; `parse` turns an ack
 * line into what the test checks later. `waitFor(n)` resolves once n acks arrived (and rejects if the child dies first).
 */
export function startAckingChild<T>(script: string, args: string[], parse: (fields: string[]) => T) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks: T[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const listeners: (() => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [kind, ...fields] = line.split(' ');
    if (kind === 'ack') acks.push(parse(fields));
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (acks.length >= n ? resolve() : undefined);
      listeners.push(check);
      check();
      void exited.then(() => (acks.length >= n ? resolve() : reject(new Error(`writer exited after ${acks.length} acks: ${stderr}`))));
    });
  return { child, acks, waitFor, exited, stderr: () => stderr };
}
