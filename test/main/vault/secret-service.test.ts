import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarKeychain, KEYCHAIN_SERVICE } from '../../../src/main/vault';
import { keytarAttributes, readSecretService, unixSocketOf } from '../../../src/main/vault/keys/secret-service';
import { fakeSecretService, type FakeBusOptions, type Reply } from '../../support/fake-secret-service';

// The direct read of the Secret Service against the real gnome-keyring of scripts/with-keyring.sh (what keytar
// wrote, read back the same), and against buses that misbehave: real unix sockets that stay silent, refuse, or send
// what no bus would.
interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}
const keytar = createRequire(import.meta.url)('keytar') as Keytar;
const bus = unixSocketOf(process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '');
let keyring = false;
const LIMITS = { silentMs: 3000, answerMs: 3000 };
const root = mkdtempSync(join(tmpdir(), 'tv-secret-service-'));
const servers: Server[] = [];
const held: Socket[] = [];
beforeAll(async () => {
  keyring = bus !== null && (await keytar.getPassword(KEYCHAIN_SERVICE, '__probe__').then(() => true, () => false));
  if (!keyring) process.stdout.write('secret-service: real-keyring cases SKIPPED: no Secret Service answered (run under scripts/with-keyring.sh)\n');
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(root, { recursive: true, force: true });
});
async function listen(name: string, onConnection: (socket: Socket) => void): Promise<string> {
  const server = createServer((socket) => {
    held.push(socket);
    onConnection(socket);
  });
  servers.push(server);
  const path = join(root, name);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

describe('the Secret Service read over the session bus (real gnome-keyring)', () => {
  it('reads what keytar wrote, byte for byte, and nothing for an absent entry', async (ctx) => {
    if (!keyring || !bus) return ctx.skip();
    const values = ['c2VjcmV0LWtleQ==', 'ünïcödé and spaces, "quotes", \\ and a very long tail '.repeat(40), 'x', 'a trailing newline\n'];
    for (const [i, value] of values.entries()) {
      await keytar.setPassword('TV secret-service test', `account-${i}`, value);
      const seen = await readSecretService(bus, keytarAttributes('TV secret-service test', `account-${i}`), LIMITS);
      expect(seen).toEqual({ kind: 'found', secret: value });
      expect(await keytar.getPassword('TV secret-service test', `account-${i}`)).toBe(value);
    }
    // An account of any characters is the same search as keytar's.
    const odd = 'vault-ä "q"\t/\\;,=%20';
    await keytar.setPassword('TV secret-service test', odd, 'odd');
    expect(await readSecretService(bus, keytarAttributes('TV secret-service test', odd), LIMITS)).toEqual({ kind: 'found', secret: 'odd' });
    await keytar.deletePassword('TV secret-service test', odd);
    expect(await readSecretService(bus, keytarAttributes('TV secret-service test', 'nobody'), LIMITS)).toEqual({ kind: 'found', secret: null });
    // The search is keytar's: another service's entry of the same account is not this one.
    expect(await readSecretService(bus, keytarAttributes('TV another service', 'account-0'), LIMITS)).toEqual({ kind: 'found', secret: null });
    for (const i of values.keys()) await keytar.deletePassword('TV secret-service test', `account-${i}`);
    expect(await readSecretService(bus, keytarAttributes('TV secret-service test', 'account-0'), LIMITS)).toEqual({ kind: 'found', secret: null });
  });

  it('a locked keyring is left to keytar (which prompts); an absent entry still answers at once', async (ctx) => {
    if (!keyring) return ctx.skip();
    // A keyring of its own (locking the one every test file shares would hold the others at its prompt): keytar
    // writes the entry, gdbus locks the login keyring, and the session stays up until it is killed.
    const script = `node -e "require('keytar').setPassword('TV locked', 'entry', 'behind-the-lock').then(() => 0, () => process.exit(3))" || exit 3
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \\
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null || exit 4
echo "ADDRESS=$DBUS_SESSION_BUS_ADDRESS"
exec sleep 60`;
    const session = spawn(resolve('scripts/with-keyring.sh'), ['bash', '-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'], cwd: process.cwd() });
    try {
      const address = await new Promise<string>((done, fail) => {
        let text = '';
        session.stdout?.on('data', (d: Buffer) => {
          text += d.toString();
          const found = /ADDRESS=(.*)\n/.exec(text);
          if (found?.[1]) done(found[1]);
        });
        session.on('exit', (code) => fail(new Error(`the private keyring ended (${code})`)));
      });
      const privateBus = unixSocketOf(address);
      expect(privateBus).not.toBeNull();
      expect(await readSecretService(privateBus ?? '', keytarAttributes('TV locked', 'entry'), LIMITS)).toEqual({ kind: 'ask-keytar', why: 'locked' });
      expect(await readSecretService(privateBus ?? '', keytarAttributes('TV locked', 'absent'), LIMITS)).toEqual({ kind: 'found', secret: null });
    } finally {
      if (session.pid) process.kill(-session.pid, 'SIGTERM');
    }
  });
});

describe('a bus that misbehaves', () => {
  it('silence within the limit is no keychain, and the availability check answers false instead of waiting', async () => {
    let asked = '';
    let connections = 0;
    const silent = await listen('silent', (socket) => {
      connections++;
      socket.on('data', (d: Buffer) => (asked += d.toString('latin1')));
    });
    const started = Date.now();
    expect(await readSecretService(silent, keytarAttributes('s', 'a'), { silentMs: 300, answerMs: 60_000 })).toEqual({ kind: 'no-answer' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(asked).toMatch(/^\0AUTH EXTERNAL [0-9a-f]+\r\nBEGIN\r\n/);
    // A bus that takes the handshake and then never answers the calls: its own limit, and it did speak.
    const mute = await listen('mute', (socket) => socket.once('data', () => socket.write('OK 0123456789abcdef\r\n')));
    expect(await readSecretService(mute, keytarAttributes('s', 'a'), { silentMs: 60_000, answerMs: 300 })).toEqual({ kind: 'no-answer', busSpoke: true });

    // The keychain on such a bus: no keychain, every call ends (keytar, which would wait for ever, is never asked).
    const saved = process.env['DBUS_SESSION_BUS_ADDRESS'];
    process.env['DBUS_SESSION_BUS_ADDRESS'] = `unix:path=${silent}`;
    const keychain = createKeytarKeychain('TV silent bus');
    process.env['DBUS_SESSION_BUS_ADDRESS'] = saved;
    expect(await keychain.isAvailable()).toBe(false);
    await expect(keychain.get('a')).rejects.toMatchObject({ code: 'keychain-unavailable' });
    await expect(keychain.set('a', 'v')).rejects.toMatchObject({ code: 'keychain-unavailable' });
    await expect(keychain.delete('a')).rejects.toMatchObject({ code: 'keychain-unavailable' });
    // One read above, and one by this keychain for all four calls: a silent bus is not asked again.
    expect(connections).toBe(2);
  }, 30_000);

  it('a Secret Service that took the handshake and went quiet: no keychain this time, asked again the next', async () => {
    let connections = 0;
    const mute = await listen('mute-keychain', (socket) => {
      connections++;
      socket.once('data', () => socket.write('OK 0123456789abcdef\r\n'));
    });
    const saved = process.env['DBUS_SESSION_BUS_ADDRESS'];
    process.env['DBUS_SESSION_BUS_ADDRESS'] = `unix:path=${mute}`;
    const keychain = createKeytarKeychain('TV mute service');
    process.env['DBUS_SESSION_BUS_ADDRESS'] = saved;
    expect(await keychain.isAvailable()).toBe(false);
    const again = keychain.get('a');
    while (connections < 2) await new Promise((r) => setTimeout(r, 10));
    keychain.cancel?.();
    await expect(again).rejects.toMatchObject({ code: 'keychain-unavailable' });
  }, 30_000);

  it('a read given up (the open failed first) ends at once, and its keychain answers unavailable after', async () => {
    const mute = await listen('mute-given-up', (socket) => socket.once('data', () => socket.write('OK 0123456789abcdef\r\n')));
    const stop = new AbortController();
    const reading = readSecretService(mute, keytarAttributes('s', 'a'), { silentMs: 60_000, answerMs: 60_000 }, stop.signal);
    setTimeout(() => stop.abort(), 50);
    expect(await reading).toEqual({ kind: 'no-answer', busSpoke: true });
    expect(await readSecretService(mute, keytarAttributes('s', 'a'), LIMITS, stop.signal)).toEqual({ kind: 'no-answer' });

    const saved = process.env['DBUS_SESSION_BUS_ADDRESS'];
    process.env['DBUS_SESSION_BUS_ADDRESS'] = `unix:path=${mute}`;
    const keychain = createKeytarKeychain('TV given up');
    process.env['DBUS_SESSION_BUS_ADDRESS'] = saved;
    keychain.prefetch?.('a');
    keychain.cancel?.();
    await expect(keychain.get('a')).rejects.toMatchObject({ code: 'keychain-unavailable' });
    expect(await keychain.isAvailable()).toBe(false);
    await expect(keychain.set('a', 'v')).rejects.toMatchObject({ code: 'keychain-unavailable' });
  });

  it('a refusal, a closed socket, garbage, an oversized message or an error reply is left to keytar, never a crash', async () => {
    const answers: Record<string, (socket: Socket) => void> = {
      rejecting: (socket) => socket.once('data', () => socket.write('REJECTED EXTERNAL\r\n')),
      closing: (socket) => socket.once('data', () => socket.end()),
      garbage: (socket) => socket.once('data', () => socket.write(`OK 0123456789abcdef\r\n${'\xff'.repeat(64)}`, 'latin1')),
      oversized: (socket) =>
        socket.once('data', () => {
          const header = Buffer.alloc(16);
          header.write('l', 0, 'latin1');
          header[1] = 2;
          header[3] = 1;
          header.writeUInt32LE(0x7fffffff, 4);
          socket.write(Buffer.concat([Buffer.from('OK 0123456789abcdef\r\n'), header]));
        }),
      endless: (socket) => socket.once('data', () => socket.write('x'.repeat(4096))),
    };
    for (const [name, answer] of Object.entries(answers)) {
      const path = await listen(name, answer);
      const seen = await readSecretService(path, keytarAttributes('s', 'a'), LIMITS);
      expect(seen.kind, name).toBe('ask-keytar');
    }
    expect((await readSecretService(join(root, 'nobody-here'), keytarAttributes('s', 'a'), LIMITS)).kind).toBe('ask-keytar');
  });

  it('a Secret Service that answers in its own way: the right secret, or keytar is asked, or no answer; never a wrong secret', async () => {
    const ITEM = '/org/freedesktop/secrets/collection/login/7';
    const holding = (secret: string | Buffer, more: FakeBusOptions = {}): FakeBusOptions => ({
      unlocked: [ITEM],
      items: [{ path: ITEM, secret: Buffer.from(secret) }],
      ...more,
    });
    const twist = (member: string, change: (r: Reply) => Reply | Reply[]): FakeBusOptions['reply'] => (call, r) => (call.member === member ? change(r) : r);
    const dh = (value: Buffer) => twist('OpenSession', (r) => ({ ...r, body: (w) => (w.signature('ay'), w.bytes(value), w.string('/s')) }));
    const cases: [string, FakeBusOptions, unknown][] = [
      ['as gnome-keyring does', holding('c2VjcmV0'), { kind: 'found', secret: 'c2VjcmV0' }],
      ['big-endian replies', holding('c2VjcmV0', { order: 'B' }), { kind: 'found', secret: 'c2VjcmV0' }],
      ['one byte per write', holding('c2VjcmV0', { send: (socket, data) => data.forEach((b) => setImmediate(() => socket.write(Buffer.of(b)))) }), { kind: 'found', secret: 'c2VjcmV0' }],
      ['a trailing newline, kept', holding('line\n'), { kind: 'found', secret: 'line\n' }],
      ['an empty value', holding(''), { kind: 'found', secret: '' }],
      ['the first of two unlocked items (as libsecret)', { unlocked: [ITEM, `${ITEM}0`], items: [{ path: ITEM, secret: Buffer.from('first') }, { path: `${ITEM}0`, secret: Buffer.from('second') }] }, { kind: 'found', secret: 'first' }],
      ['a signal and a second reply around the answers', holding('v', { reply: (_, r) => [{ ...r, type: 4 }, r, r] }), { kind: 'found', secret: 'v' }],
      ['an unknown header field of a basic type', holding('v', { reply: twist('Hello', (r) => ({ ...r, extraFields: [[77, 's', (w) => w.string('x')]] })) }), { kind: 'found', secret: 'v' }],
      ['a header field of a type no field has', holding('v', { reply: twist('Hello', (r) => ({ ...r, extraFields: [[9, 'v', (w) => (w.signature('u'), w.uint32(1))]] })) }), { kind: 'ask-keytar', why: 'unexpected answer' }],
      ['a value that is not UTF-8', holding(Buffer.from([0xff, 0x41])), { kind: 'ask-keytar', why: 'refused' }],
      ['a value with a NUL', holding('a\0b'), { kind: 'ask-keytar', why: 'not text' }],
      ['encrypted with another key', holding('c2VjcmV0', { wrongKey: true }), { kind: 'ask-keytar', why: 'refused' }],
      ['an error for GetSecret', { unlocked: [ITEM] }, { kind: 'ask-keytar', why: 'refused' }],
      ['an error for Hello', holding('v', { reply: twist('Hello', (r) => ({ ...r, type: 3, signature: '', body: () => undefined })) }), { kind: 'ask-keytar', why: 'refused' }],
      ['a search whose array says 1 GiB', holding('v', { reply: twist('SearchItems', (r) => ({ ...r, body: (w) => w.array(4, () => w.string(ITEM), 1 << 30) })) }), { kind: 'ask-keytar', why: 'refused' }],
      ['a search whose signature lies', holding('v', { reply: twist('SearchItems', (r) => ({ ...r, body: (w) => w.string(ITEM) })) }), { kind: 'ask-keytar', why: 'refused' }],
      ['the plain algorithm instead', holding('v', { reply: twist('OpenSession', (r) => ({ ...r, body: (w) => (w.signature('s'), w.string(''), w.string('/s')) })) }), { kind: 'ask-keytar', why: 'refused' }],
      ['a public value of 1', holding('v', { reply: dh(Buffer.of(1)) }), { kind: 'ask-keytar', why: 'refused' }],
      ['an empty public value', holding('v', { reply: dh(Buffer.alloc(0)) }), { kind: 'ask-keytar', why: 'refused' }],
      ['a public value past the prime', holding('v', { reply: dh(Buffer.alloc(300, 0xff)) }), { kind: 'ask-keytar', why: 'refused' }],
      ['an IV of 3 bytes', holding('v', { reply: twist('GetSecret', (r) => ({ ...r, body: (w) => (w.align(8), w.string('/s'), w.bytes(Buffer.alloc(3)), w.bytes(Buffer.alloc(16)), w.string('text/plain')) })) }), { kind: 'ask-keytar', why: 'refused' }],
      ['the answer to another serial', holding('v', { reply: twist('SearchItems', (r) => ({ ...r, replySerial: r.replySerial + 7 })) }), { kind: 'no-answer', busSpoke: true }],
      ['the reply serial as a string', holding('v', { reply: twist('SearchItems', (r) => ({ ...r, replySerialAs: 's' })) }), { kind: 'no-answer', busSpoke: true }],
      ['no answer to GetSecret', holding('v', { reply: (call, r) => (call.member === 'GetSecret' ? undefined : r) }), { kind: 'no-answer', busSpoke: true }],
    ];
    for (const [name, options, expected] of cases) {
      const path = await listen(name.replace(/\W+/g, '-'), fakeSecretService(options));
      // One at a time: the fake's Diffie-Hellman shares this thread. A short wait where none comes.
      const limits = { silentMs: 3000, answerMs: (expected as { kind: string }).kind === 'no-answer' ? 300 : 3000 };
      expect(await readSecretService(path, keytarAttributes('s', 'a'), limits), name).toEqual(expected);
    }
  });

  it("our public value always has the group's 128 bytes: KWallet refuses a shorter one (1 in 256 has a leading zero byte)", async () => {
    const lengths: number[] = [];
    const path = await listen(
      'kwallet-like',
      fakeSecretService({
        openSession: (value, serial) => {
          lengths.push(value.length);
          return { type: 3, replySerial: serial, signature: '', body: () => undefined };
        },
      }),
    );
    // ~1.5 ms a read: 1,200 reads meet a short value 99 times in 100 when one can be sent.
    for (let batch = 0; batch < 150; batch++)
      await Promise.all(Array.from({ length: 8 }, () => readSecretService(path, keytarAttributes('s', 'a'), { silentMs: 3000, answerMs: 3000 })));
    expect(lengths).toHaveLength(1200);
    expect(lengths.filter((n) => n !== 128)).toEqual([]);
  });

  it('reads the unix socket of the first address, and nothing else', () => {
    expect(unixSocketOf('unix:path=/run/user/1000/bus')).toBe('/run/user/1000/bus');
    expect(unixSocketOf('unix:abstract=/tmp/dbus-Xq1,guid=0123abcd')).toBe('\0/tmp/dbus-Xq1');
    expect(unixSocketOf('unix:path=/tmp/a%20b%2Cc')).toBe('/tmp/a b,c');
    expect(unixSocketOf('unix:path=/first;unix:path=/second')).toBe('/first');
    for (const other of ['tcp:host=127.0.0.1,port=5', 'unix:tmpdir=/tmp', 'launchd:env=X', '', 'unix:path=%zz', 'garbage'])
      expect(unixSocketOf(other), other).toBeNull();
  });
});
