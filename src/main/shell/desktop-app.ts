import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, powerMonitor, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { LockTriggers } from '../../shared/ipc/desktop-channels';
import type { EventMap, EventName } from '../../shared/ipc-contract';
import { platformOf } from '../ipc/desktop-handlers';
import { createLogger } from '../log/redacting-logger';
import { COMMAND_NAME } from '../../shared/command-name';
import { createAppService } from '../ipc/create-app-service';
import { PRODUCT_NAME } from './app-identity';
import { appMenuTemplate, type MenuAction, type MenuItemSpec } from './app-menu';
import { adminScript, commandLineToolPlan, installCommandLineTool } from './command-line-tool';
import { createMainWindow, defaultPaths, hardenSession } from './create-window';
import { runtimeImagesDir, WINDOW_ICON } from './desktop-images';
import { AttentionIndicator, createDialogs, createNotifier, electronClipboard } from './desktop-ports';
import { watchScreenLock, type ScreenLockWatch } from './linux-screen-lock';
import { registerIpc } from './register-ipc';
import { openExternalSafely } from './safe-opener';
import { createTray } from './tray';
import { createSenderCheck } from './trusted-sender';

const log = createLogger('main');

/** The desktop app: one instance, one window (reopened on demand), the tray, and everything that locks the vault. */
export function startDesktopApp(entryUrl: string): void {
  const mainDir = dirname(fileURLToPath(entryUrl));
  const paths = defaultPaths(mainDir);
  const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

  // One instance only: two processes writing one vault through two UIs would confuse the user (the CLI is fine).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let win: BrowserWindow | undefined;
  // Another launch hands over to this one (also before the window exists: it shows once there is one).
  let showWindow = () => undefined as void;
  app.on('second-instance', () => showWindow());
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => {
    if (win && !win.isDestroyed()) win.webContents.send(event, payload);
  };

  // SECURITY: whatever webContents appears (a devtools page, a stray frame), it cannot navigate or open windows.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    hardenSession();
    const images = runtimeImagesDir({ isPackaged: app.isPackaged, mainDir, resourcesPath: process.resourcesPath });
    const indicator = new AttentionIndicator(images);

    showWindow = () => {
      if (!win || win.isDestroyed()) openWindow();
      else {
        if (win.isMinimized()) win.restore();
        win.show();
        win.focus();
      }
    };
    const openWindow = () => {
      win = createMainWindow({ ...paths, rendererUrl: devServerUrl, icon: join(images, WINDOW_ICON) });
      indicator.attachWindow(win);
      win.on('closed', () => (win = undefined));
    };

    // Tray and window first: the service starts the reminders at once, and their first count must land somewhere.
    indicator.attachTray(createTray(images, showWindow));
    openWindow();

    let lockTriggers: LockTriggers = {
      platform: platformOf(process.platform),
      screenLock: process.platform === 'darwin' || process.platform === 'win32' ? 'system' : 'none',
      sources: [],
    };
    const service = createAppService({
      userDataDir: app.getPath('userData'),
      clipboard: electronClipboard,
      dialogs: createDialogs(() => win),
      notifier: createNotifier(indicator),
      emit,
      desktop: { openInBrowser: (url, hosts) => openExternalSafely(url, hosts), lockTriggers: () => lockTriggers },
    });
    const dispatch = service.dispatcher(createSenderCheck({ rendererFile: paths.rendererFile, devServerUrl }));
    registerIpc(dispatch, () => win);

    // Lock when the user walks away: on suspend always, on screen lock unless turned off in settings, and after the
    // configured idle time (checked every 15 s). Electron reports the lock screen on macOS and Windows; Linux
    // desktops announce theirs on D-Bus.
    powerMonitor.on('lock-screen', () => service.session.lockForScreenLock());
    powerMonitor.on('suspend', () => service.lock('suspend'));
    setInterval(() => service.lockIfIdle(powerMonitor.getSystemIdleTime()), 15_000).unref();
    let screenLockWatch: ScreenLockWatch | undefined;
    if (process.platform === 'linux') {
      void watchScreenLock({
        sessionBusAddress: process.env['DBUS_SESSION_BUS_ADDRESS'],
        systemBusAddress: process.env['DBUS_SYSTEM_BUS_ADDRESS'],
        pid: process.pid,
        xdgSessionId: process.env['XDG_SESSION_ID'],
        onLock: () => service.session.lockForScreenLock(),
        onProblem: (problem) => log.warn('screen lock is not reported', { problem }),
      }).then((watch) => {
        screenLockWatch = watch;
        lockTriggers = { ...lockTriggers, screenLock: watch.sources.length > 0 ? 'desktop-signals' : 'none', sources: watch.sources };
      });
    }

    setApplicationMenu(showWindow);
    // macOS keeps running with no window; clicking the dock icon (or opening the app again) brings one back.
    app.on('activate', showWindow);
    app.on('before-quit', () => {
      screenLockWatch?.close();
      service.lock('quit');
    });
    log.info('ready');
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

function setApplicationMenu(showWindow: () => void): void {
  const template = appMenuTemplate(process.platform, { productName: PRODUCT_NAME, isPackaged: app.isPackaged });
  if (!template) return Menu.setApplicationMenu(null);
  const actions: Record<MenuAction, () => void> = {
    'install-command-line-tool': () => void offerCommandLineTool(),
    'show-window': showWindow,
  };
  const toElectron = (item: MenuItemSpec): MenuItemConstructorOptions => ({
    ...(item.label ? { label: item.label } : {}),
    ...(item.role ? { role: item.role } : {}),
    ...(item.type ? { type: item.type } : {}),
    ...(item.action ? { click: actions[item.action] } : {}),
    ...(item.submenu ? { submenu: item.submenu.map(toElectron) } : {}),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template.map(toElectron)));
}

/** macOS: link the command line into /usr/local/bin (command-line-tool.ts), asking for an administrator where needed. */
async function offerCommandLineTool(): Promise<void> {
  const plan = commandLineToolPlan(process.execPath);
  const say = (message: string, detail: string) => void dialog.showMessageBox({ type: 'info', message, detail });
  if (!plan) return say('Not available here', `The command line tool can be installed from the packaged app only. While developing, use \`npx ${COMMAND_NAME}\`.`);
  let outcome = await installCommandLineTool(plan);
  if (outcome.kind === 'needs-admin') {
    const asked = await new Promise<boolean>((resolve) => execFile('osascript', ['-e', adminScript(plan)], (error) => resolve(!error)));
    if (!asked) return say('The command line tool was not installed', `Token Vault could not write ${plan.link}. You can make the link yourself:\n\nsudo ln -sfn "${plan.launcher}" ${plan.link}`);
    outcome = { kind: 'installed', link: plan.link };
  }
  say(outcome.kind === 'already-installed' ? 'The command line tool is already installed' : 'The command line tool is installed', `Run \`${COMMAND_NAME}\` in a new terminal to see its commands. ${outcome.link} runs this app's binary, so it follows the app when it updates.`);
}
