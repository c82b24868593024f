import { aad, open, seal } from '../crypto/vault-crypto';

/**
 * A token's sealed searchable fields, kept with a few dozen others in one `token_shards` blob: decrypting one blob per
 * token costs ~6 us each (60 ms at 10k); a blob per 64 tokens costs next to nothing, and a reference by name (issue
 * 13: `run`, `inject`, `get W/N`) opens only its own block (~30 KB, a quarter of the 256-token blocks before it). Each
 * write rewrites only its own shard, so inserts stay fast at 50k tokens. Blocks written with 256 stay as they are.
 *
 * A shard also vouches for its tokens' clear rows (row-auth.ts, point 3): each entry ends with the canonical text of
 * its row as Token Vault last wrote it, and the shard's AAD names its generation, which the manifest holds.
 */
export const SHARD_SIZE = 64;

/**
 * [name, description, prefix, type, scopes, url, notes, remoteId]: arrays keep the blob small and JSON.parse fast.
 * The remote id is sealed: a HashiCorp Vault accessor is itself sensitive; the clear row keeps a keyed hash of it.
 */
export type SealedFields = [
  name: string,
  description: string | null,
  prefix: string | null,
  type: string | null,
  scopes: string[],
  url: string | null,
  notes: string | null,
  remoteId: string | null,
];

/** A shard entry: the sealed fields, then the canonical text of the token's clear row. */
export type ShardEntry = [...SealedFields, string];
export type ShardContent = Record<string, ShardEntry>;

const shardAad = (shardId: number, gen: number) => aad('token_shards', shardId, `summaries/${gen}`);

export function sealShard(key: Buffer, shardId: number, gen: number, content: ShardContent): Buffer {
  return seal(key, Buffer.from(JSON.stringify(content), 'utf8'), shardAad(shardId, gen));
}

export function openShard(key: Buffer, shardId: number, gen: number, blob: Uint8Array): ShardContent {
  return JSON.parse(open(key, blob, shardAad(shardId, gen), `The block of token names ${shardId}`).toString('utf8')) as ShardContent;
}
