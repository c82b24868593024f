import { join } from 'node:path';
import { decode } from 'ini';
import { describe, expect, it } from 'vitest';
import { npmRegistryPrefix } from '../../../../src/shared/deployment-targets';
import { expectRefused, expectWritten, modeOf, push, read, tempDirs, verify, writeFixture } from './target-test-kit';

const tmp = tempDirs();
const SECRET = 'npm_NewToken0123456789abcdefghijklmnopq';

// several registries, an env reference, a quoted token, an inline comment, odd spacing, a section at the end
const FIXTURE = [
  '; npm settings',
  'registry=https://registry.npmjs.org/',
  '//registry.npmjs.org/:_authToken = npm_OLDTOKEN123   ; old token',
  '@myco:registry=https://npm.myco.example/',
  '//npm.myco.example/:_authToken=${NPM_TOKEN}',
  '//npm.pkg.github.com/:_authToken="ghp_oldquoted"',
  '# a comment',
  'always-auth=true',
  '',
  '[not-top-level]',
  '//registry.example.com:4873/:_authToken=inside-a-section',
  '',
].join('\n');

describe('npmrc target', () => {
  it('round trip: replaces only the token of the named registry (comment, spacing, mode 0640 kept)', async () => {
    const path = join(tmp(), '.npmrc');
    writeFixture(path, FIXTURE, 0o640);
    const target = { kind: 'npmrc', path, key: '//registry.npmjs.org/' } as const;
    expectWritten(await push(target, SECRET), 'updated');
    expect(read(path)).toBe(FIXTURE.replace('npm_OLDTOKEN123', SECRET));
    expect(modeOf(path)).toBe(0o640);
    const npm = decode(read(path));
    expect(npm['//registry.npmjs.org/:_authToken']).toBe(SECRET);
    expect(npm['//npm.myco.example/:_authToken']).toBe('${NPM_TOKEN}');
    expect(await verify(target, SECRET)).toMatchObject({ status: 'verified', evidence: 'value-read-back' });
    expectWritten(await push(target, SECRET), 'unchanged');
  });

  it('keeps the quotes of a quoted token', async () => {
    const path = join(tmp(), '.npmrc');
    writeFixture(path, FIXTURE);
    expectWritten(await push({ kind: 'npmrc', path, key: '//npm.pkg.github.com/' }, 'ghp_new'), 'updated');
    expect(read(path)).toBe(FIXTURE.replace('"ghp_oldquoted"', '"ghp_new"'));
  });

  it('refuses to replace a ${NPM_TOKEN} reference, naming the variable', async () => {
    const path = join(tmp(), '.npmrc');
    writeFixture(path, FIXTURE);
    const out = expectRefused(await push({ kind: 'npmrc', path, key: '//npm.myco.example/' }, SECRET), 'value-is-reference');
    expect(out.failure.detail).toBe('NPM_TOKEN');
    expect(read(path)).toBe(FIXTURE);
  });

  it('adds a new registry at top level, before the first section (a key inside a section is not npm config)', async () => {
    const path = join(tmp(), '.npmrc');
    writeFixture(path, FIXTURE);
    const target = { kind: 'npmrc', path, key: '//registry.example.com:4873/' } as const;
    expectWritten(await push(target, SECRET), 'created');
    expect(read(path)).toBe(FIXTURE.replace('[not-top-level]', `//registry.example.com:4873/:_authToken=${SECRET}\n[not-top-level]`));
    expect(decode(read(path))['//registry.example.com:4873/:_authToken']).toBe(SECRET);
    expect(await verify(target, SECRET)).toMatchObject({ status: 'verified' });
  });

  it('quotes a token that ini would otherwise cut at ; or #, and refuses one npm would expand (${)', async () => {
    const path = join(tmp(), '.npmrc');
    writeFixture(path, '//r.example/:_authToken=old\n');
    const target = { kind: 'npmrc', path, key: '//r.example/' } as const;
    const tricky = 'abc;def#ghi';
    expect(expectWritten(await push(target, tricky), 'updated').requoted).toBe(true);
    expect(read(path)).toBe(`//r.example/:_authToken=${JSON.stringify(tricky)}\n`);
    expect(decode(read(path))['//r.example/:_authToken']).toBe(tricky);
    expectRefused(await push(target, 'a${HOME}b'), 'value-not-expressible');
    expect(decode(read(path))['//r.example/:_authToken']).toBe(tricky);
  });

  it('creates ~/.npmrc with mode 0600 when it does not exist', async () => {
    const path = join(tmp(), '.npmrc');
    expectWritten(await push({ kind: 'npmrc', path, key: '//registry.npmjs.org/' }, SECRET), 'created');
    expect(read(path)).toBe(`//registry.npmjs.org/:_authToken=${SECRET}\n`);
    expect(modeOf(path)).toBe(0o600);
  });

  it('keeps CRLF line endings and a missing final newline', async () => {
    const path = join(tmp(), '.npmrc');
    writeFixture(path, 'registry=https://r.example/\r\n//r.example/:_authToken=old');
    expectWritten(await push({ kind: 'npmrc', path, key: '//r.example/' }, SECRET), 'updated');
    expect(read(path)).toBe(`registry=https://r.example/\r\n//r.example/:_authToken=${SECRET}`);
    expectWritten(await push({ kind: 'npmrc', path, key: '//other.example/' }, SECRET), 'created');
    expect(read(path)).toBe(`registry=https://r.example/\r\n//r.example/:_authToken=${SECRET}\r\n//other.example/:_authToken=${SECRET}`);
  });

  it('derives the registry prefix the way npm does', () => {
    expect(npmRegistryPrefix('https://registry.npmjs.org')).toBe('//registry.npmjs.org/');
    expect(npmRegistryPrefix('http://127.0.0.1:4873/sub/path?x=1#y')).toBe('//127.0.0.1:4873/sub/path/');
    expect(npmRegistryPrefix('//npm.pkg.github.com/')).toBe('//npm.pkg.github.com/');
    expect(npmRegistryPrefix('registry.example.com')).toBe('//registry.example.com/');
    expect(npmRegistryPrefix('')).toBeNull();
  });
});
