import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../../src/main/vault';

export const FIXTURES = resolve('test/main/use-cases/transfer/fixtures');
export const KP = '/usr/bin/keepassxc-cli';
export const hasKeepass = existsSync(KP);
export const VAULT_PW = 'transfer-test-password';

export const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `tv-${name}-`));

/** A fresh vault (cheap KDF: these tests measure nothing). */
export async function newVault(path: string): Promise<Vault> {
  return Vault.create(path, { password: VAULT_PW, useKeychain: false, keychain: noKeychain, kdf: CHEAP_SCRYPT });
}

export async function openVault(path: string): Promise<Vault> {
  const v = Vault.open(path, { keychain: noKeychain });
  await v.keys.unlockWithPassword(VAULT_PW);
  return v;
}

/** The real keepassxc-cli; `password` is typed on stdin once per prompt it shows. */
export function keepassxc(args: string[], password: string, prompts = 1): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(KP, args, { input: `${password}\n`.repeat(prompts), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function keepassxcOk(args: string[], password: string, prompts = 1): string {
  const r = keepassxc(args, password, prompts);
  if (r.code !== 0) throw new Error(`keepassxc-cli ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/** `keepassxc-cli import` of a KeePass 2 XML file into a new KDBX with password `pw` (KeePassXC's own writer). */
export function kdbxFromXml(xml: string, kdbx: string, pw: string): void {
  execFileSync(KP, ['import', '-q', '-p', xml, kdbx], { input: `${pw}\n${pw}\n` });
}
