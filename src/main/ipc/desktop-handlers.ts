import type { LockTriggers } from '../../shared/ipc/desktop-channels';
import { isAllowedExternalUrl, workspaceLinkHosts } from '../use-cases/external-links';
import type { HandlersFor } from '../service/handlers';
import type { DesktopPort } from '../service/ports';
import type { VaultSession } from '../service/vault-session';

/** desktop:* - links through the safe opener, allow-listed per workspace; what locks the vault here. */
export function createDesktopHandlers(session: VaultSession, desktop: DesktopPort): HandlersFor<'desktop'> {
  return {
    'desktop:get-lock-triggers': () => desktop.lockTriggers(),
    'desktop:open-link': async ({ url, workspaceId }) => {
      // A workspace's hosts are encrypted user data: the link of a workspace needs the vault open.
      const hosts = workspaceId ? workspaceLinkHosts(session.requireUnlocked().getWorkspace(workspaceId)) : [];
      if (!isAllowedExternalUrl(url, hosts)) return { opened: false };
      return { opened: await desktop.openInBrowser(url, hosts) };
    },
  };
}

/** Where no desktop answers (the command line, tests that do not care): no links, and no screen-lock report. */
export const noDesktop = (platform: NodeJS.Platform = process.platform): DesktopPort => ({
  openInBrowser: async () => false,
  lockTriggers: (): LockTriggers => ({ platform: platformOf(platform), screenLock: 'none', sources: [] }),
});

export const platformOf = (platform: NodeJS.Platform): LockTriggers['platform'] =>
  platform === 'darwin' ? 'mac' : platform === 'win32' ? 'windows' : platform === 'linux' ? 'linux' : 'other';
