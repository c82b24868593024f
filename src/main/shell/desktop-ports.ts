import { app, clipboard, dialog, Notification, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { ClipboardPort, DialogPort, NotifierPort } from '../use-cases/ports';

export const electronClipboard: ClipboardPort = {
  writeText: (text) => clipboard.writeText(text),
  readText: () => clipboard.readText(),
  clear: () => clipboard.clear(),
};

export function createNotifier(getWindow: () => BrowserWindow | undefined, onCount: (count: number) => void): NotifierPort {
  return {
    notify(title, body) {
      if (Notification.isSupported()) new Notification({ title, body, silent: false }).show();
    },
    setAttentionCount(count) {
      app.setBadgeCount(count);
      getWindow()?.setTitle(count > 0 ? `Token Vault (${count} need attention)` : 'Token Vault');
      onCount(count);
    },
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
    chooseFolder: () => ask({ title: 'Folder for daily backups', properties: ['openDirectory', 'createDirectory'] }),
  };
}
