import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { TargetService } from '../../../../src/main/use-cases/targets';
import type { Vault } from '../../../../src/main/vault/vault';
import { reopen, tempVault } from '../rotation/rotation-fixture';

let vault: Vault;
let path = '';
let dir = '';
beforeEach(async () => {
  const t = await tempVault();
  vault = t.vault;
  path = t.path;
  dir = mkdtempSync(join(tmpdir(), 'tv-target-service-'));
  return () => {
    t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  };
});

function token(secret: string | null = 'first-secret-value') {
  const ws = vault.workspaces.findByName('m') ?? vault.workspaces.create({ kind: 'manual', name: 'm' });
  return vault.tokens.insert({ workspaceId: ws.id, name: `t-${Math.random()}`, secret });
}

describe('adding a deployment target', () => {
  it('refuses what could never be written, each with a clear reason', () => {
    const t = token();
    const svc = new TargetService({ vault });
    const strapi = vault.workspaces.create({ kind: 'strapi', name: 'cms', baseUrl: 'http://127.0.0.1:9', username: 'a@b.c', adminCredential: 'pw' });
    const bare = vault.workspaces.create({ kind: 'gitlab', name: 'gl-bare', baseUrl: 'http://127.0.0.1:9' });
    expect(() => svc.add(t.id, { kind: 'gitlab-variable', workspaceId: strapi.id, level: 'project', owner: 'a/b', key: 'K' })).toThrow(
      expect.objectContaining({ code: 'invalid-argument', message: expect.stringMatching(/"cms" is a Strapi workspace; this target needs a GitLab workspace/) }),
    );
    expect(() => svc.add(t.id, { kind: 'gitlab-variable', workspaceId: bare.id, level: 'project', owner: 'a/b', key: 'K' })).toThrow(expect.objectContaining({ code: 'bad-credential' }));
    expect(() => svc.add(t.id, { kind: 'dotenv', path: join(dir, 'nope', '.env'), key: 'K' })).toThrow(expect.objectContaining({ code: 'invalid-argument', message: expect.stringMatching(/does not exist/) }));
    expect(() => svc.add(t.id, { kind: 'dotenv', path: join(dir, '.env'), key: '1BAD' })).toThrow(expect.objectContaining({ code: 'invalid-argument', message: expect.stringMatching(/^key: Use letters/) }));
    expect(() => svc.add(t.id, { kind: 'npmrc', path: join(dir, '.npmrc'), key: 'registry.npmjs.org' })).toThrow(expect.objectContaining({ message: expect.stringMatching(/trailing slash/) }));
    expect(svc.list(t.id)).toEqual([]);
  });

  it('finds a target by its id or a unique start of it', () => {
    const t = token();
    const svc = new TargetService({ vault });
    const a = svc.add(t.id, { kind: 'dotenv', path: join(dir, 'a.env'), key: 'K' });
    expect(svc.resolve(t.id, a.id).id).toBe(a.id);
    expect(svc.resolve(t.id, a.id.slice(0, 6)).id).toBe(a.id);
    expect(() => svc.resolve(t.id, a.id.slice(0, 3))).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => svc.resolve(token().id, a.id)).toThrow(expect.objectContaining({ code: 'not-found' }));
  });
});

describe('pushing the current secret', () => {
  it('writes every target and reads each back; pushes again when another process stored a new secret meanwhile', async () => {
    const t = token('first-secret-value');
    const svc = new TargetService({ vault });
    const files = ['a.env', 'b.env'].map((n) => join(dir, n));
    for (const f of files) {
      writeFileSync(f, 'OTHER=1\nTOKEN=old\n');
      svc.add(t.id, { kind: 'dotenv', path: f, key: 'TOKEN' });
    }
    const other = await reopen(path); // another process: the app, while the command line pushes
    let changed = false;
    const report = await svc.push(t.id, {
      onProgress: (p) => {
        if (changed || p.phase !== 'done' || p.index !== 0) return;
        changed = true;
        other.tokens.setSecret(t.id, 'second-secret-value');
      },
    });
    other.close();
    expect(report.targets.map((r) => r.verify?.status)).toEqual(['verified', 'verified']);
    for (const f of files) expect(readFileSync(f, 'utf8')).toBe('OTHER=1\nTOKEN=second-secret-value\n');
    expect(vault.audit.list({ tokenId: t.id }).find((a) => a.action === 'deployed')?.detail).toBe('2 of 2 targets hold the secret');
  });

  it('refuses a revoked token and a token without a secret; a token without targets pushes nothing', async () => {
    const svc = new TargetService({ vault });
    const revoked = token();
    vault.tokens.update(revoked.id, { status: 'revoked' });
    await expect(svc.push(revoked.id)).rejects.toMatchObject({ code: 'invalid-argument' });
    const empty = token(null);
    await expect(svc.push(empty.id)).rejects.toMatchObject({ code: 'secret-not-stored' });
    expect(await svc.push(token().id)).toEqual({ tokenId: expect.any(String), targets: [] });
  });
});

describe('the scan linker', () => {
  it('links a found file, keeps a place already linked to the token, and refuses one linked to another token', async () => {
    const svc = new TargetService({ vault });
    const a = token();
    const b = token();
    const linker = svc.scanLinker();
    const found = { file: join(dir, '.env'), format: 'dotenv' as const, key: 'TOKEN' };
    const first = await linker.link(a.id, found);
    expect(first).toMatchObject({ ok: true });
    expect(await linker.link(a.id, found)).toEqual(first);
    expect(await linker.link(b.id, found)).toMatchObject({ ok: false, code: 'already-exists' });
    expect(svc.list(a.id)).toHaveLength(1);
  });
});
