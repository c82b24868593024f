import { createDecipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyPairKeyObjectResult } from 'node:crypto';
import { createConnection } from 'node:net';

/**
 * A read of one Secret Service entry, spoken directly over the D-Bus session bus's unix socket (Linux), for keytar's
 * entries: the same search (keytar's schema), the same item (the first unlocked one), the same value.
 *
 * Why not keytar (libsecret) for reads: libsecret makes six round trips and loads GLib, GIO and libgcrypt first; this
 * makes two, pipelined, with nothing to load (a read answers ~8 ms sooner in a fresh process, measured on a real
 * gnome-keyring). And libsecret waits on the bus's handshake with no time limit, on a thread Node joins at exit, so a
 * bus that accepts and never answers held the process for ever; here the wait has a limit. Why not a D-Bus library:
 * the ones on npm bring an XML parser and dozens of modules, whose loading costs more than the round trips saved.
 *
 * Only reads of unlocked items are done here. A locked item (the keyring prompts for its password), a bus or service
 * that refuses, or anything unexpected answers `ask-keytar`, and libsecret does what it always did.
 */
export type SecretServiceRead =
  | { kind: 'found'; secret: string | null }
  | { kind: 'ask-keytar'; why: string }
  /**
   * Not one byte from the bus within `silentMs` (or given up before it spoke): a bus nothing may wait on again, keytar
   * least of all. `busSpoke`: the bus took the handshake, but the whole answer did not come within `answerMs` (a hung
   * Secret Service): this read is over, a later one may be tried.
   */
  | { kind: 'no-answer'; busSpoke?: true };

export interface ReadLimits {
  /** For the bus's first byte: a bus that says nothing is hung, or is not a bus. */
  silentMs: number;
  /** For the whole answer once the bus has spoken: the service may be waiting for its user (a confirmation dialog). */
  answerMs: number;
}

/** keytar's schema (keytar_posix.cc); libsecret adds the schema's name to the search as `xdg:schema`. */
export function keytarAttributes(service: string, account: string): Record<string, string> {
  return { 'xdg:schema': 'org.freedesktop.Secret.Generic', service, account };
}

/**
 * The socket the first address of a D-Bus address list names when it is a unix one (`unix:path=P`, or on Linux
 * `unix:abstract=N`, values %-escaped), else null (tcp, launchd, a listen-only `unix:tmpdir=`, garbage).
 */
export function unixSocketOf(address: string): string | null {
  const [first = ''] = address.split(';');
  const colon = first.indexOf(':');
  if (colon < 0 || first.slice(0, colon) !== 'unix') return null;
  const keys = new Map(
    first
      .slice(colon + 1)
      .split(',')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return [pair.slice(0, eq), pair.slice(eq + 1)] as const;
      }),
  );
  try {
    const path = keys.get('path');
    if (path) return decodeURIComponent(path);
    const abstract = keys.get('abstract');
    if (abstract) return `\0${decodeURIComponent(abstract)}`;
  } catch {
    // a malformed escape: not an address this reaches
  }
  return null;
}

const SECRETS = { destination: 'org.freedesktop.secrets', path: '/org/freedesktop/secrets', iface: 'org.freedesktop.Secret.Service' };
/** libsecret's algorithm: the secret crosses the bus encrypted to this session (RFC 2409's 1024-bit group, HKDF-SHA256, AES-128-CBC). */
const ALGORITHM = 'dh-ietf1024-sha256-aes128-cbc-pkcs7';
/** The length of the algorithm's prime (RFC 2409's second Oakley group, 1024 bits). */
const PRIME_BYTES = 128;
/** More than any reply to these four calls; a bus that sends more is not believed. */
const MAX_MESSAGE_BYTES = 1 << 20;

/**
 * Reads the entry `attributes` names from the Secret Service behind the unix socket `socketPath`. Never rejects.
 * `signal` gives the read up (its socket and timer would otherwise hold the process until the bus answers): 'no-answer'.
 */
export function readSecretService(socketPath: string, attributes: Record<string, string>, limits: ReadLimits, signal?: AbortSignal): Promise<SecretServiceRead> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ kind: 'no-answer' });
    let heard = false;
    let settled = false;
    const socket = createConnection(socketPath);
    const finish = (read: SecretServiceRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', noAnswer);
      socket.destroy();
      resolve(read);
    };
    const noAnswer = () => finish(heard ? { kind: 'no-answer', busSpoke: true } : { kind: 'no-answer' });
    let timer = setTimeout(noAnswer, limits.silentMs);
    signal?.addEventListener('abort', noAnswer, { once: true });
    const session = new BusSession(socket.write.bind(socket));
    socket.on('data', (data: Buffer) => {
      if (!heard) {
        heard = true;
        clearTimeout(timer);
        timer = setTimeout(noAnswer, limits.answerMs);
      }
      try {
        session.receive(data);
      } catch {
        finish({ kind: 'ask-keytar', why: 'unexpected answer' });
      }
    });
    socket.on('error', () => finish({ kind: 'ask-keytar', why: 'no bus' }));
    socket.on('close', () => finish({ kind: 'ask-keytar', why: 'closed' }));
    lookUp(session, attributes).then(finish, () => finish({ kind: 'ask-keytar', why: 'refused' }));
  });
}

async function lookUp(bus: BusSession, attributes: Record<string, string>): Promise<SecretServiceRead> {
  const dh = dhSession();
  // All three at once (the handshake too, as sd-bus does): one round trip.
  const [, opened, searched] = await Promise.all([
    bus.call({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', iface: 'org.freedesktop.DBus', member: 'Hello' }),
    bus.call({ ...SECRETS, member: 'OpenSession', signature: 'sv' }, (w) => {
      w.string(ALGORITHM);
      w.signature('ay');
      w.bytes(dh.publicValue);
    }),
    bus.call({ ...SECRETS, member: 'SearchItems', signature: 'a{ss}' }, (w) =>
      w.array(8, () => {
        for (const [key, value] of Object.entries(attributes)) {
          w.align(8);
          w.string(key);
          w.string(value);
        }
      }),
    ),
  ]);
  opened.expect('vo');
  if (opened.signature() !== 'ay') throw new Error('not this algorithm');
  const theirs = opened.bytes();
  const sessionPath = opened.string();
  searched.expect('aoao');
  const [unlocked, locked] = [searched.strings(), searched.strings()];
  const item = unlocked[0];
  if (item === undefined) return locked.length > 0 ? { kind: 'ask-keytar', why: 'locked' } : { kind: 'found', secret: null };

  const asked = bus.call({ destination: SECRETS.destination, path: item, iface: 'org.freedesktop.Secret.Item', member: 'GetSecret', signature: 'o' }, (w) =>
    w.string(sessionPath),
  );
  asked.catch(() => undefined); // awaited below, unless the key fails first
  // The session's key, made while the secret is on its way.
  const key = dh.sessionKey(theirs);
  // Every buffer the plain value passes through, wiped however this ends (a value that is not text throws).
  const plain: Buffer[] = [];
  try {
    const got = await asked;
    got.expect('(oayays)');
    got.align(8);
    got.string();
    const iv = got.bytes();
    const sealed = got.bytes();
    const decipher = createDecipheriv('aes-128-cbc', key, iv);
    plain.push(decipher.update(sealed), decipher.final());
    const value = Buffer.concat(plain);
    plain.push(value);
    // libsecret hands back text only; a value that is not (binary, a NUL) is left to it.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(value);
    return text.includes('\0') ? { kind: 'ask-keytar', why: 'not text' } : { kind: 'found', secret: text };
  } finally {
    key.fill(0);
    for (const buffer of plain) buffer.fill(0);
  }
}

/**
 * The Diffie-Hellman of the Secret Service's `dh-ietf1024-sha256-aes128-cbc-pkcs7` with OpenSSL's key objects: the
 * public values cross the bus as bare big-endian integers, which OpenSSL reads and writes only inside a
 * SubjectPublicKeyInfo, so ours is exported once and its algorithm part reused to wrap theirs. (createDiffieHellman
 * would take the bare values, but checks the group's prime at every call: 40 ms.)
 */
function dhSession(): { publicValue: Buffer; sessionKey(theirs: Buffer): Buffer } {
  const { privateKey, publicKey } = generateDhPair('dh', { group: 'modp2' });
  // SEQUENCE { algorithm, BIT STRING { INTEGER } }
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const outer = derElement(spki, 0, 0x30);
  const algorithm = derElement(spki, outer.start, 0x30);
  const bits = derElement(spki, algorithm.end, 0x03);
  const integer = derElement(spki, bits.start + 1, 0x02);
  return {
    // At the prime's length: KWallet refuses a shorter value, which 1 in 256 would be without its leading zero bytes.
    publicValue: padded(stripZeros(spki.subarray(integer.start, integer.end))),
    /** HKDF-SHA256 (no salt, no info) of the shared secret, padded to the prime's length as libsecret takes it: 16 bytes. */
    sessionKey(theirs) {
      const value = stripZeros(theirs);
      const int = derEncode(0x02, value[0] !== undefined && value[0] >= 0x80 ? Buffer.concat([Buffer.of(0), value]) : value);
      const theirSpki = derEncode(0x30, Buffer.concat([spki.subarray(outer.start, algorithm.end), derEncode(0x03, Buffer.concat([Buffer.of(0), int]))]));
      const shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key: theirSpki, format: 'der', type: 'spki' }) });
      const ikm = padded(shared);
      shared.fill(0);
      const key = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), Buffer.alloc(0), 16));
      ikm.fill(0);
      return key;
    },
  };
}

/** A big-endian integer at the prime's length. */
function padded(value: Buffer): Buffer {
  const out = Buffer.alloc(PRIME_BYTES);
  value.copy(out, PRIME_BYTES - value.length);
  return out;
}

/** Node takes a named group for 'dh' key pairs; its typings list no overload for it. */
const generateDhPair = generateKeyPairSync as unknown as (type: 'dh', options: { group: string }) => KeyPairKeyObjectResult;

function stripZeros(value: Buffer): Buffer {
  let at = 0;
  while (at < value.length - 1 && value[at] === 0) at++;
  return value.subarray(at);
}

/** The DER element with `tag` at `at`: where its contents start and end. Throws on anything else. */
function derElement(der: Buffer, at: number, tag: number): { start: number; end: number } {
  if (der[at] !== tag) throw new Error('unexpected DER');
  const first = der[at + 1] ?? 0;
  let length = first;
  let start = at + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count < 1 || count > 3) throw new Error('unexpected DER');
    length = der.readUIntBE(at + 2, count);
    start += count;
  }
  if (start + length > der.length) throw new Error('unexpected DER');
  return { start, end: start + length };
}

function derEncode(tag: number, contents: Buffer): Buffer {
  const n = contents.length;
  const length = n < 0x80 ? Buffer.of(n) : n < 0x100 ? Buffer.of(0x81, n) : Buffer.of(0x82, n >> 8, n & 0xff);
  return Buffer.concat([Buffer.of(tag), length, contents]);
}

interface Call {
  destination: string;
  path: string;
  iface: string;
  member: string;
  signature?: string;
}

/** One client connection: the EXTERNAL handshake, method calls, and their replies matched by serial. */
class BusSession {
  private serial = 0;
  private authenticated = false;
  private pending = new Map<number, { resolve: (reply: Reader) => void; reject: (error: Error) => void }>();
  private buffered = Buffer.alloc(0);

  constructor(private readonly write: (data: Buffer) => void) {
    const uid = Buffer.from(String(process.getuid?.() ?? 0)).toString('hex');
    write(Buffer.from(`\0AUTH EXTERNAL ${uid}\r\nBEGIN\r\n`, 'latin1'));
  }

  call(call: Call, body?: (w: Writer) => void): Promise<Reader> {
    const serial = ++this.serial;
    const payload = new Writer();
    body?.(payload);
    const message = new Writer();
    // little-endian, a method call, no flags, protocol 1
    message.byte(0x6c).byte(1).byte(0).byte(1).uint32(payload.length).uint32(serial);
    message.array(8, () => {
      const fields: [number, string, string][] = [
        [1, 'o', call.path],
        [2, 's', call.iface],
        [3, 's', call.member],
        [6, 's', call.destination],
      ];
      if (call.signature) fields.push([8, 'g', call.signature]);
      for (const [code, type, value] of fields) {
        message.align(8).byte(code).signature(type);
        if (type === 'g') message.signature(value);
        else message.string(value);
      }
    });
    message.align(8);
    return new Promise((resolve, reject) => {
      this.pending.set(serial, { resolve, reject });
      this.write(Buffer.concat([message.done(), payload.done()]));
    });
  }

  /** Throws on anything that is not the D-Bus protocol as these calls expect it. */
  receive(data: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, data]);
    if (!this.authenticated) {
      const end = this.buffered.indexOf('\r\n');
      if (end < 0) {
        if (this.buffered.length > 512) throw new Error('no handshake');
        return;
      }
      if (!this.buffered.subarray(0, end).toString('latin1').startsWith('OK ')) throw new Error('refused');
      this.authenticated = true;
      this.buffered = this.buffered.subarray(end + 2);
    }
    for (;;) {
      if (this.buffered.length < 16) return;
      const little = this.buffered[0] === 0x6c;
      if (!little && this.buffered[0] !== 0x42) throw new Error('not a message');
      const bodyLength = little ? this.buffered.readUInt32LE(4) : this.buffered.readUInt32BE(4);
      const fieldsLength = little ? this.buffered.readUInt32LE(12) : this.buffered.readUInt32BE(12);
      if (bodyLength > MAX_MESSAGE_BYTES || fieldsLength > MAX_MESSAGE_BYTES) throw new Error('too large');
      const bodyAt = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8);
      if (this.buffered.length < bodyAt + bodyLength) return;
      const message = this.buffered.subarray(0, bodyAt + bodyLength);
      this.buffered = this.buffered.subarray(bodyAt + bodyLength);
      this.dispatch(message, little, bodyAt);
    }
  }

  private dispatch(message: Buffer, little: boolean, bodyAt: number): void {
    const type = message[1];
    const header = new Reader(message, little, 12, '');
    const fields = new Map<number, string | number>();
    header.array(8, () => {
      header.align(8);
      const code = header.byte();
      const signature = header.signature();
      // The fields the specification defines hold these types; another is not a message this reads.
      if (signature === 'u') fields.set(code, header.uint32());
      else if (signature === 'g') fields.set(code, header.signature());
      else if (signature === 's' || signature === 'o') fields.set(code, header.string());
      else throw new Error('unknown header field');
    });
    const replyTo = fields.get(5);
    // A signal (the bus's NameAcquired) or a call to us: not an answer to anything asked.
    if ((type !== 2 && type !== 3) || typeof replyTo !== 'number') return;
    const waiting = this.pending.get(replyTo);
    if (!waiting) return;
    this.pending.delete(replyTo);
    if (type === 3) waiting.reject(new Error('error reply'));
    else waiting.resolve(new Reader(message.subarray(bodyAt), little, 0, String(fields.get(8) ?? '')));
  }
}

/** Marshals the few D-Bus types these calls send, little-endian; alignment is from the start of what it writes. */
class Writer {
  private buffer = Buffer.alloc(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const larger = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + n));
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }
  align(to: number): this {
    const pad = (to - (this.length % to)) % to;
    this.room(pad);
    this.buffer.fill(0, this.length, this.length + pad);
    this.length += pad;
    return this;
  }
  byte(value: number): this {
    this.room(1);
    this.buffer[this.length++] = value;
    return this;
  }
  uint32(value: number): this {
    this.align(4).room(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
    return this;
  }
  private raw(data: Buffer): void {
    this.room(data.length + 1);
    data.copy(this.buffer, this.length);
    this.length += data.length;
    this.buffer[this.length++] = 0;
  }
  /** s and o */
  string(value: string): this {
    const data = Buffer.from(value, 'utf8');
    this.uint32(data.length).raw(data);
    return this;
  }
  signature(value: string): this {
    this.byte(value.length).raw(Buffer.from(value, 'latin1'));
    return this;
  }
  bytes(data: Buffer): this {
    this.uint32(data.length).room(data.length);
    data.copy(this.buffer, this.length);
    this.length += data.length;
    return this;
  }
  /** An array whose elements align to `elementAlign`: its length counts from the first element. */
  array(elementAlign: number, elements: () => void): this {
    this.uint32(0);
    const lengthAt = this.length - 4;
    this.align(elementAlign);
    const start = this.length;
    elements();
    this.buffer.writeUInt32LE(this.length - start, lengthAt);
    return this;
  }
  done(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** Reads a reply's body (or a header) of a known signature; every read is bounds-checked by Buffer and throws. */
class Reader {
  constructor(
    private readonly buffer: Buffer,
    private readonly little: boolean,
    private at: number,
    private readonly bodySignature: string,
  ) {}

  expect(signature: string): void {
    if (this.bodySignature !== signature) throw new Error(`expected ${signature}`);
  }
  align(to: number): void {
    this.at += (to - (this.at % to)) % to;
    if (this.at > this.buffer.length) throw new RangeError('past the end');
  }
  byte(): number {
    const value = this.buffer[this.at++];
    if (value === undefined) throw new RangeError('past the end');
    return value;
  }
  uint32(): number {
    this.align(4);
    const value = this.little ? this.buffer.readUInt32LE(this.at) : this.buffer.readUInt32BE(this.at);
    this.at += 4;
    return value;
  }
  private take(n: number): Buffer {
    if (this.at + n > this.buffer.length) throw new RangeError('past the end');
    const data = this.buffer.subarray(this.at, this.at + n);
    this.at += n;
    return data;
  }
  string(): string {
    const value = this.take(this.uint32()).toString('utf8');
    this.take(1);
    return value;
  }
  signature(): string {
    const value = this.take(this.byte()).toString('latin1');
    this.take(1);
    return value;
  }
  bytes(): Buffer {
    return Buffer.from(this.take(this.uint32()));
  }
  array(elementAlign: number, element: () => void): void {
    const length = this.uint32();
    this.align(elementAlign);
    const end = this.at + length;
    if (end > this.buffer.length) throw new RangeError('past the end');
    while (this.at < end) element();
    if (this.at !== end) throw new Error('array overran');
  }
  /** ao */
  strings(): string[] {
    const values: string[] = [];
    this.array(4, () => values.push(this.string()));
    return values;
  }
}
