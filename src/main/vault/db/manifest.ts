import { AppFailure } from '../../errors';
import { aad, open, seal } from '../crypto/vault-crypto';

/**
 * The manifest: one sealed row that vouches for every other one (see row-auth.ts). Rewritten, sealed under the data
 * key, in the same transaction as every write, so a row (or a block of token names) older than the rest of the file
 * is told apart from the current one.
 */
export interface Manifest {
  v: 1;
  /** table -> row id -> how many times Token Vault wrote that row (token_shards: the block's generation). */
  revs: Record<string, Record<string, number>>;
  /** The newest audit entry: its sequence number and MAC (the head of the chain), or null before the first one. */
  audit: { seq: number; mac: string } | null;
  /** The canonical text of the settings rows. */
  settings: string;
  /**
   * token_shards id -> the block's name filter (tokens/name-filter.ts), written with the block. Absent for a block
   * written before filters existed, or holding a row without a name hash: such a block may hold any name.
   */
  names?: Record<string, string>;
}

export const emptyManifest = (settings: string): Manifest => ({ v: 1, revs: {}, audit: null, settings });

const manifestAad = (vaultId: string) => aad('manifest', vaultId, 'v1');

export const sealManifest = (key: Buffer, vaultId: string, m: Manifest): Buffer => seal(key, Buffer.from(JSON.stringify(m), 'utf8'), manifestAad(vaultId));

const tamperedManifest = (why: string) =>
  new AppFailure('vault-tampered', `The vault's manifest ${why}: the file was changed outside Token Vault. Restore it from a backup.`);

export function openManifest(key: Buffer, vaultId: string, blob: Buffer | undefined): Manifest {
  if (!blob) throw tamperedManifest('is missing');
  const m = JSON.parse(open(key, blob, manifestAad(vaultId), "The vault's manifest").toString('utf8')) as Partial<Manifest>;
  if (m.v !== 1 || !m.revs || typeof m.revs !== 'object' || typeof m.settings !== 'string') throw tamperedManifest('is not readable');
  return m as Manifest;
}
