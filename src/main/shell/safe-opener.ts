import { shell } from 'electron';
import { createLogger } from '../log/redacting-logger';
import { isAllowedExternalUrl } from '../use-cases/external-links';

const log = createLogger('safe-opener');

/**
 * SECURITY: the only call of shell.openExternal in the app. `extraHosts`: the hosts of the workspace the link belongs
 * to (the IPC handler looks them up in the vault); window.open from the page gets none.
 */
export async function openExternalSafely(url: string, extraHosts: readonly string[] = []): Promise<boolean> {
  if (!isAllowedExternalUrl(url, extraHosts)) {
    log.warn('refused to open a link', { url });
    return false;
  }
  await shell.openExternal(url);
  return true;
}
