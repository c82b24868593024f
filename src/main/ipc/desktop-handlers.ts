import type { desktopChannels, LockTriggers } from '../../shared/ipc/desktop-channels';
import { isAllowedExternalUrl, workspaceLinkHosts } from '../use-cases/external-links';
import type { DesktopPort } from '../use-cases/ports';
import type { VaultSession } from '../use-cases/vault-session';
import type { HandlersOf } from './handlers';

/** desktop:* - links through the safe opener, allow-listed per workspace; what locks the vault here. */
export function createDesktopHandlers(session: VaultSession, desktop: DesktopPort): HandlersOf<typeof desktopChannels> {
  return {
    'desktop:get-lock-triggers': () => desktop.lockTriggers(),
    'desktop:open-link': async ({ url, workspaceId }) => {
      // A workspace's hosts are encrypted user data: the link of a workspace needs the vault open.
      const hosts = workspaceId ? workspaceLinkHosts(session.requireUnlocked().workspaces.get(workspaceId)) : [];
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
