import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { decode } from 'ini';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { push, read, tempDirs, writeFixture } from './target-test-kit';

/**
 * Random secrets (quotes, `#`, `$`, backslashes, blanks, `:`, `{`, unicode, line breaks) against files full of
 * traps: every push either refuses and leaves the file byte for byte, or writes a file whose own consumer reads
 * exactly the secret with everything else as it was.
 */
const tmp = tempDirs();

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const ALPHABET = ['a', 'Z', '0', '9', '_', '-', '.', '/', '+', '=', ':', '@', ' ', '\t', '#', ';', '$', '{', '}', '"', "'", '`', '\\', '!', '*', '~', ',', '[', ']', '&', 'é', '€', '🔑', '\n'];
function secrets(seed: number, count: number): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(r() * 24);
    let s = '';
    for (let i = 0; i < n; i++) s += r() < 0.55 ? ALPHABET[Math.floor(r() * 4)]! : ALPHABET[Math.floor(r() * ALPHABET.length)]!;
    return s;
  });
}

const shellValue = (path: string, key: string) => execFileSync('bash', ['-c', `set -a; . "$1"; printf %s "\${${key}}"`, 'bash', path], { encoding: 'utf8' });

describe('file formats against random secrets', () => {
  it('dotenv: refused untouched, or read back exactly by Node, bash, and with every other entry unchanged', async () => {
    const path = join(tmp(), '.env');
    const fixture = '# c\nexport A="x # y"\nTOKEN=start\nB=\'q\'\r\nC=plain # comment\n';
    let written = 0;
    for (const secret of secrets(1, 80)) {
      writeFixture(path, fixture);
      const out = await push({ kind: 'dotenv', path, key: 'TOKEN' }, secret);
      if (out.status === 'failed') {
        expect(out.failure.reason).toBe('value-not-expressible');
        expect(read(path)).toBe(fixture);
        continue;
      }
      written++;
      const env = parseEnv(read(path));
      expect(env).toEqual({ ...parseEnv(fixture), TOKEN: secret });
      if (written % 5 === 0) expect(shellValue(path, 'TOKEN')).toBe(secret);
    }
    expect(written).toBeGreaterThan(20);
  }, 60_000);

  it('npmrc: refused untouched, or read back exactly by ini (npm) with every other setting unchanged', async () => {
    const path = join(tmp(), '.npmrc');
    const fixture = '; c\nregistry=https://r.example/\n//r.example/:_authToken = start ; old\n[section]\nx=1\n';
    let written = 0;
    for (const secret of secrets(2, 80)) {
      writeFixture(path, fixture);
      const out = await push({ kind: 'npmrc', path, key: '//r.example/' }, secret);
      if (out.status === 'failed') {
        expect(out.failure.reason).toBe('value-not-expressible');
        expect(read(path)).toBe(fixture);
        continue;
      }
      written++;
      expect(decode(read(path))).toEqual({ ...decode(fixture), '//r.example/:_authToken': secret });
    }
    expect(written).toBeGreaterThan(20);
  }, 60_000);

  it('YAML and JSON: every secret is written and read back exactly; nothing else changes', async () => {
    const dir = tmp();
    const yamlPath = join(dir, 'a.yaml');
    const jsonPath = join(dir, 'a.json');
    const yamlFixture = 'a: &x 1\nb:\n  token: start   # c\n  flow: {k: v}\nc: *x\n';
    const jsonFixture = '{\n  "b": { "token": "start", "n": [1, 2] }\n}';
    for (const secret of secrets(3, 80)) {
      writeFixture(yamlPath, yamlFixture);
      writeFixture(jsonPath, jsonFixture);
      const y = await push({ kind: 'yaml', path: yamlPath, key: 'b.token' }, secret);
      const j = await push({ kind: 'json', path: jsonPath, key: 'b.token' }, secret);
      expect([y.status, j.status]).toEqual(['written', 'written']);
      const wantYaml = parseYaml(yamlFixture);
      wantYaml.b.token = secret;
      expect(parseYaml(read(yamlPath))).toEqual(wantYaml);
      expect(JSON.parse(read(jsonPath))).toEqual({ b: { token: secret, n: [1, 2] } });
    }
  }, 60_000);
});
