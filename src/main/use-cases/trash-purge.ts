import { createLogger } from '../log/redacting-logger';
import type { Vault } from '../vault';

const log = createLogger('trash-purge');

/**
 * Deletes for good what has been in the trash longer than TRASH_KEEP_DAYS. Run at every unlock (the app's and each
 * command line run's); a failure (a busy file) is logged and waits for the next unlock: it never blocks one.
 */
export function purgeExpiredTrash(vault: Vault, now: Date = new Date(), actor = 'app'): number {
  try {
    return vault.trash.purgeExpired(now, actor);
  } catch (error) {
    log.warn('could not purge the trash', { error });
    return 0;
  }
}
