import { join } from 'node:path';
import { BrowserWindow, session } from 'electron';
import { openExternalSafely } from './safe-opener';
import { allowPermission, FRAME_ANCESTORS_POLICY } from './window-security';

/**
 * Deny every permission request and check (camera, notifications from the page, clipboard read and write, ...):
 * the one decision in window-security.ts, which the end-to-end bridge installs too. Responses that carry headers
 * (the dev server's) also get what a meta tag cannot say, frame-ancestors, as a policy of its own.
 */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(allowPermission(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => allowPermission(permission));
  ses.webRequest.onHeadersReceived((details, callback) => {
    const isCsp = (name: string) => name.toLowerCase() === 'content-security-policy';
    const headers = Object.entries(details.responseHeaders ?? {});
    const policies = headers.filter(([name]) => isCsp(name)).flatMap(([, values]) => values);
    const others = Object.fromEntries(headers.filter(([name]) => !isCsp(name)));
    callback({ responseHeaders: { ...others, 'Content-Security-Policy': [...policies, FRAME_ANCESTORS_POLICY] } });
  });
}

export function createMainWindow(options: { preloadPath: string; rendererUrl?: string; rendererFile: string; icon?: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Token Vault',
    autoHideMenuBar: true,
    // Linux takes the window's icon from here (macOS and Windows from the app bundle / executable).
    ...(options.icon ? { icon: options.icon } : {}),
    // SECURITY: the options test/main/shell/window-options.security.test.ts checks; written out here, not spread from
    // a constant, so that static scanners (electronegativity) see them at the call.
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const contents = win.webContents;
  // SECURITY: the window never navigates away from the app and never opens another window. Links the user clicks
  // go to the OS browser, and only https links to allow-listed hosts.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url);
    return { action: 'deny' };
  });
  // The title is main's (it carries the attention count); the page's <title> must not overwrite it.
  win.on('page-title-updated', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  if (options.rendererUrl) void win.loadURL(options.rendererUrl);
  else void win.loadFile(options.rendererFile);
  return win;
}

export const defaultPaths = (dirname: string) => ({
  preloadPath: join(dirname, '../preload/index.cjs'),
  rendererFile: join(dirname, '../renderer/index.html'),
});
