import type { ClipboardPort, Clock, EmitEvent, NotifierPort } from '../use-cases/ports';
import type { VaultSession } from '../use-cases/vault-session';

/** What every domain's handlers get: the open vault and the desktop, as small interfaces. */
export interface ServiceContext {
  session: VaultSession;
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  emit: EmitEvent;
  clock: Clock;
}
