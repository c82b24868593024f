import { join } from 'node:path';

/**
 * The images the running app shows (window icon on Linux, tray, taskbar overlay), drawn by
 * scripts/render-icons.mjs from build/icon.svg. Packaged they sit outside app.asar in resources/icons
 * (electron-builder `extraResources`); in development they are read from the project's build/runtime-icons.
 * Plain Node.
 */
export function runtimeImagesDir(options: { isPackaged: boolean; mainDir: string; resourcesPath: string }): string {
  // Development: out/main/index.js of the project (started as `electron .` or `electron out/main/index.js`).
  return options.isPackaged ? join(options.resourcesPath, 'icons') : join(options.mainDir, '..', '..', 'build', 'runtime-icons');
}

export const WINDOW_ICON = 'app.png';

/**
 * The tray image for this desktop. macOS: a template image (black + alpha; the menu bar tints it for light and dark).
 * Windows: the glyph that stands out on the taskbar's theme. Linux: panels are dark on GNOME whatever the theme and
 * follow it elsewhere, so the full-colour icon, readable on both. Each has an @2x sibling Electron picks on HiDPI.
 */
export function trayImageFile(platform: NodeJS.Platform, darkTaskbar: boolean): string {
  if (platform === 'darwin') return 'trayTemplate.png';
  if (platform === 'win32') return darkTaskbar ? 'tray-light.png' : 'tray-dark.png';
  return 'tray-color.png';
}

/** Windows has no badge: the taskbar button gets an overlay with the count (1-9, then "9+"), none at 0. */
export function overlayImageFile(count: number): string | null {
  if (!Number.isFinite(count) || count <= 0) return null;
  return count > 9 ? 'overlay-9plus.png' : `overlay-${Math.floor(count)}.png`;
}

/** Every file the app may ask for: the packaging test checks each ships, in both sizes. */
export const RUNTIME_IMAGE_FILES = [
  WINDOW_ICON,
  'trayTemplate.png',
  'tray-light.png',
  'tray-dark.png',
  'tray-color.png',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `overlay-${n}.png`),
  'overlay-9plus.png',
] as const;

/** What the desktop shows for a count of tokens that need attention (expired, expiring, rotation due). */
export function attentionLook(count: number): { title: string; tooltip: string; overlayDescription: string; trayTitle: string } {
  const n = Math.max(0, Math.floor(count));
  const need = n === 1 ? '1 token needs attention' : `${n} tokens need attention`;
  return {
    title: n > 0 ? `Token Vault (${n} need attention)` : 'Token Vault',
    tooltip: n > 0 ? `Token Vault: ${need}` : 'Token Vault',
    overlayDescription: need,
    // macOS shows text beside the menu-bar icon; a space keeps it off the glyph.
    trayTitle: n > 0 ? ` ${n}` : '',
  };
}
