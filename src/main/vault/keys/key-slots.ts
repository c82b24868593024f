import { randomBytes } from 'node:crypto';
import { AppFailure } from '../../errors';
import type { Keychain } from './keychain';
import { aad, deriveKey, kdfProblem, seal, tryUnwrap, wipe, type ScryptParams } from '../crypto/vault-crypto';
import type { Db } from '../db/vault-db';

/**
 * The key slots: the data key wrapped by a password-derived key (scrypt) and/or by a random key kept in the OS
 * keychain. Also the persisted wrong-password delay: a count and a time in `meta`, so a new process cannot skip it.
 *
 * A slot (format 2) is authenticated whole: its parameters (written as canonical JSON) are the AAD of the wrapped
 * key, so an edited parameter no longer opens it, and KDF parameters outside the floors are refused before any
 * derivation (tampering, never "wrong password"). The wrapped plaintext is the data key followed by the vault id, so a
 * slot spliced from another vault, or a vault id edited in `meta`, is told apart from a wrong password once the slot
 * opens, and nothing is recorded as a failed attempt.
 */
export type SlotKind = 'password' | 'keychain';

export interface SlotRow {
  params: string;
  wrapped: Buffer;
}

interface PasswordParams {
  v: 2;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 of 16 random bytes. */
  salt: string;
}
interface KeychainParams {
  v: 2;
  /** The keychain entry (service "Token Vault") that holds the random key-encryption key. */
  account: string;
}

const KEY_BYTES = 32;

// The one text of each slot's parameters: stored as is, and the AAD of its wrapped key.
const passwordParamsText = (p: PasswordParams) => JSON.stringify({ v: 2, kdf: 'scrypt', N: p.N, r: p.r, p: p.p, salt: p.salt });
const keychainParamsText = (p: KeychainParams) => JSON.stringify({ v: 2, account: p.account });
const slotAad = (kind: SlotKind, paramsText: string) => Buffer.concat([aad('key_slots', kind, 'v2'), Buffer.from(paramsText, 'utf8')]);

export const keychainAccount = (vaultId: string) => `vault-${vaultId}`;

const tamperedSlot = (why: string) =>
  new AppFailure('vault-tampered', `The key slot of this vault was changed outside Token Vault (${why}). Restore the vault from a backup.`);

// Checked by hand, not with zod: loading zod costs the command line ~50 ms and 15 MB per run (measured), more than
// a whole search. Anything but the exact shape Token Vault writes is tampering.
function parsePasswordParams(text: string): PasswordParams {
  const o = safeJson(text) as Partial<PasswordParams> | undefined;
  if (!o || typeof o !== 'object' || o.v !== 2 || o.kdf !== 'scrypt' || typeof o.salt !== 'string' || Buffer.from(o.salt, 'base64').length !== 16)
    throw tamperedSlot('its parameters are not readable');
  const problem = kdfProblem(o);
  if (problem) throw tamperedSlot(`its key-derivation parameters are ${problem}`);
  return o as PasswordParams;
}

function parseKeychainParams(text: string): KeychainParams {
  const o = safeJson(text) as Partial<KeychainParams> | undefined;
  if (!o || typeof o !== 'object' || o.v !== 2 || typeof o.account !== 'string' || o.account.length === 0) throw tamperedSlot('its parameters are not readable');
  return o as KeychainParams;
}

export function readSlots(db: Db): Map<SlotKind, SlotRow> {
  const rows = db.prepare('SELECT kind, params, wrapped FROM key_slots').all() as { kind: SlotKind; params: string; wrapped: Buffer }[];
  return new Map(rows.map((r) => [r.kind, { params: r.params, wrapped: r.wrapped }]));
}

export function writeSlot(db: Db, kind: SlotKind, slot: SlotRow): void {
  db.prepare(
    `INSERT INTO key_slots (kind, params, wrapped, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET params = excluded.params, wrapped = excluded.wrapped, created_at = excluded.created_at`,
  ).run(kind, slot.params, slot.wrapped, new Date().toISOString());
}

const wrap = (kek: Buffer, kind: SlotKind, paramsText: string, vaultId: string, dataKey: Buffer): SlotRow => ({
  params: paramsText,
  wrapped: seal(kek, Buffer.concat([dataKey, Buffer.from(vaultId, 'utf8')]), slotAad(kind, paramsText)),
});

/** The data key from an opened slot, or tampering when it belongs to another vault. */
function unwrapped(plain: Buffer, vaultId: string): Buffer {
  const key = Buffer.from(plain.subarray(0, KEY_BYTES));
  const owner = plain.subarray(KEY_BYTES).toString('utf8');
  wipe(plain);
  if (key.length !== KEY_BYTES || owner !== vaultId) {
    wipe(key);
    throw tamperedSlot('it belongs to another vault, or the vault id was edited');
  }
  return key;
}

/** A password slot for `dataKey`: fresh salt, the given parameters (checked against the floors). */
export async function wrapWithPassword(vaultId: string, dataKey: Buffer, password: string, kdf: ScryptParams): Promise<SlotRow> {
  const problem = kdfProblem(kdf);
  if (problem) throw new AppFailure('invalid-argument', `These key-derivation parameters are ${problem}.`);
  const params: PasswordParams = { v: 2, kdf: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p, salt: randomBytes(16).toString('base64') };
  const kek = await deriveKey(password, Buffer.from(params.salt, 'base64'), params);
  try {
    return wrap(kek, 'password', passwordParamsText(params), vaultId, dataKey);
  } finally {
    wipe(kek);
  }
}

/** The parameters are checked before any derivation; a slot that does not open with them is a wrong password. */
export function checkPasswordSlot(slot: SlotRow): void {
  parsePasswordParams(slot.params);
}

/** Returns the data key, or null when the password is wrong. */
export async function unwrapWithPassword(vaultId: string, slot: SlotRow, password: string): Promise<Buffer | null> {
  const params = parsePasswordParams(slot.params);
  const kek = await deriveKey(password, Buffer.from(params.salt, 'base64'), params);
  try {
    const plain = tryUnwrap(kek, slot.wrapped, slotAad('password', passwordParamsText(params)));
    return plain ? unwrapped(plain, vaultId) : null;
  } finally {
    wipe(kek);
  }
}

/** A keychain slot: a new random key-encryption key, stored in the keychain. */
export async function wrapWithKeychain(vaultId: string, dataKey: Buffer, keychain: Keychain): Promise<SlotRow> {
  const kek = randomBytes(32);
  try {
    const params: KeychainParams = { v: 2, account: keychainAccount(vaultId) };
    await keychain.set(params.account, kek.toString('base64'));
    return wrap(kek, 'keychain', keychainParamsText(params), vaultId, dataKey);
  } finally {
    wipe(kek);
  }
}

/** The key-encryption key a keychain slot names, from the keychain (or keychain-unavailable). */
export async function keychainKek(slot: SlotRow, keychain: Keychain): Promise<Buffer> {
  const params = parseKeychainParams(slot.params);
  const stored = await keychain.get(params.account);
  if (!stored)
    throw new AppFailure('keychain-unavailable', 'The OS keychain no longer holds the key of this vault. Unlock with the master password.');
  return Buffer.from(stored, 'base64');
}

/** The same keychain slot (same keychain entry) wrapping another data key: a re-key needs no keychain write. */
export function rewrapKeychain(vaultId: string, slot: SlotRow, kek: Buffer, dataKey: Buffer): SlotRow {
  return wrap(kek, 'keychain', keychainParamsText(parseKeychainParams(slot.params)), vaultId, dataKey);
}

export async function unwrapWithKeychain(vaultId: string, slot: SlotRow, keychain: Keychain): Promise<Buffer> {
  const kek = await keychainKek(slot, keychain);
  try {
    const plain = tryUnwrap(kek, slot.wrapped, slotAad('keychain', keychainParamsText(parseKeychainParams(slot.params))));
    if (!plain)
      throw new AppFailure('keychain-unavailable', 'The key in the OS keychain does not open this vault. Unlock with the master password.');
    return unwrapped(plain, vaultId);
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

/**
 * Password attempts are serialized per vault, across processes (issue 10 item 4): each attempt RESERVES its turn in
 * one BEGIN IMMEDIATE transaction, counting the attempts still in flight as if they had failed, so k attempts started
 * at once wait as long as k in a row would (12 parallel wrong passwords no longer finish in 4 s). `releaseAttempt`
 * gives the turn back once `recordAttempt` has counted the outcome. A reservation whose turn is long past (its
 * process was killed) stops counting after RESERVATION_TTL_MS.
 */
const RESERVATION_TTL_MS = 120_000;

export function reserveAttempt(db: Db): number {
  return db.transaction(() => {
    const { failures, lastFailedAt } = readAttempts(db);
    const now = Date.now();
    const meta = (k: string) => Number(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(k) ?? 0) || 0;
    const slotAt = meta('attempt_slot_at');
    const pending = slotAt + RESERVATION_TTL_MS < now ? 0 : meta('attempts_pending');
    const turn = Math.max(now, Math.max(lastFailedAt, pending > 0 ? slotAt : 0) + attemptDelayMs(failures + pending));
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    put.run('attempt_slot_at', String(turn));
    put.run('attempts_pending', String(pending + 1));
    return turn - now;
  }).immediate();
}

/** The attempt is over (its outcome recorded): its reservation stops counting; the last one leaves no trace. */
export function releaseAttempt(db: Db): void {
  db.transaction(() => {
    const pending = Number(db.prepare("SELECT value FROM meta WHERE key = 'attempts_pending'").pluck().get() ?? 0) || 0;
    if (pending <= 1) db.prepare("DELETE FROM meta WHERE key IN ('attempts_pending', 'attempt_slot_at')").run();
    else db.prepare("UPDATE meta SET value = ? WHERE key = 'attempts_pending'").run(String(pending - 1));
  }).immediate();
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
