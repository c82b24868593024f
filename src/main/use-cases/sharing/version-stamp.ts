import { hash } from 'node:crypto';

/**
 * Version stamps: a hybrid logical clock plus the device id, as one fixed-width string whose plain string order is
 * the (time, counter, device) order, so every device ranks two stamps the same way.
 *
 * Why an HLC and not version vectors: the repository is one linear history (every push is a fast-forward), so
 * "did both sides change this field since the version we both saw" is answered by the stamp each side recorded at
 * its last sync (the base). What is left to decide is only which of two concurrent values wins, and that needs a
 * total order that every device computes alike; wall time (kept monotonic per device) makes it "the later edit
 * wins", which is what people expect. Vectors would grow with every device that ever joined.
 *
 *   wall ms (9 base-36 digits) . counter (4 base-36 digits) . device id (20 hex)
 */
export type Stamp = string;

const STAMP = /^[0-9a-z]{9}\.[0-9a-z]{4}\.[0-9a-f]{20}$/;
export const isStamp = (s: string): boolean => STAMP.test(s);

export function makeStamp(wallMs: number, counter: number, deviceId: string): Stamp {
  return `${Math.max(0, Math.floor(wallMs)).toString(36).padStart(9, '0')}.${counter.toString(36).padStart(4, '0')}.${deviceId}`;
}

export const stampWall = (s: Stamp): number => parseInt(s.slice(0, 9), 36);
const stampCounter = (s: Stamp): number => parseInt(s.slice(10, 14), 36);
export const stampDevice = (s: Stamp): string => s.slice(15);
export const stampTime = (s: Stamp): string => new Date(stampWall(s)).toISOString();

export const maxStamp = (a: Stamp, b: Stamp): Stamp => (a > b ? a : b);

/** This device's clock: every stamp it issues is later than every stamp it issued or built on before. */
export class DeviceClock {
  constructor(
    readonly deviceId: string,
    private last: Stamp | null,
  ) {}

  get lastIssued(): Stamp | null {
    return this.last;
  }

  /**
   * A stamp for a local edit made at `editMs`, later than `floor` (the version the edit was made over) and than
   * every stamp issued before.
   */
  issue(editMs: number, floor: Stamp | null = null): Stamp {
    let bound = this.last;
    if (floor && (!bound || floor > bound)) bound = floor;
    let next = makeStamp(editMs, 0, this.deviceId);
    if (bound && next <= bound) next = makeStamp(stampWall(bound), stampCounter(bound) + 1, this.deviceId);
    this.last = next;
    return next;
  }
}

/** JSON with object keys sorted, so equal values digest alike whatever order the vault returns keys in. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * Keyed digests of synced values: what a device remembers of the last synced version, enough to tell "changed here
 * since" without keeping a second copy of every value (the key is this device's, so a digest of a secret reveals
 * nothing even if the sealed state leaked). SHA-256 over key || value: only ever compared for equality, so the
 * prefix-keyed form is enough, and the one-shot hash keeps 20 digests per record cheap at 10,000 records.
 */
export const valueDigest = (key: Buffer, value: unknown): string =>
  hash('sha256', key.toString('hex') + canonicalJson(value), 'base64url').slice(0, 22);
