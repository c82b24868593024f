import { describe, expect, it } from 'vitest';
import { screenLockHelp } from '../../src/renderer/src/lib/words';

describe('Settings says exactly what locks the vault, per platform', () => {
  const always = 'Sleep always locks the vault, and so does the idle time above.';
  it.each([
    ['macOS', { platform: 'mac', screenLock: 'system', sources: [] }, `Locks when macOS shows its lock screen. ${always}`],
    ['Windows', { platform: 'windows', screenLock: 'system', sources: [] }, `Locks when Windows shows its lock screen. ${always}`],
    ['GNOME/KDE with logind', { platform: 'linux', screenLock: 'desktop-signals', sources: ['logind', 'screensaver'] }, `Locks when your desktop's screen locker starts (GNOME, KDE, Cinnamon, MATE, Xfce) or when the login session is locked (loginctl lock-session). ${always}`],
    ['logind only (a bare window manager)', { platform: 'linux', screenLock: 'desktop-signals', sources: ['logind'] }, `Locks when the login session is locked (loginctl lock-session). ${always}`],
    ['no D-Bus at all', { platform: 'linux', screenLock: 'none', sources: [] }, `This desktop does not report its screen lock to apps, so this option has no effect here. ${always}`],
  ] as const)('%s', (_name, triggers, text) => expect(screenLockHelp({ ...triggers, sources: [...triggers.sources] })).toBe(text));

  it('before main answered: only what always holds', () => expect(screenLockHelp(undefined)).toBe(always));
});
