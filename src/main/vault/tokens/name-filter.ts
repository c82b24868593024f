/**
 * A block of names' NAME FILTER: a Bloom filter of the keyed name hashes (`name_ref`) of the block's tokens, kept in
 * the sealed manifest beside the block's generation. A lookup by name opens every block whose filter may hold the
 * name, and checks each whole (its row set and every row against the block), so a row taken out of the name index
 * by hand (its hash changed, the row deleted or given to another workspace) is still met, in its block, and refused
 * as tampering: never a silent miss that lets another token of a similar name answer instead.
 *
 * 10 bits and 7 probes per name: about 1 block in 100 is opened for nothing. The hashes are HMACs, so their first
 * eight bytes serve as the two probe seeds (double hashing). A block without a filter (written before filters, or
 * with a row not yet given a hash) may hold anything.
 */
const BITS_PER_NAME = 10;
const PROBES = 7;

function probes(ref: string, bits: number): number[] {
  const bytes = Buffer.from(ref, 'base64url');
  const h1 = bytes.readUInt32BE(0);
  // Odd, and unsigned: `| 1` alone makes a signed 32-bit number, and a negative probe.
  const h2 = (bytes.readUInt32BE(4) | 1) >>> 0;
  return Array.from({ length: PROBES }, (_, i) => (h1 + i * h2) % bits);
}

/** The filter of a block's name hashes, as stored in the manifest (base64). */
export function nameFilterOf(refs: readonly string[]): string {
  const bits = Math.max(64, Math.ceil((refs.length * BITS_PER_NAME) / 8) * 8);
  const filter = new Uint8Array(bits / 8);
  for (const ref of refs) for (const p of probes(ref, bits)) filter[p >> 3] = (filter[p >> 3] as number) | (1 << (p & 7));
  return Buffer.from(filter).toString('base64');
}

/** Whether a block with this filter may hold a token with this name hash (false: it certainly does not). */
export function mayHoldName(filter: Uint8Array, ref: string): boolean {
  const bits = filter.length * 8;
  if (bits === 0) return true;
  for (const p of probes(ref, bits)) if (((filter[p >> 3] as number) & (1 << (p & 7))) === 0) return false;
  return true;
}
