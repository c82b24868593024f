import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bech32 } from '@scure/base';
import { Decrypter, Encrypter } from 'age-encryption';
import { afterAll, describe, expect, it } from 'vitest';
import { ageDecrypt, ageEncrypt, ageIdentity, ageRecipient, AgeFormatError, hkdf, hmacSha256, rawX25519Public } from '../../../../src/main/use-cases/sharing/age-x25519';
import { encodeRecipient } from '../../../../src/main/use-cases/sharing/device-identity';

/** Our age files are standard: the reference TypeScript implementation and the `age` command line agree. */

const dir = mkdtempSync(join(tmpdir(), 'tv-age-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyPair() {
  const kp = generateKeyPairSync('x25519');
  const priv = kp.privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16);
  const pub = rawX25519Public(kp.publicKey);
  return { priv, pub, identityString: bech32.encodeFromBytes('AGE-SECRET-KEY-', priv).toUpperCase(), recipientString: encodeRecipient(pub) };
}

const AGE_CLI = ['/usr/bin/age', '/usr/local/bin/age'].find((p) => existsSync(p));

describe('age v1 files on Node crypto', () => {
  const alice = keyPair();
  const bob = keyPair();
  const carol = keyPair();
  const plaintexts = {
    empty: Buffer.alloc(0),
    small: Buffer.from('{"secret":"glpat-abc"}'),
    'exactly one chunk': Buffer.alloc(64 * 1024, 7),
    'three chunks': Buffer.alloc(150_000, 9),
  };

  for (const [label, plain] of Object.entries(plaintexts)) {
    it(`the age-encryption package decrypts what we write (${label}), for every recipient`, async () => {
      const file = ageEncrypt(plain, [ageRecipient(alice.pub), ageRecipient(bob.pub)]);
      for (const who of [alice, bob]) {
        const d = new Decrypter();
        d.addIdentity(who.identityString);
        expect(Buffer.from(await d.decrypt(file))).toEqual(plain);
      }
    });

    it(`we decrypt what the age-encryption package writes (${label})`, async () => {
      const e = new Encrypter();
      e.addRecipient(alice.recipientString);
      e.addRecipient(bob.recipientString);
      const file = Buffer.from(await e.encrypt(plain));
      expect(ageDecrypt(file, ageIdentity(bob.priv))).toEqual(plain);
      expect(ageDecrypt(file, ageIdentity(carol.priv))).toBeNull();
    });
  }

  it.skipIf(!AGE_CLI)('the age command line decrypts our files, and we decrypt its files', () => {
    const cli = AGE_CLI as string;
    const keyFile = join(dir, 'alice.key');
    writeFileSync(keyFile, `${alice.identityString}\n`, { mode: 0o600 });
    const ours = join(dir, 'ours.age');
    writeFileSync(ours, ageEncrypt(Buffer.from('hello from token vault'), [ageRecipient(bob.pub), ageRecipient(alice.pub)]));
    expect(execFileSync(cli, ['-d', '-i', keyFile, ours]).toString()).toBe('hello from token vault');
    const theirs = execFileSync(cli, ['-r', alice.recipientString, '-r', carol.recipientString], { input: 'hello from age' });
    expect(ageDecrypt(theirs, ageIdentity(alice.priv))?.toString()).toBe('hello from age');
  });

  it('refuses an altered header, an altered or truncated payload and trailing bytes', () => {
    const file = ageEncrypt(Buffer.alloc(100_000, 1), [ageRecipient(alice.pub)]);
    const id = ageIdentity(alice.priv);
    const headerEnd = file.indexOf('\n---') + 1;
    const altered = (at: number) => {
      const copy = Buffer.from(file);
      copy[at] = (copy[at] as number) ^ 1;
      return copy;
    };
    expect(() => ageDecrypt(altered(headerEnd + 6), id)).toThrow(AgeFormatError); // the MAC
    expect(() => ageDecrypt(altered(file.length - 5), id)).toThrow(AgeFormatError); // the last chunk
    expect(() => ageDecrypt(altered(file.length - 70_000), id)).toThrow(AgeFormatError); // the first chunk
    expect(() => ageDecrypt(file.subarray(0, 64 * 1024 + 300), id)).toThrow(AgeFormatError); // cut after a full chunk
    expect(() => ageDecrypt(Buffer.concat([file, Buffer.from('x')]), id)).toThrow(AgeFormatError);
    expect(() => ageDecrypt(Buffer.from('not age at all\n'), id)).toThrow(AgeFormatError);
  });

  it('HMAC and HKDF on the one-shot hash equal Node\'s createHmac and hkdfSync', () => {
    for (const keyLength of [0, 16, 32, 64, 65, 200]) {
      for (const dataLength of [0, 1, 63, 64, 1000]) {
        const key = randomBytes(keyLength);
        const data = randomBytes(dataLength);
        expect(hmacSha256(key, data)).toEqual(createHmac('sha256', key).update(data).digest());
        expect(hkdf(data, key, 'age-encryption.org/v1/X25519')).toEqual(Buffer.from(hkdfSync('sha256', data, key, 'age-encryption.org/v1/X25519', 32)));
      }
    }
  });

  it('every file gets a fresh file key and fresh ephemeral shares (same input, different bytes)', () => {
    const a = ageEncrypt(Buffer.from('same'), [ageRecipient(alice.pub)]);
    const b = ageEncrypt(Buffer.from('same'), [ageRecipient(alice.pub)]);
    expect(a.equals(b)).toBe(false);
  });
});
