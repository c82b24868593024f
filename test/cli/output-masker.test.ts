import { describe, expect, it } from 'vitest';
import { CONCEALED, MIN_IDENTIFYING_BYTES, OutputMasker } from '../../src/cli/run/output-masker';

function maskAll(secrets: string[], input: Buffer, cut: (i: number) => number): { out: Buffer; maxHeld: number } {
  const m = new OutputMasker(secrets);
  const parts: Buffer[] = [];
  let maxHeld = 0;
  for (let at = 0; at < input.length; ) {
    const n = Math.max(1, Math.min(input.length - at, cut(at)));
    parts.push(m.write(input.subarray(at, at + n)));
    maxHeld = Math.max(maxHeld, m.held);
    at += n;
  }
  parts.push(m.flush());
  return { out: Buffer.concat(parts), maxHeld };
}

const SECRET = 'glpat-Zx81mQ_secretValue42';

describe('output masker', () => {
  it('conceals a secret however the output is cut: whole, byte by byte, at every split point', () => {
    const text = Buffer.from(`token=${SECRET}\n\x1b[31mred ${SECRET}\x1b[0m and ${SECRET}${SECRET}.`);
    const expected = `token=${CONCEALED}\n\x1b[31mred ${CONCEALED}\x1b[0m and ${CONCEALED}${CONCEALED}.`;
    expect(maskAll([SECRET], text, () => text.length).out.toString()).toBe(expected);
    expect(maskAll([SECRET], text, () => 1).out.toString()).toBe(expected);
    for (let split = 1; split < text.length; split++)
      expect(maskAll([SECRET], text, (at) => (at === 0 ? split : text.length)).out.toString()).toBe(expected);
  });

  it('holds back no more than the longest partial match; on flush a short prefix goes out, a long one as the marker', () => {
    const m = new OutputMasker([SECRET]);
    expect(m.write(Buffer.from('hello glpat-Zx81')).toString()).toBe('hello ');
    expect(m.held).toBe(10);
    expect(m.flush().toString()).toBe(CONCEALED);
    expect(Buffer.concat([m.write(Buffer.from(' world')), m.flush()]).toString()).toBe(' world');
    const short = new OutputMasker([SECRET]);
    expect(Buffer.concat([short.write(Buffer.from('a glpa')), short.flush()]).toString()).toBe('a glpa');
  });

  it('a secret written one byte at a time with a flush after every byte shows at most its first 5 bytes', () => {
    const m = new OutputMasker([SECRET]);
    const parts = [m.write(Buffer.from('x='))];
    for (const ch of `${SECRET}\n`) parts.push(m.write(Buffer.from(ch)), m.flush());
    const out = Buffer.concat(parts).toString();
    expect(out).toBe(`x=${SECRET.slice(0, MIN_IDENTIFYING_BYTES - 1)}${CONCEALED}\n`);
  });

  it('7 bytes, a flush (a pause), then the rest: one marker, nothing of the secret after the pause', () => {
    const m = new OutputMasker([SECRET]);
    const out = Buffer.concat([m.write(Buffer.from(SECRET.slice(0, 7))), m.flush(), m.write(Buffer.from(`${SECRET.slice(7)} ok ${SECRET}`)), m.flush()]);
    expect(out.toString()).toBe(`${CONCEALED} ok ${CONCEALED}`);
  });

  it('a long prefix that turns out not to be the secret: the marker, then what differs is shown', () => {
    const m = new OutputMasker([SECRET]);
    const out = Buffer.concat([m.write(Buffer.from('glpat-Zx')), m.flush(), m.write(Buffer.from('YY done')), m.flush()]);
    expect(out.toString()).toBe(`${CONCEALED}YY done`);
  });

  it('conceals base64 forms at every alignment (curl -v Basic auth, Docker auths) and URL/JSON escapes', () => {
    const odd = 'p@ss/wörd"+value';
    for (const prefix of ['', 'u', 'us', 'user:']) {
      const b64 = Buffer.from(`${prefix}${SECRET}`).toString('base64');
      const out = maskAll([SECRET], Buffer.from(`Authorization: Basic ${b64}\n`), () => 3).out.toString();
      expect(out).toContain(CONCEALED);
      expect(out).not.toContain(Buffer.from(SECRET).toString('base64').slice(2, -2));
    }
    const out = maskAll([odd], Buffer.from(`${encodeURIComponent(odd)} ${JSON.stringify({ odd })}`), () => 5).out.toString();
    expect(out).toBe(`${CONCEALED} {"odd":"${CONCEALED}"}`);
  });

  it('merges overlapping secrets into one marker and passes binary bytes through unchanged', () => {
    const bin = Buffer.from([0, 255, 254, 0x1b, 0x5b, 128]);
    const input = Buffer.concat([bin, Buffer.from('abcdefgh-XYZ'), bin]);
    const { out } = maskAll(['abcdefgh', 'defgh-XYZ'], input, () => 2);
    expect(out).toEqual(Buffer.concat([bin, Buffer.from(CONCEALED), bin]));
  });

  it('a million random bytes with secrets sprinkled in: every secret concealed at random chunk sizes', () => {
    let x = 99;
    const r = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const secrets = Array.from({ length: 20 }, (_, i) => `sk-proj-${i}-${Math.floor(r() * 1e12).toString(36)}xx`);
    const parts: Buffer[] = [];
    for (let i = 0; i < 2000; i++)
      parts.push(Buffer.from(Array.from({ length: 500 }, () => Math.floor(r() * 256))), Buffer.from(secrets[i % 20] as string));
    const input = Buffer.concat(parts);
    const { out, maxHeld } = maskAll(secrets, input, () => 1 + Math.floor(r() * 70_000));
    for (const s of secrets) expect(out.includes(s)).toBe(false);
    expect(maxHeld).toBeLessThan(80);
  });
});
