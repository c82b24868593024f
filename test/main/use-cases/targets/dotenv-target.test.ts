import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectRefused, expectWritten, modeOf, push, read, tempDirs, verify, writeFixture } from './target-test-kit';

const tmp = tempDirs();
const SECRET = 'glpat-NEW_secret.value-123';

/** What a POSIX shell reads for KEY after `set -a; . file` (bash, as `source .env` in a script does). */
function shellValue(path: string, key: string): string {
  return execFileSync('bash', ['-c', `set -a; . "$1"; printf %s "\${${key}}"`, 'bash', path], { encoding: 'utf8' });
}

// CRLF, comments, odd spacing, `export`, every quote style, `#` inside values, a duplicate key, no final newline
const CRLF_FIXTURE = [
  '# Service settings',
  'export  API_URL = https://api.example.com   # trailing comment',
  '',
  '   API_TOKEN="old-token-value"  # the token',
  "QUOTED='it has # inside'",
  'HASH="a#b"',
  'BARE=abc#cut here',
  'EMPTY=',
  'export API_TOKEN=dup-old',
  'LAST=1',
].join('\r\n');

describe('dotenv target', () => {
  it('round trip: only the value changes (CRLF, comments, spacing, quoting, duplicates, no final newline, mode 0640)', async () => {
    const dir = tmp();
    const path = join(dir, '.env');
    writeFixture(path, CRLF_FIXTURE, 0o640);
    const target = { kind: 'dotenv', path, key: 'API_TOKEN' } as const;
    const out = expectWritten(await push(target, SECRET), 'updated');
    expect(out).toMatchObject({ fileCreated: false, requoted: false, occurrences: 2 });
    expect(read(path)).toBe(CRLF_FIXTURE.replace('"old-token-value"', `"${SECRET}"`).replace('API_TOKEN=dup-old', `API_TOKEN=${SECRET}`));
    expect(modeOf(path)).toBe(0o640);
    expect(parseEnv(read(path))).toMatchObject({ API_TOKEN: SECRET, API_URL: 'https://api.example.com', QUOTED: 'it has # inside', HASH: 'a#b', BARE: 'abc', EMPTY: '', LAST: '1' });
    expect(await verify(target, SECRET)).toMatchObject({ status: 'verified', evidence: 'value-read-back' });
    expect(await verify(target, 'another')).toMatchObject({ status: 'mismatch', problem: 'value-differs' });
  });

  it('is idempotent: a second push writes nothing', async () => {
    const path = join(tmp(), '.env');
    writeFixture(path, 'A=1\nAPI_TOKEN=old\n');
    expectWritten(await push({ kind: 'dotenv', path, key: 'API_TOKEN' }, SECRET), 'updated');
    const before = statSync(path, { bigint: true });
    expectWritten(await push({ kind: 'dotenv', path, key: 'API_TOKEN' }, SECRET), 'unchanged');
    const after = statSync(path, { bigint: true });
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeNs).toBe(before.mtimeNs);
  });

  it('adds a missing key in the file style: export habit, spacing, line ending, no final newline kept', async () => {
    const path = join(tmp(), '.env');
    writeFixture(path, 'export A = "1"\r\nexport B = "2"');
    expectWritten(await push({ kind: 'dotenv', path, key: 'NEW_KEY' }, SECRET), 'created');
    expect(read(path)).toBe(`export A = "1"\r\nexport B = "2"\r\nexport NEW_KEY = "${SECRET}"`);
  });

  it('creates a missing file with mode 0600', async () => {
    const path = join(tmp(), '.env.local');
    const out = expectWritten(await push({ kind: 'dotenv', path, key: 'TOKEN' }, SECRET), 'created');
    expect(out.fileCreated).toBe(true);
    expect(read(path)).toBe(`TOKEN=${SECRET}\n`);
    expect(modeOf(path)).toBe(0o600);
  });

  it('re-quotes only as far as needed, in a spelling the shell, Node and dotenv readers all take literally', async () => {
    const dir = tmp();
    const path = join(dir, '.env');
    writeFixture(path, 'KEY=plain\nOTHER=x\n');
    const spaced = 'has space#and-hash';
    const a = expectWritten(await push({ kind: 'dotenv', path, key: 'KEY' }, spaced), 'updated');
    expect(a.requoted).toBe(true);
    expect(read(path)).toBe(`KEY='${spaced}'\nOTHER=x\n`);
    expect(shellValue(path, 'KEY')).toBe(spaced);
    expect(parseEnv(read(path)).KEY).toBe(spaced);
    // a single quote inside: double quotes, still literal everywhere
    const quote = "it's-a-token";
    expectWritten(await push({ kind: 'dotenv', path, key: 'KEY' }, quote), 'updated');
    expect(read(path)).toBe(`KEY="${quote}"\nOTHER=x\n`);
    expect(shellValue(path, 'KEY')).toBe(quote);
    expect(parseEnv(read(path)).KEY).toBe(quote);
  });

  it('refuses a value no spelling can carry (quotes of both kinds and $), leaving the file untouched', async () => {
    const path = join(tmp(), '.env');
    writeFixture(path, 'KEY=old\n');
    for (const bad of [`a'b"c`, "x'$HOME", 'line\nbreak', 'back\\slash"\'']) {
      const out = expectRefused(await push({ kind: 'dotenv', path, key: 'KEY' }, bad), 'value-not-expressible');
      expect(JSON.stringify(out)).not.toContain(bad);
      expect(read(path)).toBe('KEY=old\n');
    }
  });

  it('refuses to overwrite a reference (${VAR}, tv://) with a literal secret', async () => {
    const path = join(tmp(), '.env');
    writeFixture(path, 'A=${NPM_TOKEN}\nB=tv://work/ci\n');
    const a = expectRefused(await push({ kind: 'dotenv', path, key: 'A' }, SECRET), 'value-is-reference');
    expect(a.failure.detail).toBe('NPM_TOKEN');
    expectRefused(await push({ kind: 'dotenv', path, key: 'B' }, SECRET), 'value-is-reference');
    expect(read(path)).toBe('A=${NPM_TOKEN}\nB=tv://work/ci\n');
  });

  it('keeps a multi-line quoted value of another key intact and does not mistake its lines for keys', async () => {
    const path = join(tmp(), '.env');
    const text = 'CERT="-----BEGIN-----\nAPI_TOKEN=not-a-key\n-----END-----"\nAPI_TOKEN=old\n';
    writeFixture(path, text);
    const out = expectWritten(await push({ kind: 'dotenv', path, key: 'API_TOKEN' }, SECRET), 'updated');
    expect(out.occurrences).toBe(1);
    expect(read(path)).toBe(text.replace('API_TOKEN=old', `API_TOKEN=${SECRET}`));
    expect(parseEnv(read(path)).CERT).toBe('-----BEGIN-----\nAPI_TOKEN=not-a-key\n-----END-----');
  });

  it('keeps a byte-order mark', async () => {
    const path = join(tmp(), '.env');
    writeFixture(path, '\uFEFFAPI_TOKEN=old\n');
    expectWritten(await push({ kind: 'dotenv', path, key: 'API_TOKEN' }, SECRET), 'updated');
    expect(read(path)).toBe(`\uFEFFAPI_TOKEN=${SECRET}\n`);
    expect(await verify({ kind: 'dotenv', path, key: 'API_TOKEN' }, SECRET)).toMatchObject({ status: 'verified' });
  });

  it('verify says missing for a missing key or file', async () => {
    const path = join(tmp(), '.env');
    expect(await verify({ kind: 'dotenv', path, key: 'K' }, SECRET)).toMatchObject({ status: 'mismatch', problem: 'missing' });
    writeFixture(path, 'OTHER=1\n');
    expect(await verify({ kind: 'dotenv', path, key: 'K' }, SECRET)).toMatchObject({ status: 'mismatch', problem: 'missing' });
  });
});
