import type { LockTriggers } from '../../../shared/ipc/desktop-channels';

/** Exactly what locks the vault on this computer: the presenter's words for main's LockTriggers. */
export function screenLockHelp(triggers: LockTriggers | undefined): string {
  const always = 'Sleep always locks the vault, and so does the idle time above.';
  if (!triggers) return always;
  switch (triggers.screenLock) {
    case 'system':
      return `Locks when ${triggers.platform === 'mac' ? 'macOS' : 'Windows'} shows its lock screen. ${always}`;
    case 'desktop-signals': {
      const how = [
        ...(triggers.sources.includes('screensaver') ? ["your desktop's screen locker starts (GNOME, KDE, Cinnamon, MATE, Xfce)"] : []),
        ...(triggers.sources.includes('logind') ? ['the login session is locked (loginctl lock-session)'] : []),
      ];
      return `Locks when ${how.join(' or when ')}. ${always}`;
    }
    case 'none':
      return `This desktop does not report its screen lock to apps, so this option has no effect here. ${always}`;
  }
}
