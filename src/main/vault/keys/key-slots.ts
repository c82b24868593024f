import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppFailure } from '../../errors';
import type { Keychain } from './keychain';
import { aad, deriveKey, seal, tryUnwrap, wipe } from '../crypto/vault-crypto';
import type { Db } from '../db/vault-db';
import type { ScryptParams } from '../crypto/vault-crypto';

/**
 * The key slots: the data key wrapped by a password-derived key (scrypt) and/or by a random key kept in the OS
 * keychain. Also the persisted wrong-password delay: a count and a time in `meta`, so a new process cannot skip it.
 */
export type SlotKind = 'password' | 'keychain';

interface PasswordParams extends ScryptParams {
  kdf: 'scrypt';
  salt: string;
}

// Checked by hand, not with zod: loading zod costs the command line ~50 ms and 15 MB per run (measured), more than
// a whole search. These are two tiny records the vault wrote itself (and the key slot is authenticated by GCM).
const posInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const PasswordParams = {
  safeParse(v: unknown): { success: true; data: PasswordParams } | { success: false } {
    const o = v as Partial<PasswordParams> | null;
    const ok = !!o && o.kdf === 'scrypt' && posInt(o.N) && posInt(o.r) && posInt(o.p) && posInt(o.maxmem) &&
      typeof o.salt === 'string' && o.salt.length >= 16;
    return ok ? { success: true, data: o as PasswordParams } : { success: false };
  },
  parse(v: unknown): PasswordParams {
    const r = PasswordParams.safeParse(v);
    if (!r.success) throw new AppFailure('vault-corrupt', 'The vault key slot is damaged. Restore the vault from a backup.');
    return r.data;
  },
};
const KeychainParams = {
  safeParse(v: unknown): { success: true; data: { account: string } } | { success: false } {
    const o = v as { account?: unknown } | null;
    return o && typeof o.account === 'string' && o.account.length > 0
      ? { success: true, data: { account: o.account } }
      : { success: false };
  },
};

export const slotAad = (vaultId: string, kind: SlotKind) => aad('key_slots', vaultId, kind);
export const keychainAccount = (vaultId: string) => `vault-${vaultId}`;

export function readSlots(db: Db): Map<SlotKind, { params: string; wrapped: Buffer }> {
  const rows = db.prepare('SELECT kind, params, wrapped FROM key_slots').all() as {
    kind: SlotKind;
    params: string;
    wrapped: Buffer;
  }[];
  return new Map(rows.map((r) => [r.kind, { params: r.params, wrapped: r.wrapped }]));
}

export function writeSlot(db: Db, kind: SlotKind, params: object, wrapped: Buffer): void {
  db.prepare(
    `INSERT INTO key_slots (kind, params, wrapped, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET params = excluded.params, wrapped = excluded.wrapped, created_at = excluded.created_at`,
  ).run(kind, JSON.stringify(params), wrapped, new Date().toISOString());
}

export async function wrapWithPassword(
  vaultId: string,
  dataKey: Buffer,
  password: string,
  kdf: ScryptParams,
): Promise<{ params: PasswordParams; wrapped: Buffer }> {
  const salt = randomBytes(16);
  const kek = await deriveKey(password, salt, kdf);
  try {
    const wrapped = seal(kek, dataKey, slotAad(vaultId, 'password'));
    return { params: { kdf: 'scrypt', ...kdf, salt: salt.toString('base64') }, wrapped };
  } finally {
    wipe(kek);
  }
}

export function passwordKdf(paramsJson: string): ScryptParams {
  const p = PasswordParams.parse(JSON.parse(paramsJson));
  return { N: p.N, r: p.r, p: p.p, maxmem: p.maxmem };
}

/** Returns the data key, or null when the password is wrong. */
export async function unwrapWithPassword(
  vaultId: string,
  slot: { params: string; wrapped: Buffer },
  password: string,
): Promise<Buffer | null> {
  const parsed = PasswordParams.safeParse(safeJson(slot.params));
  if (!parsed.success) throw new AppFailure('vault-corrupt', 'The vault key slot is damaged. Restore the vault from a backup.');
  const { salt, N, r, p, maxmem } = parsed.data;
  const kek = await deriveKey(password, Buffer.from(salt, 'base64'), { N, r, p, maxmem });
  try {
    return tryUnwrap(kek, slot.wrapped, slotAad(vaultId, 'password'));
  } finally {
    wipe(kek);
  }
}

export async function wrapWithKeychain(
  vaultId: string,
  dataKey: Buffer,
  keychain: Keychain,
): Promise<{ params: { account: string }; wrapped: Buffer }> {
  const kek = randomBytes(32);
  try {
    const account = keychainAccount(vaultId);
    await keychain.set(account, kek.toString('base64'));
    return { params: { account }, wrapped: seal(kek, dataKey, slotAad(vaultId, 'keychain')) };
  } finally {
    wipe(kek);
  }
}

export async function unwrapWithKeychain(
  vaultId: string,
  slot: { params: string; wrapped: Buffer },
  keychain: Keychain,
): Promise<Buffer> {
  const parsed = KeychainParams.safeParse(safeJson(slot.params));
  if (!parsed.success) throw new AppFailure('vault-corrupt', 'The vault key slot is damaged. Restore the vault from a backup.');
  const stored = await keychain.get(parsed.data.account);
  if (!stored)
    throw new AppFailure(
      'keychain-unavailable',
      'The OS keychain no longer holds the key of this vault. Unlock with the master password.',
    );
  const kek = Buffer.from(stored, 'base64');
  try {
    const key = tryUnwrap(kek, slot.wrapped, slotAad(vaultId, 'keychain'));
    if (!key)
      throw new AppFailure(
        'keychain-unavailable',
        'The key in the OS keychain does not open this vault. Unlock with the master password.',
      );
    return key;
  } finally {
    wipe(kek);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---- wrong-password delay ----

/** One typo is free; then 0.5 s, 1 s, 2 s ... up to 30 s between attempts. */
export function attemptDelayMs(failures: number): number {
  if (failures < 2) return 0;
  return Math.min(30_000, 500 * 2 ** (failures - 2));
}

interface Attempts {
  failures: number;
  lastFailedAt: number;
}

export function readAttempts(db: Db): Attempts {
  const rows = db
    .prepare("SELECT key, value FROM meta WHERE key IN ('failed_unlocks', 'last_failed_unlock_at')")
    .all() as { key: string; value: string }[];
  const get = (k: string) => Number(rows.find((r) => r.key === k)?.value ?? 0) || 0;
  return { failures: get('failed_unlocks'), lastFailedAt: get('last_failed_unlock_at') };
}

/** Waits out the delay earned by earlier wrong passwords (in this or any other process). */
export async function waitForAttemptSlot(db: Db): Promise<void> {
  const { failures, lastFailedAt } = readAttempts(db);
  const wait = lastFailedAt + attemptDelayMs(failures) - Date.now();
  if (wait > 0) await sleep(Math.min(wait, 30_000));
}

export function recordAttempt(db: Db, success: boolean): number {
  return db.transaction(() => {
    const { failures } = readAttempts(db);
    if (success) {
      if (failures > 0) db.prepare("DELETE FROM meta WHERE key IN ('failed_unlocks', 'last_failed_unlock_at')").run();
      return 0;
    }
    const next = failures + 1;
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    put.run('failed_unlocks', String(next));
    put.run('last_failed_unlock_at', String(Date.now()));
    return next;
  }).immediate();
}
