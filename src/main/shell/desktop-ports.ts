import { app, clipboard, Notification, type BrowserWindow } from 'electron';
import type { ClipboardPort, NotifierPort } from '../use-cases/ports';

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
