import { join } from 'node:path';
import { Menu, Tray, nativeImage, nativeTheme } from 'electron';
import { trayImageFile } from './desktop-images';

/** The tray icon: its tooltip carries the count of tokens that need attention, readable while the vault is locked. */
export function createTray(imagesDir: string, showWindow: () => void): Tray {
  const image = () => nativeImage.createFromPath(join(imagesDir, trayImageFile(process.platform, nativeTheme.shouldUseDarkColors)));
  const tray = new Tray(image());
  tray.setToolTip('Token Vault');
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Show Token Vault', click: showWindow }, { role: 'quit' }]));
  // Windows: the glyph follows the taskbar's light or dark theme.
  if (process.platform === 'win32') nativeTheme.on('updated', () => tray.setImage(image()));
  // Linux trays (AppIndicator) often have no tooltip and open the menu on click; elsewhere a click shows the window.
  tray.on('click', showWindow);
  return tray;
}
