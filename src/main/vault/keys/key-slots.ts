import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
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

/**
 * FORMAT-1 SLOTS (the first release): parameters without `v`, the AAD naming the vault and the kind, the bare data key
 * as plaintext. Still opened so a vault of that release unlocks (and is upgraded, keys/format1-upgrade.ts); each is
 * replaced by a format-2 slot as soon as the secret that wraps it is at hand. KDF floors apply to them too.
 */
export const isLegacySlot = (slot: SlotRow): boolean => (safeJson(slot.params) as { v?: unknown } | undefined)?.v === undefined;
const legacyAad = (vaultId: string, kind: SlotKind) => aad('key_slots', vaultId, kind);

function legacyParams(slot: SlotRow): { N: number; r: number; p: number; salt: string; account?: string } {
  const o = safeJson(slot.params) as { N?: unknown; r?: unknown; p?: unknown; salt?: unknown; account?: unknown } | undefined;
  if (!o || typeof o !== 'object') throw tamperedSlot('its parameters are not readable');
  return o as { N: number; r: number; p: number; salt: string; account?: string };
}

/** The scrypt parameters of a format-1 password slot when they meet today's floors (reused for its format-2 slot). */
export function legacyKdf(slot: SlotRow): ScryptParams | null {
  const o = legacyParams(slot);
  return kdfProblem(o) ? null : { N: o.N, r: o.r, p: o.p };
}

export async function unwrapLegacyPassword(vaultId: string, slot: SlotRow, password: string): Promise<Buffer | null> {
  const o = legacyParams(slot);
  const problem = kdfProblem(o);
  if (problem || typeof o.salt !== 'string' || Buffer.from(o.salt, 'base64').length < 16) throw tamperedSlot(`its key-derivation parameters are ${problem ?? 'not readable'}`);
  const kek = await deriveKey(password, Buffer.from(o.salt, 'base64'), { N: o.N, r: o.r, p: o.p });
  try {
    const key = tryUnwrap(kek, slot.wrapped, legacyAad(vaultId, 'password'));
    if (key && key.length !== KEY_BYTES) throw tamperedSlot('it does not hold a key');
    return key;
  } finally {
    wipe(kek);
  }
}

/** The keychain entry a format-1 keychain slot names, and its format-2 parameters. */
export function legacyKeychainSlot(slot: SlotRow): SlotRow {
  const { account } = legacyParams(slot);
  if (typeof account !== 'string' || account.length === 0) throw tamperedSlot('its parameters are not readable');
  return { params: keychainParamsText({ v: 2, account }), wrapped: slot.wrapped };
}

export async function unwrapLegacyKeychain(vaultId: string, slot: SlotRow, keychain: Keychain): Promise<Buffer> {
  const kek = await keychainKek(legacyKeychainSlot(slot), keychain);
  try {
    const key = tryUnwrap(kek, slot.wrapped, legacyAad(vaultId, 'keychain'));
    if (!key || key.length !== KEY_BYTES)
      throw new AppFailure('keychain-unavailable', 'The key in the OS keychain does not open this vault. Unlock with the master password.');
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

const MAX_ATTEMPT_DELAY_MS = 30_000;

/** One typo is free; then 0.5 s, 1 s, 2 s ... up to 30 s between attempts. */
export function attemptDelayMs(failures: number): number {
  if (failures < 2) return 0;
  return Math.min(MAX_ATTEMPT_DELAY_MS, 500 * 2 ** (failures - 2));
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
 * gives the turn back once `recordAttempt` has counted the outcome.
 *
 * Each reservation names its process: one whose process is gone (killed mid-unlock: a script's timeout, kill -9) stops
 * counting at once, and any stops after RESERVATION_TTL_MS. Counted as one shared number instead, every killed attempt
 * stayed "in flight" and each later unlock waited longer (up to 30 s) for as long as unlocks kept coming. Dropping a
 * dead process's turn gives an attacker nothing: a killed attempt tested no password, and whoever can kill the
 * process can read the file and guess offline anyway.
 */
const RESERVATION_TTL_MS = 120_000;
/** No queue of attempts is longer than this; a turn or failure time further out is a damaged row or a wrong clock. */
const LONGEST_QUEUE_MS = 3_600_000;
const IN_FLIGHT = 'attempts_in_flight';

interface Reservation {
  id: string;
  pid: number;
  at: number;
  /** Where `pid` means something (processSpace); absent in reservations written before it was kept. */
  space?: string;
}

let ownSpace: string | undefined;
/**
 * The process-id space this process runs in: its PID namespace and the boot it belongs to, on Linux (a container
 * sharing the vault file with its host has its own pids, and after a reboot every pid is another process). Empty
 * where the system says neither.
 */
function processSpace(): string {
  if (ownSpace === undefined) {
    const read = (what: () => string) => {
      try {
        return what().trim();
      } catch {
        return '';
      }
    };
    ownSpace = `${read(() => readlinkSync('/proc/self/ns/pid'))}|${read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'))}`;
    if (ownSpace === '|') ownSpace = '';
  }
  return ownSpace;
}

/**
 * Whether the process that made a reservation still runs (EPERM: it does, as another user). One of another PID
 * namespace or boot cannot be asked: its pid names some other process here, or none. It counts until it lapses.
 */
function reservationAlive(r: Reservation): boolean {
  if (r.space !== undefined && r.space !== processSpace()) return true;
  try {
    process.kill(r.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function liveReservations(db: Db, now: number): Reservation[] {
  const raw = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(IN_FLIGHT);
  let list: unknown;
  try {
    list = typeof raw === 'string' ? JSON.parse(raw) : [];
  } catch {
    list = []; // a damaged list only ever made unlocks wait; it is rebuilt from the attempts that follow
  }
  if (!Array.isArray(list)) return [];
  return list.filter(
    (r): r is Reservation =>
      typeof r === 'object' && r !== null && typeof r.id === 'string' && Number.isSafeInteger(r.pid) && typeof r.at === 'number' && (r.space === undefined || typeof r.space === 'string') && r.at + RESERVATION_TTL_MS >= now && r.at <= now + LONGEST_QUEUE_MS && reservationAlive(r),
  );
}

function writeReservations(db: Db, list: readonly Reservation[]): void {
  // The single count of earlier versions never lapsed while unlocks kept coming: it goes with the first write.
  db.prepare("DELETE FROM meta WHERE key = 'attempts_pending'").run();
  if (list.length === 0) {
    db.prepare('DELETE FROM meta WHERE key IN (?, ?)').run(IN_FLIGHT, 'attempt_slot_at');
    return;
  }
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(IN_FLIGHT, JSON.stringify(list));
}

/** This attempt's turn: how long to wait (ms), and the reservation to give back with `releaseAttempt`. */
export function reserveAttempt(db: Db): { waitMs: number; reservation: string } {
  return db.transaction(() => {
    const { failures, lastFailedAt: recorded } = readAttempts(db);
    const now = Date.now();
    const live = liveReservations(db, now);
    const pending = live.length;
    // Times ahead of now (a clock that was wrong, a hand-edited row) count as now: they must not lock the owner out,
    // and each attempt in flight is at most one longest delay after the one before it.
    const lastFailedAt = Math.min(recorded, now);
    const slotAt = Math.min(Number(db.prepare("SELECT value FROM meta WHERE key = 'attempt_slot_at'").pluck().get() ?? 0) || 0, now + pending * MAX_ATTEMPT_DELAY_MS);
    const turn = Math.min(now + LONGEST_QUEUE_MS, Math.max(now, Math.max(lastFailedAt, pending > 0 ? slotAt : 0) + attemptDelayMs(failures + pending)));
    const reservation = randomUUID();
    // A reservation lapses RESERVATION_TTL_MS after its TURN, not after it was made: an attempt queued behind others
    // waits longer than that, and must keep counting until it has had its turn.
    writeReservations(db, [...live, { id: reservation, pid: process.pid, at: turn, space: processSpace() }]);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run('attempt_slot_at', String(turn));
    return { waitMs: turn - now, reservation };
  }).immediate();
}

/** The attempt is over (its outcome recorded): its reservation stops counting; the last one leaves no trace. */
export function releaseAttempt(db: Db, reservation: string): void {
  db.transaction(() => {
    writeReservations(
      db,
      liveReservations(db, Date.now()).filter((r) => r.id !== reservation),
    );
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
