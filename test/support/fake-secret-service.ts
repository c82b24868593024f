import { createCipheriv, createDiffieHellmanGroup, hkdfSync, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * A Secret Service on a unix socket that does what gnome-keyring does for the four calls of a direct read
 * (src/main/vault/keys/secret-service.ts: Hello, OpenSession with the DH algorithm, SearchItems, Item.GetSecret),
 * with a real Diffie-Hellman exchange and AES-128-CBC, and lets a test twist any of it: the byte order of its
 * replies, how they are cut into writes, their serials, their header fields, their bodies. What a hostile or buggy
 * bus would send, on a real socket.
 */
export interface FakeItem {
  path: string;
  secret: Buffer;
  contentType?: string;
}

export interface FakeBusOptions {
  /** Big-endian replies ('B') instead of little-endian ('l'). */
  order?: 'l' | 'B';
  /** The items SearchItems answers: unlocked, then locked. */
  unlocked?: string[];
  locked?: string[];
  items?: FakeItem[];
  /** Replaces a reply before it is sent (undefined: sends nothing). */
  reply?: (call: CallSeen, reply: Reply) => Reply | Reply[] | undefined;
  /** How the bytes go out: by default in one write per reply. */
  send?: (socket: Socket, data: Buffer) => void;
  /** A session key that differs from the one agreed (a service that encrypts with another key). */
  wrongKey?: boolean;
  /** Sees the client's public value first; a reply it returns is sent instead of the session (no Diffie-Hellman). */
  openSession?: (publicValue: Buffer, serial: number) => Reply | undefined;
}

export interface CallSeen {
  serial: number;
  member: string;
  path: string;
  body: Buffer;
}

export interface Reply {
  type: number;
  replySerial: number;
  signature: string;
  body: (w: Marshal) => void;
  /** Header fields beyond REPLY_SERIAL and SIGNATURE: [code, signature, write]. */
  extraFields?: [number, string, (w: Marshal) => void][];
  /** Overrides the reply-serial field's type (a header field of an odd type). */
  replySerialAs?: 's';
}

/** A D-Bus marshaller of either byte order, alignment from its own start. */
export class Marshal {
  private parts: number[] = [];
  constructor(readonly order: 'l' | 'B') {}
  get length(): number {
    return this.parts.length;
  }
  align(n: number): this {
    while (this.parts.length % n) this.parts.push(0);
    return this;
  }
  byte(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  uint32(v: number): this {
    this.align(4);
    const b = Buffer.alloc(4);
    if (this.order === 'l') b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    this.parts.push(...b);
    return this;
  }
  setUint32(at: number, v: number): void {
    const b = Buffer.alloc(4);
    if (this.order === 'l') b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    for (let i = 0; i < 4; i++) this.parts[at + i] = b[i] ?? 0;
  }
  string(v: string | Buffer): this {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.uint32(b.length);
    this.parts.push(...b, 0);
    return this;
  }
  signature(v: string): this {
    this.byte(v.length);
    this.parts.push(...Buffer.from(v, 'latin1'), 0);
    return this;
  }
  bytes(v: Buffer): this {
    this.uint32(v.length);
    this.parts.push(...v);
    return this;
  }
  array(elementAlign: number, elements: () => void, lengthOverride?: number): this {
    this.uint32(0);
    const at = this.parts.length - 4;
    this.align(elementAlign);
    const start = this.parts.length;
    elements();
    this.setUint32(at, lengthOverride ?? this.parts.length - start);
    return this;
  }
  done(): Buffer {
    return Buffer.from(this.parts);
  }
}

export function message(order: 'l' | 'B', reply: Reply, serial: number): Buffer {
  const body = new Marshal(order);
  reply.body(body);
  const m = new Marshal(order);
  m.byte(order.charCodeAt(0)).byte(reply.type).byte(1).byte(1).uint32(body.length).uint32(serial);
  const fields: [number, string, (w: Marshal) => void][] = [
    reply.replySerialAs === 's' ? [5, 's', (w) => w.string(String(reply.replySerial))] : [5, 'u', (w) => w.uint32(reply.replySerial)],
    [4, 's', (w) => w.string('org.freedesktop.secrets')],
    ...(reply.signature ? ([[8, 'g', (w: Marshal) => w.signature(reply.signature)]] as [number, string, (w: Marshal) => void][]) : []),
    ...(reply.extraFields ?? []),
  ];
  m.array(8, () => {
    for (const [code, sig, write] of fields) {
      m.align(8).byte(code).signature(sig);
      write(m);
    }
  });
  m.align(8);
  return Buffer.concat([m.done(), body.done()]);
}

/** Reads the little-endian method calls the direct read sends. */
function parseCalls(buffer: Buffer): { calls: CallSeen[]; rest: Buffer } {
  const calls: CallSeen[] = [];
  let rest = buffer;
  while (rest.length >= 16) {
    const bodyLength = rest.readUInt32LE(4);
    const serial = rest.readUInt32LE(8);
    const fieldsLength = rest.readUInt32LE(12);
    const bodyAt = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8);
    if (rest.length < bodyAt + bodyLength) break;
    let at = 16;
    let member = '';
    let path = '';
    while (at < 16 + fieldsLength) {
      at += (8 - (at % 8)) % 8;
      const code = rest[at] ?? 0;
      const sigLen = rest[at + 1] ?? 0;
      const sig = rest.toString('latin1', at + 2, at + 2 + sigLen);
      at += 3 + sigLen;
      if (sig === 'g') {
        const n = rest[at] ?? 0;
        at += n + 2;
      } else {
        at += (4 - (at % 4)) % 4;
        const n = rest.readUInt32LE(at);
        const value = rest.toString('utf8', at + 4, at + 4 + n);
        at += 4 + n + 1;
        if (code === 3) member = value;
        if (code === 1) path = value;
      }
    }
    calls.push({ serial, member, path, body: rest.subarray(bodyAt, bodyAt + bodyLength) });
    rest = rest.subarray(bodyAt + bodyLength);
  }
  return { calls, rest };
}

export const SESSION_PATH = '/org/freedesktop/secrets/session/fake1';

/** The connection handler of the fake service. */
export function fakeSecretService(options: FakeBusOptions): (socket: Socket) => void {
  const order = options.order ?? 'l';
  return (socket) => {
    let buffered: Buffer = Buffer.alloc(0);
    let authed = false;
    let serial = 1000;
    let key: Buffer | undefined;
    const send = (data: Buffer) => (options.send ? options.send(socket, data) : socket.write(data));
    socket.on('error', () => undefined);
    socket.on('data', (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      if (!authed) {
        const end = buffered.indexOf('BEGIN\r\n');
        if (end < 0) return;
        authed = true;
        buffered = buffered.subarray(end + 7);
        send(Buffer.from('OK 0123456789abcdef0123456789abcdef\r\n', 'latin1'));
      }
      const { calls, rest } = parseCalls(buffered);
      buffered = rest;
      for (const call of calls) {
        let reply: Reply;
        switch (call.member) {
          case 'Hello':
            reply = { type: 2, replySerial: call.serial, signature: 's', body: (w) => w.string(':1.42') };
            break;
          case 'OpenSession': {
            // body: s (algorithm), v (g 'ay', then ay)
            const algLen = call.body.readUInt32LE(0);
            let at = 4 + algLen + 1;
            const sigLen = call.body[at] ?? 0;
            at += sigLen + 2;
            at += (4 - (at % 4)) % 4;
            const n = call.body.readUInt32LE(at);
            const theirs = call.body.subarray(at + 4, at + 4 + n);
            const instead = options.openSession?.(Buffer.from(theirs), call.serial);
            if (instead) {
              reply = instead;
              break;
            }
            const dh = createDiffieHellmanGroup('modp2');
            dh.generateKeys();
            const shared = dh.computeSecret(theirs);
            const padded = Buffer.alloc(128);
            shared.copy(padded, 128 - shared.length);
            key = Buffer.from(hkdfSync('sha256', padded, Buffer.alloc(0), Buffer.alloc(0), 16));
            if (options.wrongKey) key = randomBytes(16);
            const ours = dh.getPublicKey();
            reply = {
              type: 2,
              replySerial: call.serial,
              signature: 'vo',
              body: (w) => {
                w.signature('ay');
                w.bytes(ours);
                w.string(SESSION_PATH);
              },
            };
            break;
          }
          case 'SearchItems':
            reply = {
              type: 2,
              replySerial: call.serial,
              signature: 'aoao',
              body: (w) => {
                w.array(4, () => (options.unlocked ?? []).forEach((p) => w.string(p)));
                w.array(4, () => (options.locked ?? []).forEach((p) => w.string(p)));
              },
            };
            break;
          case 'GetSecret': {
            const item = (options.items ?? []).find((i) => i.path === call.path);
            if (!item || !key) {
              reply = { type: 3, replySerial: call.serial, signature: '', body: () => undefined, extraFields: [[2, 's', (w) => w.string('org.freedesktop.Secret.Error.NoSuchObject')]] };
              break;
            }
            const iv = randomBytes(16);
            const cipher = createCipheriv('aes-128-cbc', key, iv);
            const sealed = Buffer.concat([cipher.update(item.secret), cipher.final()]);
            reply = {
              type: 2,
              replySerial: call.serial,
              signature: '(oayays)',
              body: (w) => {
                w.align(8);
                w.string(SESSION_PATH);
                w.bytes(iv);
                w.bytes(sealed);
                w.string(item.contentType ?? 'text/plain');
              },
            };
            break;
          }
          default:
            continue;
        }
        const out = options.reply ? options.reply(call, reply) : reply;
        if (out === undefined) continue;
        for (const r of Array.isArray(out) ? out : [out]) send(message(order, r, serial++));
      }
    });
  };
}
