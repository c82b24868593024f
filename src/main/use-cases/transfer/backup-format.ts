import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppFailure } from '../../errors';
import { calibrateScrypt, deriveKey, openUnderSlots, scryptMaxmem, type Keychain, type KeySlotCopy, type ScryptParams, type VaultImage } from '../../vault';

/**
 * The backup file (version 1): one authenticated, encrypted file that opens with the vault's master password of the
 * time (it carries the vault's own wrapped key slots) or with a separate backup password.
 *
 *   "TVBACKUP" | u16 version | u32 n | header JSON (n bytes) | SHA-256 of everything before it
 *   then chunks: u32 length | AES-256-GCM ciphertext | 16-byte tag
 *
 * The payload is the vault's SQLite file, encrypted in 1 MiB chunks under a random payload key; chunk i uses nonce
 * (header nonce prefix || i) and AAD (header digest || i || last?), so the header (KDF parameters and key slots
 * included), the order, the count and the end of the chunks are all authenticated: any changed byte fails. The
 * payload key is sealed under the vault's data key (opened through the copied key slots) and, optionally, under a
 * key scrypt derives from the backup password.
 */
const MAGIC = Buffer.from('TVBACKUP', 'latin1');
export const BACKUP_VERSION = 1;
const CHUNK = 1024 * 1024;
const PREFIX = MAGIC.length + 2 + 4;
/** Floors for the backup-password KDF read from a file: a header cannot talk us into a cheap derivation. */
const SCRYPT_FLOOR = { N: 2 ** 14, r: 8 };

const b64 = z.lazy(() => z.string().max(1_000_000));
const Header = z.lazy(() =>
  z.object({
    app: z.literal('Token Vault'),
    vaultId: z.string().min(1).max(100),
    schemaVersion: z.number().int().min(0),
    createdAt: z.string().max(40),
    payload: z.object({
      cipher: z.literal('aes-256-gcm'),
      chunkSize: z.number().int().min(1).max(16 * CHUNK),
      chunks: z.number().int().min(1).max(1_000_000),
      size: z.number().int().min(1),
      noncePrefix: b64,
    }),
    keys: z.object({
      underDataKey: b64,
      vaultSlots: z.array(z.object({ kind: z.enum(['password', 'keychain']), params: z.string().max(10_000), wrapped: b64 })).max(4),
      backupPassword: z
        .object({
          kdf: z.literal('scrypt'),
          N: z.number().int().min(SCRYPT_FLOOR.N).max(2 ** 22),
          r: z.number().int().min(SCRYPT_FLOOR.r).max(32),
          p: z.number().int().min(1).max(64),
          maxmem: z.number().int().min(1).max(2 ** 31),
          salt: b64,
          wrapped: b64,
        })
        .optional(),
    }),
  }),
);
export type BackupHeader = z.infer<typeof Header>;

export const tamperedBackup = () =>
  new AppFailure('vault-tampered', 'The backup failed its integrity check: it was changed or damaged. Nothing was restored.');

const keyAad = (vaultId: string, noncePrefix: string) => Buffer.from(`Token Vault backup v1\u0000${vaultId}\u0000${noncePrefix}`, 'utf8');

function sealKey(kek: Buffer, key: Buffer, ad: Buffer): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, nonce).setAAD(ad);
  const body = Buffer.concat([c.update(key), c.final()]);
  return Buffer.concat([nonce, c.getAuthTag(), body]);
}

function openKey(kek: Buffer, sealed: Buffer, ad: Buffer): Buffer | null {
  try {
    const d = createDecipheriv('aes-256-gcm', kek, sealed.subarray(0, 12)).setAAD(ad);
    d.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
  } catch {
    return null;
  }
}

/** The vault's own scrypt (it sizes maxmem from N, r and p; the header's maxmem is informative only). */
const derive = deriveKey;

const chunkAad = (digest: Buffer, index: number, last: boolean) => {
  const ad = Buffer.alloc(digest.length + 5);
  digest.copy(ad);
  ad.writeUInt32BE(index, digest.length);
  ad[digest.length + 4] = last ? 1 : 0;
  return ad;
};
const chunkNonce = (prefix: Buffer, index: number) => {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 8);
  n.writeUInt32BE(index, 8);
  return n;
};

/** Encrypts a vault image into backup bytes. `sealUnderDataKey` is the vault's (the data key never leaves it). */
export async function encodeBackup(
  image: VaultImage,
  sealUnderDataKey: (plain: Buffer, ad: Buffer) => Buffer,
  options: { backupPassword?: string; backupKdf?: ScryptParams; now?: Date } = {},
): Promise<Buffer> {
  const payloadKey = randomBytes(32);
  try {
    const noncePrefix = randomBytes(8).toString('base64');
    const ad = keyAad(image.vaultId, noncePrefix);
    let backupPassword: BackupHeader['keys']['backupPassword'];
    if (options.backupPassword) {
      const kdf = options.backupKdf ?? (await calibrateScrypt());
      const salt = randomBytes(16);
      const kek = await derive(options.backupPassword, salt, kdf);
      backupPassword = { kdf: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p, maxmem: scryptMaxmem(kdf), salt: salt.toString('base64'), wrapped: sealKey(kek, payloadKey, ad).toString('base64') };
      kek.fill(0);
    }
    const chunks = Math.max(1, Math.ceil(image.image.length / CHUNK));
    const header: BackupHeader = {
      app: 'Token Vault',
      vaultId: image.vaultId,
      schemaVersion: image.schemaVersion,
      createdAt: (options.now ?? new Date()).toISOString(),
      payload: { cipher: 'aes-256-gcm', chunkSize: CHUNK, chunks, size: image.image.length, noncePrefix },
      keys: {
        underDataKey: sealUnderDataKey(payloadKey, ad).toString('base64'),
        vaultSlots: image.slots.map((s) => ({ kind: s.kind, params: s.params, wrapped: s.wrapped.toString('base64') })),
        ...(backupPassword ? { backupPassword } : {}),
      },
    };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const head = Buffer.alloc(PREFIX);
    MAGIC.copy(head);
    head.writeUInt16BE(BACKUP_VERSION, MAGIC.length);
    head.writeUInt32BE(json.length, MAGIC.length + 2);
    const digest = createHash('sha256').update(head).update(json).digest();
    const parts: Buffer[] = [head, json, digest];
    const prefix = Buffer.from(noncePrefix, 'base64');
    for (let i = 0; i < chunks; i++) {
      const plain = image.image.subarray(i * CHUNK, Math.min(image.image.length, (i + 1) * CHUNK));
      const c = createCipheriv('aes-256-gcm', payloadKey, chunkNonce(prefix, i)).setAAD(chunkAad(digest, i, i === chunks - 1));
      const body = Buffer.concat([c.update(plain), c.final()]);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(body.length);
      parts.push(len, body, c.getAuthTag());
    }
    return Buffer.concat(parts);
  } finally {
    payloadKey.fill(0);
  }
}

export interface ParsedBackup {
  header: BackupHeader;
  digest: Buffer;
  body: Buffer;
}

/** Reads and checks the header (shape, version, checksum) without any password. */
export function parseBackup(file: Buffer): ParsedBackup {
  if (file.length < PREFIX + 32 || !file.subarray(0, MAGIC.length).equals(MAGIC))
    throw new AppFailure('invalid-argument', 'This is not a Token Vault backup file. Nothing was restored.');
  const version = file.readUInt16BE(MAGIC.length);
  if (version > BACKUP_VERSION)
    throw new AppFailure('vault-too-new', `This backup was written by a newer Token Vault (backup format ${version}). Update Token Vault; nothing was restored.`);
  if (version !== BACKUP_VERSION) throw tamperedBackup();
  const n = file.readUInt32BE(MAGIC.length + 2);
  if (n > 4 * 1024 * 1024 || PREFIX + n + 32 > file.length) throw tamperedBackup();
  const digest = createHash('sha256').update(file.subarray(0, PREFIX + n)).digest();
  if (!digest.equals(file.subarray(PREFIX + n, PREFIX + n + 32))) throw tamperedBackup();
  let header: BackupHeader;
  try {
    header = Header.parse(JSON.parse(file.subarray(PREFIX, PREFIX + n).toString('utf8')));
  } catch {
    throw tamperedBackup();
  }
  return { header, digest, body: file.subarray(PREFIX + n + 32) };
}

export interface BackupUnlock {
  backupPassword?: string;
  masterPassword?: string;
  keychain?: Keychain;
  /** Asked when neither password was given and the keychain did not open it (a prompt). */
  ask?: () => Promise<string>;
}

/** The payload key: through the backup password, else the master password of the time, else the OS keychain. */
export async function openPayloadKey(parsed: ParsedBackup, unlock: BackupUnlock): Promise<Buffer> {
  const first = await tryUnlock(parsed, unlock);
  if (first) return first;
  if (unlock.ask && unlock.backupPassword === undefined && unlock.masterPassword === undefined) {
    const password = await unlock.ask();
    const asked = await tryUnlock(parsed, { backupPassword: password, masterPassword: password });
    if (asked) return asked;
  } else if (unlock.backupPassword === undefined && unlock.masterPassword === undefined)
    throw new AppFailure('wrong-password', 'No password was given that this backup accepts (its master password of the time, or its backup password).');
  throw new AppFailure('wrong-password', 'Neither the backup password nor the master password of the time opens this backup. Nothing was restored.');
}

async function tryUnlock(parsed: ParsedBackup, unlock: BackupUnlock): Promise<Buffer | null> {
  const { header } = parsed;
  const ad = keyAad(header.vaultId, header.payload.noncePrefix);
  const bp = header.keys.backupPassword;
  if (unlock.backupPassword !== undefined && bp) {
    const kek = await derive(unlock.backupPassword, Buffer.from(bp.salt, 'base64'), { N: bp.N, r: bp.r, p: bp.p, maxmem: bp.maxmem });
    const key = openKey(kek, Buffer.from(bp.wrapped, 'base64'), ad);
    kek.fill(0);
    if (key) return key;
  }
  const slots: KeySlotCopy[] = header.keys.vaultSlots.map((s) => ({ kind: s.kind, params: s.params, wrapped: Buffer.from(s.wrapped, 'base64') }));
  const sealed = Buffer.from(header.keys.underDataKey, 'base64');
  const passwords = [...new Set([unlock.masterPassword, unlock.backupPassword])];
  for (const password of passwords) {
    if (password === undefined || !slots.some((s) => s.kind === 'password')) continue;
    let key: Buffer | null;
    try {
      key = await openUnderSlots(header.vaultId, slots, sealed, ad, { password });
    } catch (error) {
      if (error instanceof AppFailure && error.code === 'vault-corrupt') throw tamperedBackup();
      throw error;
    }
    if (key) return key;
  }
  if (unlock.keychain && slots.some((s) => s.kind === 'keychain') && (await unlock.keychain.isAvailable()))
    return openUnderSlots(header.vaultId, slots, sealed, ad, { keychain: unlock.keychain }).catch(() => null);
  return null;
}

/** Decrypts and authenticates every chunk; any changed, missing, extra or reordered byte is vault-tampered. */
export function decodePayload(parsed: ParsedBackup, payloadKey: Buffer): Buffer {
  const { header, digest, body } = parsed;
  const { chunks, size, chunkSize } = header.payload;
  const prefix = Buffer.from(header.payload.noncePrefix, 'base64');
  if (prefix.length !== 8) throw tamperedBackup();
  const out = Buffer.alloc(size);
  let offset = 0;
  let written = 0;
  try {
    for (let i = 0; i < chunks; i++) {
      if (offset + 4 > body.length) throw tamperedBackup();
      const len = body.readUInt32BE(offset);
      offset += 4;
      if (len > chunkSize || offset + len + 16 > body.length) throw tamperedBackup();
      const d = createDecipheriv('aes-256-gcm', payloadKey, chunkNonce(prefix, i)).setAAD(chunkAad(digest, i, i === chunks - 1));
      d.setAuthTag(body.subarray(offset + len, offset + len + 16));
      let plain: Buffer;
      try {
        plain = Buffer.concat([d.update(body.subarray(offset, offset + len)), d.final()]);
      } catch {
        throw tamperedBackup();
      }
      if (written + plain.length > size) throw tamperedBackup();
      plain.copy(out, written);
      written += plain.length;
      plain.fill(0);
      offset += len + 16;
    }
    if (offset !== body.length || written !== size) throw tamperedBackup();
    return out;
  } catch (error) {
    out.fill(0);
    throw error;
  }
}
