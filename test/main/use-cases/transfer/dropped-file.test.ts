import { mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../../src/main/errors';
import { checkDroppedFile } from '../../../../src/main/use-cases/transfer/transfer-files';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tv-dropped-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (path: string): { code: string; message: string } => {
  try {
    checkDroppedFile(path);
  } catch (e) {
    if (e instanceof AppFailure) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error(`accepted ${path}`);
};

describe('a path from a drop is checked before main keeps it', () => {
  it('accepts a regular file, and a symlink to one (resolved to the file itself)', () => {
    const file = join(dir, 'app.env');
    writeFileSync(file, 'A=b\n');
    expect(checkDroppedFile(file)).toBe(file);
    const link = join(dir, 'link.env');
    symlinkSync(file, link);
    expect(checkDroppedFile(link)).toBe(file);
  });

  it('refuses a folder, a symlink to a folder and a device, naming the file but not its folder', () => {
    mkdirSync(join(dir, 'exports'));
    symlinkSync(join(dir, 'exports'), join(dir, 'exports-link'));
    for (const path of [join(dir, 'exports'), join(dir, 'exports-link'), '/dev/null', '/dev/zero']) {
      const { code, message } = failure(path);
      expect(code, path).toBe('invalid-argument');
      expect(message).toMatch(/is not a file/);
      expect(message).not.toContain(dir);
    }
  });

  it('refuses what has no path on disk (a File made in script), a relative path, and a file that is gone', () => {
    expect(failure('').code).toBe('invalid-argument');
    expect(failure('app.env').code).toBe('invalid-argument');
    expect(failure('../../etc/passwd').code).toBe('invalid-argument');
    expect(failure(join(dir, 'gone.env'))).toEqual({ code: 'not-found', message: expect.stringContaining('gone.env') as string });
    expect(failure(join(dir, 'x\0y')).code).toBe('not-found');
  });

  it('refuses a file larger than any import reads (512 MiB), as the chooser\'s read does', () => {
    const big = join(dir, 'huge.kdbx');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 512 * 1024 * 1024 + 1); // sparse: takes no disk
    closeSync(fd);
    expect(failure(big)).toEqual({ code: 'invalid-argument', message: expect.stringContaining('larger than 512 MiB') as string });
  });
});
