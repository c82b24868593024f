import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
