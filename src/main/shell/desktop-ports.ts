import { join } from 'node:path';
import { app, clipboard, dialog, nativeImage, Notification, type BrowserWindow, type OpenDialogOptions, type Tray } from 'electron';
import type { ClipboardBuffer, ClipboardPort, DialogPort, NotifierPort } from '../use-cases/ports';
import { attentionLook, overlayImageFile } from './desktop-images';

// Linux has a second buffer, PRIMARY (what middle-click pastes): Electron's `clipboard.selection`, undefined on
// the other platforms, where it reads as empty and clearing it does nothing.
const bufferOf = (buffer: ClipboardBuffer = 'clipboard'): Electron.Clipboard | undefined => (buffer === 'selection' ? clipboard.selection : clipboard);

export const electronClipboard: ClipboardPort = {
  writeText: (text) => clipboard.writeText(text),
  readText: async (buffer) => (await bufferOf(buffer)?.readText()) ?? '',
  clear: (buffer) => bufferOf(buffer)?.clear(),
};

/**
 * The attention count on every surface the platform has: dock / launcher badge (macOS, and Linux desktops with the
 * Unity launcher API, matched through package.json `desktopName`), the Windows taskbar overlay, the tray tooltip
 * (and the menu-bar title on macOS), the window title. It remembers the last count, so a surface that appears
 * later (the window reopened on macOS, the tray created after a refresh) shows it at once.
 */
export class AttentionIndicator {
  private count = 0;
  private window: BrowserWindow | undefined;
  private tray: Tray | undefined;

  constructor(private readonly imagesDir: string) {}

  attachWindow(win: BrowserWindow): void {
    this.window = win;
    win.on('closed', () => {
      if (this.window === win) this.window = undefined;
    });
    this.paintWindow();
  }

  attachTray(tray: Tray): void {
    this.tray = tray;
    this.paintTray();
  }

  set(count: number): void {
    this.count = count;
    app.setBadgeCount(count);
    this.paintWindow();
    this.paintTray();
  }

  private paintWindow(): void {
    const win = this.window;
    if (!win || win.isDestroyed()) return;
    const look = attentionLook(this.count);
    win.setTitle(look.title);
    if (process.platform === 'win32') {
      const file = overlayImageFile(this.count);
      win.setOverlayIcon(file ? nativeImage.createFromPath(join(this.imagesDir, file)) : null, file ? look.overlayDescription : '');
    }
  }

  private paintTray(): void {
    if (!this.tray || this.tray.isDestroyed()) return;
    const look = attentionLook(this.count);
    this.tray.setToolTip(look.tooltip);
    if (process.platform === 'darwin') this.tray.setTitle(look.trayTitle);
  }
}

export function createNotifier(indicator: AttentionIndicator): NotifierPort {
  return {
    notify(title, body) {
      if (Notification.isSupported()) new Notification({ title, body, silent: false }).show();
    },
    setAttentionCount: (count) => indicator.set(count),
  };
}

/** The OS open dialogs, attached to the app's window; the window asks main, main asks the OS (no path from the page). */
export function createDialogs(getWindow: () => BrowserWindow | undefined): DialogPort {
  const ask = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = getWindow();
    const answer = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return answer.canceled ? null : (answer.filePaths[0] ?? null);
  };
  return {
    chooseFile: () =>
      ask({
        title: 'Import tokens',
        properties: ['openFile', 'showHiddenFiles'],
        filters: [
          { name: 'Password manager exports and .env files', extensions: ['kdbx', '1pux', 'csv', 'json', 'env'] },
          { name: 'All files', extensions: ['*'] },
        ],
      }),
    chooseFolder: (purpose) =>
      purpose === 'scan'
        ? ask({ title: 'Folder to scan for tokens', properties: ['openDirectory', 'showHiddenFiles'] })
        : ask({ title: 'Folder for daily backups', properties: ['openDirectory', 'createDirectory'] }),
  };
}
