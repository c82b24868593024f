import { execFileSync } from 'node:child_process';
import { chownSync, linkSync, lstatSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTemps } from '../../../../src/main/use-cases/targets';
import { expectRefused, expectWritten, modeOf, push, read, tempDirs, verify, writeFixture } from './target-test-kit';

const tmp = tempDirs();
const SECRET = 'tok_safety_0123456789';
const isRoot = process.getuid?.() === 0;

describe('file targets: where and how they are written', () => {
  it('follows a symlink inside the named folder, edits the real file and keeps the link', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'shared'));
    const real = join(dir, 'shared', 'env.production');
    writeFixture(real, 'A=1\nTOKEN=old\n', 0o640);
    symlinkSync('shared/env.production', join(dir, '.env'));
    expectWritten(await push({ kind: 'dotenv', path: join(dir, '.env'), key: 'TOKEN' }, SECRET), 'updated');
    expect(lstatSync(join(dir, '.env')).isSymbolicLink()).toBe(true);
    expect(read(real)).toBe(`A=1\nTOKEN=${SECRET}\n`);
    expect(modeOf(real)).toBe(0o640);
    expect(await verify({ kind: 'dotenv', path: join(dir, '.env'), key: 'TOKEN' }, SECRET)).toMatchObject({ status: 'verified' });
  });

  it('refuses a symlink that leads out of the named folder, a dangling one, a folder, a FIFO and a hard-linked file', async () => {
    const outside = tmp();
    const dir = tmp();
    writeFixture(join(outside, 'elsewhere.env'), 'TOKEN=old\n');
    symlinkSync(join(outside, 'elsewhere.env'), join(dir, '.env'));
    expectRefused(await push({ kind: 'dotenv', path: join(dir, '.env'), key: 'TOKEN' }, SECRET), 'symlink-outside');
    symlinkSync('../../../../../../../etc/hostname', join(dir, 'sneaky.env'));
    expectRefused(await push({ kind: 'dotenv', path: join(dir, 'sneaky.env'), key: 'TOKEN' }, SECRET), 'symlink-outside');
    expect(read(join(outside, 'elsewhere.env'))).toBe('TOKEN=old\n');
    symlinkSync('missing.env', join(dir, 'dangling.env'));
    expect(expectRefused(await push({ kind: 'dotenv', path: join(dir, 'dangling.env'), key: 'T' }, SECRET), 'not-a-regular-file').failure.detail).toBe('dangling-symlink');
    mkdirSync(join(dir, 'folder.env'));
    expectRefused(await push({ kind: 'dotenv', path: join(dir, 'folder.env'), key: 'T' }, SECRET), 'not-a-regular-file');
    execFileSync('mkfifo', [join(dir, 'fifo.env')]);
    expectRefused(await push({ kind: 'dotenv', path: join(dir, 'fifo.env'), key: 'T' }, SECRET), 'not-a-regular-file');
    writeFixture(join(dir, 'linked.env'), 'T=old\n');
    linkSync(join(dir, 'linked.env'), join(dir, 'other-name.env'));
    expectRefused(await push({ kind: 'dotenv', path: join(dir, 'linked.env'), key: 'T' }, SECRET), 'hard-linked');
    expect(read(join(dir, 'other-name.env'))).toBe('T=old\n');
  });

  it('refuses a file in a folder that does not exist, and bytes that are not UTF-8', async () => {
    const dir = tmp();
    expectRefused(await push({ kind: 'dotenv', path: join(dir, 'nope', '.env'), key: 'T' }, SECRET), 'folder-missing');
    writeFileSync(join(dir, 'latin1.env'), Buffer.from([0x54, 0x3d, 0xe9, 0x0a]));
    expect(expectRefused(await push({ kind: 'dotenv', path: join(dir, 'latin1.env'), key: 'T' }, SECRET), 'unparsable').failure.detail).toBe('not-utf8');
  });

  it.skipIf(!isRoot)('keeps the owner and group of a file that belongs to someone else (runs as root)', async () => {
    const path = join(tmp(), '.env');
    writeFixture(path, 'T=old\n', 0o640);
    chownSync(path, 4242, 4343);
    expectWritten(await push({ kind: 'dotenv', path, key: 'T' }, SECRET), 'updated');
    const st = statSync(path);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([4242, 4343, 0o640]);
  });

  it.skipIf(isRoot)('refuses a file it may not write (skipped as root: root may write anything)', async () => {
    const dir = tmp();
    const path = join(dir, '.env');
    writeFixture(path, 'T=old\n', 0o400);
    execFileSync('chmod', ['0500', dir]);
    try {
      expectRefused(await push({ kind: 'dotenv', path, key: 'T' }, SECRET), 'permission-denied');
    } finally {
      execFileSync('chmod', ['0700', dir]);
    }
  });

  it('removes a temp file a killed writer left behind (it holds a secret), not one of a live writer', async () => {
    const dir = tmp();
    const path = join(dir, '.env');
    writeFixture(path, 'T=old\n');
    // temps are named .<file>.tv-<pid>-<random>.tmp; pid 2^22 + 1 is above Linux's pid_max ceiling, so it is dead
    writeFileSync(join(dir, '..env.tv-4194305-0123456789ab.tmp'), 'T=secret-from-a-dead-writer\n');
    writeFileSync(join(dir, `..env.tv-${process.ppid}-0123456789ab.tmp`), 'in flight\n');
    expectWritten(await push({ kind: 'dotenv', path, key: 'T' }, SECRET), 'updated');
    expect(readdirSync(dir).sort()).toEqual(['..env.tv-' + process.ppid + '-0123456789ab.tmp', '.env']);
    expect(await removeStaleTemps(dir, '.env')).toBe(0);
  });
});
