import { describe, expect, it } from 'vitest';
import { formatIdentity, generateDeviceKeys, openDeviceKeys, parseIdentity } from '../../../../src/main/use-cases/sharing/device-identity';

describe('device identity', () => {
  const keys = generateDeviceKeys('alice laptop (work)');
  const device = openDeviceKeys(keys);
  const line = formatIdentity(device.publicIdentity);

  it('is one line holding both public keys and the device name, and parses back to the same device', () => {
    expect(line).toMatch(/^tvid1:alice-laptop-work:age1[0-9a-z]{58}:[A-Za-z0-9_-]{43}:[0-9a-f]{8}$/);
    expect(line).not.toMatch(/\s/);
    expect(parseIdentity(`  ${line}\n`)).toEqual(device.publicIdentity);
  });

  it('catches a mistyped, truncated or foreign paste with a typed error that says what is wrong', () => {
    const flip = (i: number) => line.slice(0, i) + (line[i] === 'a' ? 'b' : 'a') + line.slice(i + 1);
    for (const i of [8, 25, 60, 75, line.length - 3]) {
      expect(() => parseIdentity(flip(i))).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    }
    expect(() => parseIdentity(line.slice(0, -1))).toThrow(/checksum/);
    expect(() => parseIdentity(device.publicIdentity.recipient)).toThrow(/not a Token Vault identity/);
    expect(() => parseIdentity('')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });

  it('private keys that do not match their id are refused (a damaged vault, not a silent new identity)', () => {
    const other = generateDeviceKeys('bob');
    expect(() => openDeviceKeys({ ...keys, ed25519Private: other.ed25519Private })).toThrow(expect.objectContaining({ code: 'vault-corrupt' }));
  });

  it('two devices never share an id, and the digest keys differ', () => {
    const b = openDeviceKeys(generateDeviceKeys('alice laptop (work)'));
    expect(b.publicIdentity.deviceId).not.toBe(device.publicIdentity.deviceId);
    expect(b.digestKey.equals(device.digestKey)).toBe(false);
  });
});
