import { shell } from 'electron';
import { createLogger } from '../log/redacting-logger';
import { isAllowedExternalUrl } from './external-links';

const log = createLogger('safe-opener');

// SECURITY: the only call of shell.openExternal in the app.
export async function openExternalSafely(url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) {
    log.warn('refused to open a link', { url });
    return false;
  }
  await shell.openExternal(url);
  return true;
}
