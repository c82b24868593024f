import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRemoteUrl, GitRepo } from '../../../../src/main/use-cases/sharing/git-repo';
import { sharingSandbox } from './sharing-fixture';

const box = sharingSandbox('tv-share-git-');

describe('git remotes', () => {
  it('takes paths, file://, ssh, scp-like ssh, https, git:// and http only to this machine', () => {
    for (const ok of ['/srv/git/team.git', 'file:///srv/git/team.git', 'ssh://git@example.com/team.git', 'git@gitlab.example.com:group/team.git', 'https://gitlab.example.com/group/team.git', 'git://127.0.0.1/team.git', 'http://127.0.0.1:8080/team.git', 'http://localhost/x.git'])
      expect(checkRemoteUrl(ok)).toBe(ok);
  });

  it('refuses option-looking remotes, remote helpers (ext::), unknown transports and plain http to another host', () => {
    expect(() => checkRemoteUrl('--upload-pack=touch /tmp/pwned')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => checkRemoteUrl('ext::sh -c touch% /tmp/pwned')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => checkRemoteUrl('ftp://example.com/x.git')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => checkRemoteUrl('http://gitlab.example.com/x.git')).toThrow(expect.objectContaining({ code: 'insecure-url' }));
    expect(() => checkRemoteUrl('/srv/x.git\n--upload-pack=x')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });

  it('ensure points origin at the remote given, also when the config file holds it quoted, and after a move', async () => {
    const repo = new GitRepo(join(box.root, `ensure-${Math.random().toString(36).slice(2)}`));
    const origin = () => execFileSync('git', ['config', '--get-all', 'remote.origin.url'], { cwd: repo.dir, encoding: 'utf8' }).trim();
    for (const url of ['/srv/share one.git', '/srv/share#two;"q".git', '/srv/share#two;"q".git', 'file:///srv/three.git', 'file:///srv/three.git', '/srv/share one.git']) {
      await repo.ensure(url);
      expect(origin()).toBe(url);
    }
    // A second origin section (git would push to both): not taken as "already pointed there"; git is asked, and says no.
    appendFileSync(join(repo.dir, 'config'), '[remote "origin"]\n\turl = /srv/elsewhere.git\n');
    await expect(repo.ensure('/srv/share one.git')).rejects.toMatchObject({ code: expect.any(String) });
  });

  it('a file name from the remote is one path to fast-import: a leading quote or a newline deletes that file only', async () => {
    const repo = new GitRepo(join(box.root, `names-${Math.random().toString(36).slice(2)}`));
    await repo.ensure('/srv/names.git');
    const quoted = '"members/00000001"';
    const injected = 'junk\ncommit refs/tokenvault/pending\nmark :1\ncommitter x <x> 1 +0000\ndata 4\nevil\ndeleteall';
    const kept = ['members/00000001', 'records/ab/one', 'tokenvault-share.json'];
    const base = await repo.writeCommit(null, [...kept, quoted, injected, 'back\\slash'].map((path) => ({ path, data: Buffer.from(path) })), 'base');
    const tree = (commit: string) => execFileSync('git', ['ls-tree', '-r', '-z', '--name-only', commit], { cwd: repo.dir, encoding: 'utf8' }).split('\0').filter(Boolean).sort();
    expect(tree(base)).toEqual([...kept, quoted, injected, 'back\\slash'].sort());
    // A broken scratch ref (a power loss leaves it empty) does not stop the next commit.
    writeFileSync(join(repo.dir, 'refs', 'tokenvault', 'pending'), '');
    const next = await repo.writeCommit(base, [quoted, injected, 'back\\slash'].map((path) => ({ path, data: null })), 'ours');
    expect(tree(next)).toEqual([...kept].sort());
    expect(execFileSync('git', ['log', '--format=%s', next], { cwd: repo.dir, encoding: 'utf8' }).trim().split('\n')).toEqual(['ours', 'base']);
  });

  it('a credential in the remote URL never reaches an error message', async () => {
    const refused = createServer((_req, res) => {
      res.statusCode = 401;
      res.setHeader('WWW-Authenticate', 'Basic realm="git"');
      res.end('no');
    });
    await new Promise<void>((r) => refused.listen(0, '127.0.0.1', r));
    const port = (refused.address() as AddressInfo).port;
    try {
      for (const url of [`http://robot:glpat-SUPERSECRET@127.0.0.1:${port}/team.git`, `http://robot:glpat-SUPERSECRET@127.0.0.1:1/team.git`]) {
        const repo = new GitRepo(join(box.root, `probe-${url.length}-${Math.random().toString(36).slice(2)}`));
        await repo.ensure(url);
        const error = await repo.fetch().catch((e: unknown) => e);
        expect(error).toMatchObject({ code: expect.stringMatching(/^(bad-credential|network)$/) });
        expect(String((error as Error).message)).not.toContain('SUPERSECRET');
      }
    } finally {
      await new Promise<void>((r) => refused.close(() => r()));
    }
  });
});

describe('a lock named by a hostile remote on this machine', () => {
  it('removes no file outside the remote\'s refs: a ".." after a link in refs is resolved as the kernel does', async () => {
    const base = join(box.root, `lock-${Math.random().toString(36).slice(2)}`);
    const remote = join(base, 'team.git');
    const victim = join(base, 'project');
    mkdirSync(join(victim, 'sub'), { recursive: true });
    writeFileSync(join(victim, 'Cargo.lock'), 'precious');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
    const repo = new GitRepo(join(base, 'local'));
    await repo.ensure(remote);
    expect(await repo.push(await repo.writeCommit(null, [{ path: 'a', data: Buffer.from('a') }], 'one'))).toBe('ok');
    // The remote's branch is locked (a lock an hour old), a link in its refs leads out, and its hook names a path
    // that is inside refs only when ".." is taken as text.
    const old = new Date(Date.now() - 3_600_000);
    writeFileSync(join(remote, 'refs', 'heads', 'main.lock'), '');
    utimesSync(join(remote, 'refs', 'heads', 'main.lock'), old, old);
    symlinkSync(join(victim, 'sub'), join(remote, 'refs', 'heads', 'a'));
    const crafted = join(remote, 'refs', 'heads', 'a') + '/../Cargo.lock';
    writeFileSync(join(remote, 'hooks', 'pre-receive'), `#!/bin/sh\necho "error: cannot lock ref 'refs/heads/main': Unable to create '${crafted}': File exists." >&2\n`, { mode: 0o755 });
    const tip = await repo.fetch();
    const pushed = await repo.push(await repo.writeCommit(tip, [{ path: 'b', data: Buffer.from('b') }], 'two'));
    expect(pushed).toEqual({ rejected: true, locked: crafted });
    if (pushed !== 'ok' && pushed.locked) await repo.clearStaleRemoteLock(pushed.locked, remote);
    expect(readFileSync(join(victim, 'Cargo.lock'), 'utf8')).toBe('precious');
  });
});

describe('a lock on a shared folder whose clock is not ours', () => {
  it('is watched for the whole wait before it is removed: a lock dated an hour back that its git still writes is left', async () => {
    const base = join(box.root, `skew-${Math.random().toString(36).slice(2)}`);
    const remote = join(base, 'team.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
    const repo = new GitRepo(join(base, 'local'));
    await repo.ensure(remote);
    expect(await repo.push(await repo.writeCommit(null, [{ path: 'a', data: Buffer.from('a') }], 'one'))).toBe('ok');
    // Another device's git just made the lock; the file server's clock is an hour behind ours, so it looks old.
    const lock = join(remote, 'refs', 'heads', 'main.lock');
    const serverTime = () => new Date(Date.now() - 3_600_000);
    writeFileSync(lock, '');
    utimesSync(lock, serverTime(), serverTime());
    const tip = await repo.fetch();
    const pushed = await repo.push(await repo.writeCommit(tip, [{ path: 'b', data: Buffer.from('b') }], 'two'));
    expect(pushed).toEqual({ rejected: true, locked: expect.stringMatching(/refs\/heads\/main\.lock$/) });
    const writing = setTimeout(() => {
      writeFileSync(lock, `${'0'.repeat(40)}\n`);
      utimesSync(lock, serverTime(), serverTime());
    }, 300);
    try {
      expect(pushed !== 'ok' && pushed.locked !== null && (await repo.clearStaleRemoteLock(pushed.locked, remote))).toBe(false);
    } finally {
      clearTimeout(writing);
    }
    expect(existsSync(lock)).toBe(true);
  });
});
