import { aad, open, seal } from '../crypto/vault-crypto';

/**
 * A token's sealed searchable fields, kept with a few hundred others in one `token_shards` blob: decrypting one
 * blob per token costs ~6 us each (60 ms at 10k), a blob per 256 tokens costs next to nothing. Each write rewrites
 * only its own shard (~50 KB), so inserts stay fast at 50k tokens.
 */
export const SHARD_SIZE = 256;

/** [name, description, prefix, type, scopes, url, notes]: arrays keep the blob small and JSON.parse fast. */
export type SealedFields = [
  name: string,
  description: string | null,
  prefix: string | null,
  type: string | null,
  scopes: string[],
  url: string | null,
  notes: string | null,
];

export type ShardContent = Record<string, SealedFields>;

const shardAad = (shardId: number) => aad('token_shards', shardId, 'summaries');

export function sealShard(key: Buffer, shardId: number, content: ShardContent): Buffer {
  return seal(key, Buffer.from(JSON.stringify(content), 'utf8'), shardAad(shardId));
}

export function openShardText(key: Buffer, shardId: number, blob: Uint8Array): string {
  return open(key, blob, shardAad(shardId), 'A block of token names').toString('utf8');
}

export function openShard(key: Buffer, shardId: number, blob: Uint8Array): ShardContent {
  return JSON.parse(openShardText(key, shardId, blob)) as ShardContent;
}
