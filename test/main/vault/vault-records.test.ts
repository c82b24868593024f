import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noKeychain, Vault } from '../../../src/main/vault';
import { newVault, PASSWORD, tempDirs } from './vault-support';

const tmp = tempDirs();

describe('vault records', () => {
  it('stores workspaces and tokens, reopens them after unlock, and keeps secrets apart from summaries', async () => {
    const dir = tmp();
    const v = await newVault(dir);
    const ws = v.workspaces.create({ kind: 'gitlab', name: 'acme', baseUrl: 'https://gitlab.example', adminCredential: 'glpat-admin' });
    const t = v.tokens.insert({ workspaceId: ws.id, name: 'ci', secret: 'glpat-secret-1', prefix: 'glpat-', scopes: ['api'], expiresAt: '2030-01-01T00:00:00.000Z', remoteId: '42' });
    expect(t.hasSecret).toBe(true);
    expect(JSON.stringify(t)).not.toContain('glpat-secret-1');
    v.close();

    const again = Vault.open(join(dir, 'vault.db'), { keychain: noKeychain });
    expect(again.isUnlocked).toBe(false);
    expect(() => again.tokens.list()).toThrow(/locked/);
    expect(again.tokens.reminderFacts()).toEqual([expect.objectContaining({ id: t.id, expiresAt: '2030-01-01T00:00:00.000Z', status: 'active' })]);
    await again.keys.unlockWithPassword(PASSWORD);
    expect(again.tokens.list().map((x) => x.name)).toEqual(['ci']);
    expect(again.workspaces.get(ws.id)).toMatchObject({ name: 'acme', hasAdminCredential: true });
    expect(again.workspaces.connection(ws.id).adminCredential).toBe('glpat-admin');
    expect(again.tokens.readSecret(t.id, { action: 'revealed', actor: 'test' })).toBe('glpat-secret-1');
    expect(again.tokens.findByRemoteId(ws.id, '42')?.id).toBe(t.id);
    expect(again.audit.list({ tokenId: t.id }).map((a) => a.action)).toEqual(['revealed', 'created']);
    again.close();
  });

  it('updates, searches, rotates links and removes tokens across shards', async () => {
    const v = await newVault(tmp());
    const ws = v.workspaces.create({ kind: 'manual', name: 'Personal' });
    const ids: string[] = [];
    for (let i = 0; i < 600; i++) ids.push(v.tokens.insert({ workspaceId: ws.id, name: `tok-${i}`, notes: i % 100 === 0 ? 'Needle here' : 'hay' }).id);
    expect(v.tokens.search('needle')).toHaveLength(6);
    expect(v.tokens.search('personal')).toHaveLength(600);
    const [a = '', b = ''] = ids;
    v.tokens.update(a, { status: 'inactive', replacedById: b, name: 'renamed', rotationPolicy: { rotateEveryDays: 30, basis: 'issue' } });
    v.tokens.update(b, { replacesId: a });
    expect(v.tokens.get(a)).toMatchObject({ status: 'inactive', replacedById: b, name: 'renamed', rotationPolicy: { rotateEveryDays: 30 } });
    v.tokens.remove(ids[599] ?? '');
    expect(v.tokens.list()).toHaveLength(599);
    v.lock();
    await v.keys.unlockWithPassword(PASSWORD);
    expect(v.tokens.list()).toHaveLength(599);
    expect(v.tokens.get(a).name).toBe('renamed');
    expect(v.tokens.list({ status: 'inactive' })).toHaveLength(1);
    v.close();
  });

  it('keeps settings, notification markers and the rotation journal', async () => {
    const v = await newVault(tmp());
    expect(v.settings.get().warningDays).toEqual([30, 7, 1]);
    v.settings.update({ autoLockMinutes: 5 });
    v.notifications.mark('t1', 'expiry-7');
    const j = v.journal.put({ tokenId: 't1', step: 'created-new', payload: { secret: 'x' } });
    v.lock();
    expect(v.settings.get().autoLockMinutes).toBe(5);
    expect(v.notifications.has('t1', 'expiry-7')).toBe(true);
    expect(() => v.journal.list()).toThrow(/locked/);
    await v.keys.unlockWithPassword(PASSWORD);
    expect(v.journal.get(j.id)?.payload).toEqual({ secret: 'x' });
    v.close();
  });

  it('hands an issued secret back when it cannot be stored', async () => {
    const v = await newVault(tmp());
    try {
      v.tokens.storeIssued({ workspaceId: 'nope', name: 'x', secret: 'sk-live-123' });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'secret-not-stored', unsavedSecret: 'sk-live-123' });
      expect((e as Error).message).not.toContain('sk-live-123');
    }
    v.close();
  });

  it('imports the dataset format in one go and skips what is already there', async () => {
    const v = await newVault(tmp());
    const recs = Array.from({ length: 1000 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, workspace: `ws-${i % 7}`, name: `n${i}`, secret: `s${i}`, prefix: 'p', url: 'https://x', notes: 'n', createdAt: '2025-01-01T00:00:00.000Z', expiresAt: null }));
    expect(v.tokens.import(recs)).toEqual({ inserted: 1000, skipped: 0, workspacesCreated: 7 });
    expect(v.tokens.import(recs.slice(0, 10))).toEqual({ inserted: 0, skipped: 10, workspacesCreated: 0 });
    expect(v.tokens.list()).toHaveLength(1000);
    expect(v.tokens.readSecret(recs[500]!.id)).toBe('s500');
    v.close();
  });
});
