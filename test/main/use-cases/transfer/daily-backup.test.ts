import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../../src/main/ipc/create-app-service';
import type { Dispatch } from '../../../../src/main/ipc/dispatcher';
import type { DialogPort, TimerPort } from '../../../../src/main/use-cases/ports';
import { restoreBackup } from '../../../../src/main/use-cases/transfer/backup-vault';
import { DAILY_BACKUP_CHECK_MS } from '../../../../src/main/use-cases/transfer/daily-backup-service';
import type { DailyBackupStatus } from '../../../../src/shared/ipc/backup-channels';
import type { Result } from '../../../../src/shared/result';
import { newVault, openVault, tempDir, VAULT_PW } from './transfer-support';
import { MemoryClipboard, RecordingNotifier } from '../../../support/desktop-stand-ins';

/** A clock the test moves, and a timer the test fires: the service's own ports, driven by hand. */
class HandClock {
  constructor(public at: Date) {}
  now = () => this.at;
}
class HandTimer implements TimerPort {
  ticks: { ms: number; tick: () => void }[] = [];
  every(ms: number, tick: () => void) {
    const entry = { ms, tick };
    this.ticks.push(entry);
    return () => void (this.ticks = this.ticks.filter((t) => t !== entry));
  }
  fire() {
    for (const t of this.ticks) t.tick();
  }
}

let app: AppService | undefined;
afterEach(() => app?.close());

async function appWithVault(name: string, options: { dialogs?: DialogPort } = {}) {
  const dir = tempDir(`daily-${name}`);
  const v = await newVault(join(dir, 'vault.db'));
  const ws = v.workspaces.create({ kind: 'manual', name: 'team' });
  v.tokens.insert({ workspaceId: ws.id, name: 'deploy', secret: 'daily-backup-s3cret' });
  v.close();
  const clock = new HandClock(new Date(2026, 2, 10, 9, 0));
  const timer = new HandTimer();
  app = createAppService({ userDataDir: dir, clipboard: new MemoryClipboard(), notifier: new RecordingNotifier(), emit: () => {}, keychain: undefined, clock, timer, ...options });
  const dispatch: Dispatch = app.dispatcher(() => true);
  const call = async <T>(channel: string, input?: unknown): Promise<T> => {
    const r = (await dispatch(channel, { isMainFrame: true, url: 'app://test' }, input)) as Result<T>;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const backupsIn = (folder = join(dir, 'backups')) => readdirSync(folder).filter((f) => f.endsWith('.tvbackup')).sort();
  return { dir, clock, timer, call, backupsIn, service: app };
}

describe('the automatic daily backup', { timeout: 60_000 }, () => {
  it('a vault unlocked twice in a day writes one backup; the next day, while still unlocked, the timer writes the next', async () => {
    const { clock, timer, call, backupsIn, service } = await appWithVault('twice');
    await call('vault:unlock', { password: VAULT_PW });
    await service.backups.runIfDue();
    expect(backupsIn()).toEqual(['vault-2026-03-10.tvbackup']);
    await call('vault:lock');
    clock.at = new Date(2026, 2, 10, 17, 30);
    await call('vault:unlock', { password: VAULT_PW });
    await service.backups.runIfDue();
    expect(backupsIn()).toEqual(['vault-2026-03-10.tvbackup']);

    // Past midnight and still unlocked: the hourly check writes the new day's.
    expect(timer.ticks.map((t) => t.ms)).toContain(DAILY_BACKUP_CHECK_MS);
    clock.at = new Date(2026, 2, 11, 0, 30);
    timer.fire();
    await service.backups.runIfDue();
    expect(backupsIn()).toEqual(['vault-2026-03-10.tvbackup', 'vault-2026-03-11.tvbackup']);
    // Locked: the timer writes nothing (the data key is gone).
    await call('vault:lock');
    clock.at = new Date(2026, 2, 12, 0, 30);
    timer.fire();
    await service.backups.runIfDue();
    expect(backupsIn()).toHaveLength(2);

    const status = await call<DailyBackupStatus>('backup:get-status');
    expect(status).toMatchObject({ keepDays: 7, customFolder: false, lastError: null, lastBackup: { fileName: 'vault-2026-03-11.tvbackup', day: '2026-03-11' } });
  });

  it('keeps the number of days set in Settings and prunes older ones; 0 turns it off', async () => {
    const { clock, call, backupsIn, service } = await appWithVault('prune');
    await call('vault:unlock', { password: VAULT_PW });
    await call('vault:update-settings', { dailyBackupKeepDays: 2 });
    for (let d = 1; d <= 4; d++) {
      clock.at = new Date(2026, 3, d, 8);
      await call('backup:run-now');
    }
    expect(backupsIn()).toEqual(['vault-2026-04-03.tvbackup', 'vault-2026-04-04.tvbackup']);
    await call('vault:update-settings', { dailyBackupKeepDays: 0 });
    clock.at = new Date(2026, 3, 5, 8);
    await call('backup:run-now');
    await service.backups.runIfDue();
    expect(backupsIn()).toEqual(['vault-2026-04-03.tvbackup', 'vault-2026-04-04.tvbackup']);
    expect((await call<DailyBackupStatus>('backup:get-status')).keepDays).toBe(0);
  });

  it('the daily backup restores with the master password: a real file, a real vault', async () => {
    const { dir, call, backupsIn, service } = await appWithVault('restore');
    await call('vault:unlock', { password: VAULT_PW });
    await service.backups.runIfDue();
    const [file] = backupsIn();
    const restored = join(dir, 'restored', 'vault.db');
    mkdirSync(join(dir, 'restored'));
    await restoreBackup({ backupPath: join(dir, 'backups', file ?? ''), vaultPath: restored, replace: false, unlock: { masterPassword: VAULT_PW } });
    const v = await openVault(restored);
    try {
      const [token] = v.tokens.list();
      expect(token?.name).toBe('deploy');
      expect(token && v.tokens.readSecret(token.id)).toBe('daily-backup-s3cret');
    } finally {
      v.close();
    }
  });

  it('a folder chosen in the OS dialog that cannot be written: a typed error in the status, the unlock still works, and the next good folder clears it', async () => {
    // A folder below a file (tests may run as root, for whom a read-only folder is writable).
    const root = tempDir('daily-folder');
    writeFileSync(join(root, 'a-file'), 'x');
    const broken = join(root, 'a-file', 'backups');
    const good = join(root, 'good');
    let answer: string | null = broken;
    const dialogs: DialogPort = { chooseFile: async () => null, chooseFolder: async () => answer };
    const { call, backupsIn } = await appWithVault('folder', { dialogs });
    await call('vault:unlock', { password: VAULT_PW });
    let status = await call<DailyBackupStatus>('backup:choose-folder');
    expect(status).toMatchObject({ folder: broken, customFolder: true });
    status = await call<DailyBackupStatus>('backup:run-now');
    expect(status.lastError?.code).toBe('cannot-write');
    expect(status.lastError?.message).toContain(broken);
    expect(status.lastBackup).toBeNull();
    // A file where the folder should be: the same typed error.
    answer = join(root, 'a-file');
    await call('backup:choose-folder');
    expect((await call<DailyBackupStatus>('backup:run-now')).lastError?.code).toBe('cannot-write');
    // Cancelled dialog: nothing changes.
    answer = null;
    expect((await call<DailyBackupStatus>('backup:choose-folder')).folder).toBe(join(root, 'a-file'));
    answer = good;
    await call('backup:choose-folder');
    status = await call<DailyBackupStatus>('backup:run-now');
    expect(status.lastError).toBeNull();
    expect(backupsIn(good)).toHaveLength(1);
    status = await call<DailyBackupStatus>('backup:reset-folder');
    expect(status.customFolder).toBe(false);
  });
});
