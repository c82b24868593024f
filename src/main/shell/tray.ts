import { Menu, Tray, nativeImage, type BrowserWindow } from 'electron';

/** The tray icon: its tooltip carries the count of tokens that need attention, readable while the vault is locked. */
export function createTray(getWindow: () => BrowserWindow | undefined): { setTooltip(text: string): void } {
  const tray = new Tray(nativeImage.createEmpty());
  tray.setToolTip('Token Vault');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Token Vault', click: () => getWindow()?.show() },
      { role: 'quit' },
    ]),
  );
  return { setTooltip: (text) => tray.setToolTip(text) };
}
