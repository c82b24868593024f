import { z } from 'zod';
import { returns } from './define-channel';

/**
 * What locks the vault on this computer, so Settings can say it exactly:
 * - `screenLock`: `system` (macOS, Windows: the OS reports its lock screen), `desktop-signals` (Linux: the desktop
 *   announced itself on D-Bus; `sources` says which), `none` (nothing reports a screen lock here).
 * Suspend always locks; idle time locks after the configured minutes.
 */
export interface LockTriggers {
  platform: 'mac' | 'windows' | 'linux' | 'other';
  screenLock: 'system' | 'desktop-signals' | 'none';
  sources: ('screensaver' | 'logind')[];
}

export const OpenLinkInput = z
  .object({
    url: z.string().min(1).max(2048),
    /** The link belongs to this workspace: its own hosts are allowed too. */
    workspaceId: z.string().min(1).max(200).optional(),
  })
  .strict();

export const desktopChannels = {
  'desktop:get-lock-triggers': returns<LockTriggers>().takes(z.undefined()),
  /** Opens an https link in the user's browser if the safe opener allows it; `opened: false` when it refused. */
  'desktop:open-link': returns<{ opened: boolean }>().takes(OpenLinkInput),
} as const;
