/**
 * A block of names' NAME FILTER: a Bloom filter of the keyed name hashes (`name_ref`) of the block's tokens, kept in
 * the sealed manifest beside the block's generation. A lookup by name opens every block whose filter may hold the
 * name, and checks each whole (its row set and every row against the block), so a row taken out of the name index
 * by hand (its hash changed, the row deleted or given to another workspace) is still met, in its block, and refused
 * as tampering: never a silent miss that lets another token of a similar name answer instead.
 *
 * 16 bits and 11 probes per name: a block is opened for nothing about once in 2,000 (at 10,000 tokens, 157 blocks,
 * one lookup in 13 opens a second block; at 10 bits it was 1.6 extra blocks per lookup, most of its cost). The
 * hashes are HMACs, so their first eight bytes serve as the two probe seeds (double hashing). A block without a
 * filter (written before filters, or with a row not yet given a hash) may hold anything.
 */
const BITS_PER_NAME = 16;
const PROBES = 11;

/** The two probe seeds of a name hash: unsigned, the second odd (`| 1` alone makes a signed, maybe negative, number). */
export function seedsOf(ref: string): [number, number] {
  const bytes = Buffer.from(ref, 'base64url');
  return [bytes.readUInt32BE(0), (bytes.readUInt32BE(4) | 1) >>> 0];
}

/** The filter of a block's name hashes, as stored in the manifest (base64). */
export function nameFilterOf(refs: readonly string[]): string {
  const bits = Math.max(64, Math.ceil((refs.length * BITS_PER_NAME) / 8) * 8);
  const filter = new Uint8Array(bits / 8);
  for (const ref of refs) {
    const [h1, h2] = seedsOf(ref);
    for (let i = 0; i < PROBES; i++) {
      const p = (h1 + i * h2) % bits;
      filter[p >> 3] = (filter[p >> 3] as number) | (1 << (p & 7));
    }
  }
  return Buffer.from(filter).toString('base64');
}

/** Whether a block with this filter may hold a token whose name hash has these seeds (false: it certainly does not). */
export function mayHoldName(filter: Uint8Array, [h1, h2]: readonly [number, number]): boolean {
  const bits = filter.length * 8;
  if (bits === 0) return true;
  for (let i = 0; i < PROBES; i++) {
    const p = (h1 + i * h2) % bits;
    if (((filter[p >> 3] as number) & (1 << (p & 7))) === 0) return false;
  }
  return true;
}
