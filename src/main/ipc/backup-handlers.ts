import type { backupChannels } from '../../shared/ipc/backup-channels';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/** backup:* — the automatic daily backup's folder and state, for Settings. */
export function createBackupHandlers({ session, backups, dialogs }: Pick<HandlerContext, 'session' | 'backups' | 'dialogs'>): HandlersOf<typeof backupChannels> {
  return {
    'backup:get-status': () => backups.status(session.requireVault()),
    'backup:choose-folder': async () => {
      const vault = session.requireUnlocked();
      const folder = await dialogs.chooseFolder('backups');
      if (folder !== null) {
        vault.settings.update({ dailyBackupFolder: folder });
        backups.folderChanged();
      }
      return backups.status(vault);
    },
    'backup:reset-folder': () => {
      const vault = session.requireUnlocked();
      vault.settings.update({ dailyBackupFolder: null });
      backups.folderChanged();
      return backups.status(vault);
    },
    'backup:run-now': async () => {
      const vault = session.requireUnlocked();
      backups.folderChanged();
      await backups.runIfDue();
      return backups.status(vault);
    },
  };
}
