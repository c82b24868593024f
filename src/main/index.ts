import { app, powerMonitor, type BrowserWindow } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventMap, EventName } from '../shared/ipc-contract';
import { createLogger } from './log/redacting-logger';
import { createAppService } from './ipc/create-app-service';
import { createMainWindow, defaultPaths, hardenSession } from './shell/create-window';
import { createDialogs, createNotifier, electronClipboard } from './shell/desktop-ports';
import { registerIpc } from './shell/register-ipc';
import { createTray } from './shell/tray';
import { createSenderCheck } from './shell/trusted-sender';

const log = createLogger('main');
const here = dirname(fileURLToPath(import.meta.url));
const paths = defaultPaths(here);
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

// End-to-end runs point the app at a throwaway user-data folder (the vault lives there).
if (process.env['TOKEN_VAULT_USER_DATA']) app.setPath('userData', process.env['TOKEN_VAULT_USER_DATA']);

// One instance only: two processes writing one vault through two UIs would confuse the user (the CLI is fine).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | undefined;
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => win?.webContents.send(event, payload);
  const tray = { setTooltip: (_: string) => {} };

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  // SECURITY: whatever webContents appears (a devtools page, a stray frame), it cannot navigate or open windows.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    hardenSession();
    const service = createAppService({
      userDataDir: app.getPath('userData'),
      clipboard: electronClipboard,
      dialogs: createDialogs(() => win),
      notifier: createNotifier(() => win, (count) => tray.setTooltip(`Token Vault: ${count} need attention`)),
      emit,
    });
    const dispatch = service.dispatcher(createSenderCheck({ rendererFile: paths.rendererFile, devServerUrl }));
    registerIpc(dispatch, () => win);
    Object.assign(tray, createTray(() => win));

    // Lock when the user walks away: on suspend always, on screen lock unless turned off in settings, and after the
    // configured idle time (checked every 15 s).
    powerMonitor.on('lock-screen', () => service.session.lockForScreenLock());
    powerMonitor.on('suspend', () => service.lock('suspend'));
    setInterval(() => service.lockIfIdle(powerMonitor.getSystemIdleTime()), 15_000).unref();

    win = createMainWindow({ ...paths, rendererUrl: devServerUrl });
    win.on('closed', () => (win = undefined));
    app.on('before-quit', () => service.lock('quit'));
    log.info('ready');
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
