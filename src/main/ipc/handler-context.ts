import type { Clock, DialogPort, EmitEvent } from '../use-cases/ports';
import type { ChosenFiles } from '../use-cases/transfer/chosen-files';
import type { DailyBackupService } from '../use-cases/transfer/daily-backup-service';
import type { ReminderService } from '../use-cases/reminder-service';
import type { TokenSecrets } from '../use-cases/token-secrets';
import type { VaultSession } from '../use-cases/vault-session';

/** What every handler file gets from the composition root: the session and the use cases that hold state. */
export interface HandlerContext {
  session: VaultSession;
  reminders: ReminderService;
  secrets: TokenSecrets;
  emit: EmitEvent;
  clock: Clock;
  dialogs: DialogPort;
  backups: DailyBackupService;
  chosenFiles: ChosenFiles;
}
