import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup, runDailyBackup, writeBackup } from '../../../../src/main/use-cases/transfer/backup-vault';
import { AppFailure } from '../../../../src/main/errors';
import { cli, ensureBuilt } from '../../../cli/cli-support';
import { newVault, openVault, tempDir, VAULT_PW } from './transfer-support';

const dir = tempDir('backup');
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const names = (path: string) => {
  const v = cli(['list', '--json'], { env: { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: VAULT_PW } });
  if (v.code !== 0) throw new Error(v.stderr);
  return (JSON.parse(v.stdout) as { workspace: string; name: string }[]).map((t) => `${t.workspace}/${t.name}`).sort();
};

beforeAll(() => ensureBuilt());
afterAll(() => undefined);

async function seeded(name: string, tokens: string[]): Promise<string> {
  const path = join(dir, name, 'vault.db');
  const v = await newVault(path);
  const ws = v.workspaces.create({ kind: 'manual', name: 'team' });
  for (const t of tokens) v.tokens.insert({ workspaceId: ws.id, name: t, secret: `secret-of-${t}` });
  v.close();
  return path;
}

describe('backup and restore', { timeout: 120_000 }, () => {
  it('backup then restore gives back the vault as it was; restore refuses an existing vault without --force', async () => {
    const path = await seeded('round-trip', ['alpha', 'beta']);
    const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: VAULT_PW };
    const file = join(dir, 'round-trip', 'vault.tvbackup');
    const b = cli(['backup', file, '--json'], { env });
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ path: file, backupPassword: false });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Nothing readable in it: no names, no secrets, not even SQLite's header.
    const bytes = readFileSync(file);
    for (const s of ['secret-of-alpha', 'alpha', 'team', 'SQLite format 3']) expect(bytes.includes(Buffer.from(s))).toBe(false);
    expect(cli(['backup', file], { env })).toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists/) });

    cli(['add', '--workspace', 'team', '--name', 'gamma'], { env, input: 'secret-of-gamma' });
    cli(['remove', 'team/alpha', '--yes'], { env });
    expect(names(path)).toEqual(['team/beta', 'team/gamma']);
    const before = sha(path);
    const refused = cli(['restore', file, '--json'], { env });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'vault-exists' } });
    expect(sha(path)).toBe(before);

    const r = cli(['restore', file, '--force', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ vaultPath: path, replaced: true });
    expect(names(path)).toEqual(['team/alpha', 'team/beta']);
    expect(cli(['get', 'team/alpha'], { env }).stdout).toBe('secret-of-alpha');
    expect(readdirSync(join(dir, 'round-trip')).sort()).toEqual(['vault.db', 'vault.tvbackup']);

    // Into a path with no vault (a new machine): no --force needed.
    const fresh = join(dir, 'round-trip', 'elsewhere', 'vault.db');
    const r2 = cli(['restore', file, '--vault', fresh], { env: { TOKEN_VAULT_PASSWORD: VAULT_PW } });
    expect(r2.code, r2.stderr).toBe(0);
    expect(names(fresh)).toEqual(['team/alpha', 'team/beta']);
  });

  it('opens with the master password of the time, or with the backup password; never with another', async () => {
    const path = await seeded('passwords', ['one']);
    const env = { TOKEN_VAULT_PATH: path, TOKEN_VAULT_PASSWORD: VAULT_PW };
    const file = join(dir, 'passwords', 'b.tvbackup');
    expect(cli(['backup', file], { env: { ...env, TOKEN_VAULT_BACKUP_PASSWORD: 'separate-backup-pw' } }).code).toBe(0);
    // The master password changes after the backup: the backup still opens with the one it was made under.
    expect(cli(['passwd'], { env: { ...env, TOKEN_VAULT_NEW_PASSWORD: 'a-newer-master-pw' } }).code).toBe(0);
    const target = join(dir, 'passwords', 'restored.db');
    expect(cli(['restore', file, '--vault', target], { env: { TOKEN_VAULT_PASSWORD: 'a-newer-master-pw' } })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/Neither the backup password nor the master password/),
    });
    expect(existsSync(target)).toBe(false);
    expect(cli(['restore', file, '--vault', target], { env: { TOKEN_VAULT_PASSWORD: VAULT_PW } }).code).toBe(0);
    expect(names(target)).toEqual(['team/one']);
    const target2 = join(dir, 'passwords', 'restored2.db');
    const viaBackupPw = cli(['restore', file, '--vault', target2], { env: { TOKEN_VAULT_BACKUP_PASSWORD: 'separate-backup-pw' } });
    expect(viaBackupPw.code, viaBackupPw.stderr).toBe(0);
    // The restored vault is the vault of that time: it unlocks with its master password of that time.
    expect(names(target2)).toEqual(['team/one']);
    const wrong = cli(['restore', file, '--vault', join(dir, 'passwords', 'r3.db')], { env: { TOKEN_VAULT_BACKUP_PASSWORD: 'not-the-backup-pw' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).not.toContain('not-the-backup-pw');
  });

  it('a backup with any one byte flipped is refused with a typed error and nothing is written', async () => {
    const path = await seeded('tamper', ['t1', 't2', 't3']);
    const vault = await openVault(path);
    const file = join(dir, 'tamper', 'b.tvbackup');
    await writeBackup(vault, { path: file, replace: false });
    vault.close();
    const good = readFileSync(file);
    const before = sha(path);
    const n = good.readUInt32BE(10) + 14 + 32; // magic, version, header length, header, checksum
    const positions = new Set<number>();
    for (let i = 0; i < n; i += 7) positions.add(i); // every 7th header byte
    for (let i = 0; i < 60; i++) positions.add(n + Math.floor(Math.random() * (good.length - n))); // payload
    for (let i = 1; i <= 24; i++) positions.add(good.length - i); // the last chunk's tag and bytes
    const bad = join(dir, 'tamper', 'bad.tvbackup');
    const codes = new Set<string>();
    for (const pos of positions) {
      const copy = Buffer.from(good);
      copy[pos] = (copy[pos] ?? 0) ^ (1 << Math.floor(Math.random() * 8));
      writeFileSync(bad, copy);
      const error = await restoreBackup({ backupPath: bad, vaultPath: path, replace: true, unlock: { masterPassword: VAULT_PW } }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, `byte ${pos}`).toBeInstanceOf(AppFailure);
      codes.add((error as AppFailure).code);
      expect(sha(path)).toBe(before);
    }
    expect([...codes].every((c) => ['vault-tampered', 'invalid-argument', 'vault-too-new', 'wrong-password'].includes(c))).toBe(true);
    expect(codes.has('vault-tampered')).toBe(true);
    // A truncated or extended file too.
    for (const copy of [good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0])])]) {
      writeFileSync(bad, copy);
      await expect(restoreBackup({ backupPath: bad, vaultPath: path, replace: true, unlock: { masterPassword: VAULT_PW } })).rejects.toMatchObject({ code: 'vault-tampered' });
    }
    expect(readdirSync(join(dir, 'tamper')).sort()).toEqual(['b.tvbackup', 'bad.tvbackup', 'vault.db']);
    // And the good one still restores.
    await restoreBackup({ backupPath: file, vaultPath: path, replace: true, unlock: { masterPassword: VAULT_PW } });
    expect(names(path)).toEqual(['team/t1', 'team/t2', 'team/t3']);
  }, 600_000); // ~250 restores, each deriving the vault's key at the KDF floor (issue 10 item 3: N >= 2^15)

  it('the daily backup: written once a day into the backups folder, kept N days, off at 0', async () => {
    const path = await seeded('daily', ['d1']);
    const vault = await openVault(path);
    const backups = join(dir, 'daily', 'backups');
    try {
      vault.settings.update({ dailyBackupKeepDays: 3 });
      const day = (d: number) => new Date(2026, 0, d, 12, 0, 0);
      for (let d = 1; d <= 5; d++) {
        const first = await runDailyBackup(vault, { dir: backups, now: day(d) });
        expect(first.written).toBe(join(backups, `vault-2026-01-0${d}.tvbackup`));
        expect((await runDailyBackup(vault, { dir: backups, now: new Date(2026, 0, d, 18) })).written).toBeNull();
      }
      writeFileSync(join(backups, 'notes.txt'), 'not ours');
      const out = await runDailyBackup(vault, { dir: backups, now: day(6) });
      expect(out.pruned).toEqual([join(backups, 'vault-2026-01-03.tvbackup')]);
      expect(readdirSync(backups).sort()).toEqual(['notes.txt', 'vault-2026-01-04.tvbackup', 'vault-2026-01-05.tvbackup', 'vault-2026-01-06.tvbackup']);
      const restored = join(dir, 'daily', 'restored.db');
      await restoreBackup({ backupPath: join(backups, 'vault-2026-01-06.tvbackup'), vaultPath: restored, replace: false, unlock: { masterPassword: VAULT_PW } });
      expect(names(restored)).toEqual(['team/d1']);
      vault.settings.update({ dailyBackupKeepDays: 0 });
      expect(await runDailyBackup(vault, { dir: backups, now: day(9) })).toEqual({ written: null, pruned: [] });
      expect(() => vault.settings.update({ dailyBackupKeepDays: 400 })).toThrow(/dailyBackupKeepDays/);
    } finally {
      vault.close();
    }
  });
});
