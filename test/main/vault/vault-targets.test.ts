import Database from 'better-sqlite3';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeploymentTargetSpec, type PushOutcome, type VerifyOutcome } from '../../../src/shared/deployment-targets';
import { TargetService } from '../../../src/main/use-cases/targets';
import { CHEAP_SCRYPT, noKeychain, Vault } from '../../../src/main/vault';
import { newVault, reopen, tempDirs } from './vault-support';

const tmp = tempDirs();

const written = (at: string, remoteUpdatedAt: string | null = null): PushOutcome => ({
  status: 'written',
  at,
  change: 'updated',
  fileCreated: false,
  requoted: false,
  occurrences: 1,
  receipt: { remoteUpdatedAt, version: null },
});
const failed = (at: string): PushOutcome => ({
  status: 'failed',
  at,
  failure: { code: 'network', reason: null, detail: null, message: 'The service could not be reached.', httpStatus: null, maybeApplied: false },
});
const verified: VerifyOutcome = { status: 'verified', at: '2030-01-01T00:00:02.000Z', evidence: 'value-read-back' };

async function seeded(dir: string) {
  const v = await newVault(dir);
  const ws = v.workspaces.create({ kind: 'manual', name: 'acme' });
  const t = v.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 'S3cretValue' });
  const other = v.tokens.insert({ workspaceId: ws.id, name: 'other', secret: 'OtherSecret' });
  return { v, ws, t, other, path: join(dir, 'vault.db') };
}

describe('deployment targets in the vault', () => {
  it('adds, lists (oldest first), records push and verify, and removes; each change audited', async () => {
    const dir = tmp();
    const { v, t } = await seeded(dir);
    const a = v.targets.add(t.id, { kind: 'dotenv', path: '/srv/app/.env', key: 'DEPLOY_TOKEN' }, 'cli');
    // The vault stores the spec its caller parsed (TargetService.add): zod filled the GitLab defaults, and that
    // canonical spec is what comes back.
    const gitlab = DeploymentTargetSpec.parse({ kind: 'gitlab-variable', workspaceId: 'ws-1', level: 'project', owner: 'team/app', key: 'TOKEN' });
    const b = v.targets.add(t.id, gitlab);
    expect(v.targets.list(t.id).map((x) => x.id)).toEqual([a.id, b.id]);
    expect(v.targets.find(b.id)?.spec).toEqual(gitlab);
    expect(v.targets.find(b.id)?.spec).toMatchObject({ masked: true, raw: true, environmentScope: '*' });

    v.targets.recordPush(a.id, written('2030-01-01T00:00:01.000Z', '2030-01-01T00:00:01Z'));
    v.targets.recordVerify(a.id, verified);
    v.targets.recordPush(a.id, failed('2030-01-02T00:00:00.000Z'));
    const again = await reopen(join(dir, 'vault.db'));
    const stored = again.targets.find(a.id);
    // the failed retry is the last push, but the receipt of the last good one stays as the verify baseline
    expect(stored).toMatchObject({ lastPush: { status: 'failed' }, lastReceipt: { remoteUpdatedAt: '2030-01-01T00:00:01Z' }, lastVerify: verified });
    again.close();

    v.targets.remove(a.id, 'cli');
    expect(v.targets.list(t.id).map((x) => x.id)).toEqual([b.id]);
    expect(v.audit.list({ tokenId: t.id }).map((e) => [e.action, e.actor, e.detail])).toEqual(
      expect.arrayContaining([
        ['target-added', 'cli', 'dotenv'],
        ['target-added', 'app', 'gitlab-variable'],
        ['target-removed', 'cli', 'dotenv'],
      ]),
    );
    expect(v.targets.recordPush('gone', written('2030-01-01T00:00:00.000Z'))).toBeUndefined();
    expect(() => v.targets.remove('gone')).toThrow(expect.objectContaining({ code: 'not-found' }));
    v.close();
  });

  it('refuses a place some token is already deployed to, and a spec that is not one', async () => {
    const dir = tmp();
    const { v, t, other } = await seeded(dir);
    v.targets.add(t.id, { kind: 'npmrc', path: '/home/u/.npmrc', key: '//registry.npmjs.org/' });
    expect(() => v.targets.add(t.id, { kind: 'npmrc', path: '/home/u/.npmrc', key: '//registry.npmjs.org/' })).toThrow(expect.objectContaining({ code: 'already-exists', message: expect.stringMatching(/already deployed there/) }));
    expect(() => v.targets.add(other.id, { kind: 'npmrc', path: '/home/u/.npmrc', key: '//registry.npmjs.org/' })).toThrow(expect.objectContaining({ code: 'already-exists', message: expect.stringMatching(/Another token/) }));
    // another key of the same file is another place
    v.targets.add(other.id, { kind: 'npmrc', path: '/home/u/.npmrc', key: '//npm.example.com/' });
    // A spec that is not one is refused where specs come in (the service the window and the command line use).
    expect(() => new TargetService({ vault: v, actor: 'cli' }).add(t.id, { kind: 'dotenv', path: 'relative/.env', key: 'K' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => v.targets.add('no-such-token', { kind: 'dotenv', path: '/x/.env', key: 'K' })).toThrow(expect.objectContaining({ code: 'not-found' }));
    v.close();
  });

  it('hands every target to a replacement, and removes them with their token', async () => {
    const dir = tmp();
    const { v, t, other } = await seeded(dir);
    const a = v.targets.add(t.id, { kind: 'dotenv', path: '/srv/.env', key: 'A' });
    const b = v.targets.add(t.id, { kind: 'yaml', path: '/srv/ci.yml', key: 'deploy.token' });
    expect(v.targets.moveAll(t.id, other.id)).toBe(2);
    expect(v.targets.moveAll(t.id, other.id)).toBe(0); // idempotent
    expect(v.targets.list(t.id)).toEqual([]);
    expect(v.targets.list(other.id).map((x) => [x.id, x.tokenId])).toEqual([
      [a.id, other.id],
      [b.id, other.id],
    ]);
    const again = await reopen(join(dir, 'vault.db'));
    expect(again.targets.list(other.id)).toHaveLength(2); // the re-sealed rows open under their new token
    again.close();
    v.tokens.remove(other.id);
    expect(v.targets.list()).toEqual([]);
    v.close();
  });

  it('keeps paths and keys sealed, and refuses a row handed to another token by editing its clear token_id', async () => {
    const dir = tmp();
    const { v, t, other, path } = await seeded(dir);
    const a = v.targets.add(t.id, { kind: 'dotenv', path: '/srv/very-secret-place/.env', key: 'WHERE_IT_LIVES' });
    v.close();
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.includes(Buffer.from('very-secret-place')), f).toBe(false);
      expect(bytes.includes(Buffer.from('WHERE_IT_LIVES')), f).toBe(false);
    }
    const db = new Database(path);
    db.prepare('UPDATE deployment_targets SET token_id = ? WHERE id = ?').run(other.id, a.id);
    db.close();
    const again = await reopen(path);
    expect(() => again.targets.list(other.id)).toThrow(expect.objectContaining({ code: 'vault-tampered' }));
    again.close();
  });

  it('refuses a target row edited, deleted or added by hand (issue 10 row authentication): vault-tampered naming the row', async () => {
    const dir = tmp();
    const { v, t, path } = await seeded(dir);
    const a = v.targets.add(t.id, { kind: 'dotenv', path: '/srv/.env', key: 'A' });
    const b = v.targets.add(t.id, { kind: 'dotenv', path: '/srv/.env', key: 'B' });
    v.close();
    const tampered = (id: string) => expect.objectContaining({ code: 'vault-tampered', message: expect.stringContaining(id) });
    const edit = (sql: string, ...args: unknown[]) => {
      const db = new Database(path);
      db.prepare(sql).run(...args);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    };
    const snapshot = readFileSync(path);

    // a clear column edited (the sealed record untouched): its MAC no longer matches
    edit('UPDATE deployment_targets SET created_at = ? WHERE id = ?', '2000-01-01T00:00:00.000Z', a.id);
    let again = await reopen(path);
    expect(() => again.targets.list(t.id)).toThrow(tampered(a.id));
    expect(() => again.targets.find(a.id)).toThrow(tampered(a.id));
    // and a rotation would not quietly skip or rewrite it
    expect(() => again.targets.moveAll(t.id, t.id)).toThrow(tampered(a.id));
    again.close();

    // a row deleted: the manifest still knows it
    writeFileSync(path, snapshot);
    edit('DELETE FROM deployment_targets WHERE id = ?', b.id);
    again = await reopen(path);
    expect(() => again.targets.list()).toThrow(tampered(b.id));
    expect(() => again.targets.find(b.id)).toThrow(tampered(b.id));
    again.close();

    // a row copied in under a new id: not one Token Vault wrote
    writeFileSync(path, snapshot);
    edit(
      "INSERT INTO deployment_targets (id, token_id, created_at, updated_at, record, rev, mac) SELECT 'forged', token_id, created_at, updated_at, record, rev, mac FROM deployment_targets WHERE id = ?",
      a.id,
    );
    again = await reopen(path);
    expect(() => again.targets.list(t.id)).toThrow(tampered('forged'));
    again.close();
  });

  it('passwd re-keys the targets: after it they still read, under the new password only', async () => {
    const dir = tmp();
    const { v, t, path } = await seeded(dir);
    const a = v.targets.add(t.id, { kind: 'dotenv', path: '/srv/.env', key: 'A' });
    v.targets.recordPush(a.id, written('2030-01-01T00:00:01.000Z'));
    const before = v.targets.list();
    await v.keys.changePassword('a brand new password', CHEAP_SCRYPT);
    expect(v.targets.list()).toEqual(before);
    v.close();
    const again = Vault.open(path, { keychain: noKeychain });
    await again.keys.unlockWithPassword('a brand new password');
    expect(again.targets.list()).toEqual(before);
    again.targets.remove(a.id);
    expect(again.targets.list()).toEqual([]);
    again.close();
  });
});
