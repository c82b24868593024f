import { shell } from 'electron';
import { createLogger } from '../log/redacting-logger';
import { isAllowedExternalUrl } from './external-links';

const log = createLogger('safe-opener');
let extraHosts: readonly string[] = [];

/** Workspaces add their own hosts (a self-managed GitLab, a company Strapi) to what may be opened. */
export function setWorkspaceLinkHosts(hosts: readonly string[]): void {
  extraHosts = hosts;
}

// SECURITY: the only call of shell.openExternal in the app.
export async function openExternalSafely(url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url, extraHosts)) {
    log.warn('refused to open a link', { url });
    return false;
  }
  await shell.openExternal(url);
  return true;
}
