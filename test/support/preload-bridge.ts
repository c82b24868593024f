import type { Page } from '@playwright/test';
import type { AppService } from '../../src/main/ipc/create-app-service';
import { allowPermission } from '../../src/main/shell/window-security';
import { buildApi } from '../../src/shared/ipc/build-api';
import { EVENT_NAMES, PAGE_CHANNELS, type EventMap, type EventName } from '../../src/shared/ipc-contract';

export type BridgeEmit = <E extends EventName>(event: E, payload: EventMap[E]) => Promise<void>;

/**
 * Gives a plain browser page exactly the preload's API: window.tokenVault is built by the preload's own buildApi()
 * from the contract's own lists, and every call goes through the app's dispatcher (sender check against the page's
 * origin, zod, Result envelope, the after-change path) into the real handlers in this process. Call before the page
 * navigates.
 * Where it differs from Electron: a plain page's File has no path on disk, so the preload's webUtils.getPathForFile is
 * stood in for by a table the test fills (bridgeDropFile: file name -> path). Electron answers '' for a File made in
 * script and the real path only for one the OS dropped; here a File made in script with a registered name gets the
 * path. Main's checks on the path (checkDroppedFile) are the real ones either way.
 * Returns the way to send main -> renderer events, as the shell does with webContents.send.
 */
export async function installPreloadBridge(page: Page, service: Pick<AppService, 'dispatcher'>, appOrigin: string): Promise<BridgeEmit> {
  await installPermissionDecisions(page, appOrigin);
  const dispatch = service.dispatcher((sender) => new URL(sender.url).origin === appOrigin);
  await page.exposeBinding('__bridgeInvoke', (source, channel: string, input: unknown) =>
    dispatch(channel, { isMainFrame: source.frame === source.page.mainFrame(), url: source.frame.url() }, input),
  );
  await page.addInitScript(
    `(() => {
      const listeners = new Map();
      const droppedFiles = new Map();
      window.__bridgeDropFile = (name, path) => droppedFiles.set(name, path);
      window.__bridgeEmit = (event, payload) => (listeners.get(event) || []).forEach((l) => l(payload));
      const api = (${buildApi.toString()})(
        ${JSON.stringify(PAGE_CHANNELS)},
        ${JSON.stringify(EVENT_NAMES)},
        (channel, input) => window.__bridgeInvoke(channel, input),
        (event, listener) => {
          listeners.set(event, [...(listeners.get(event) || []), listener]);
          return () => listeners.set(event, (listeners.get(event) || []).filter((l) => l !== listener));
        },
        // Stand-in for Electron's webUtils.getPathForFile (see bridgeDropFile).
        (file) => (file instanceof File && droppedFiles.get(file.name)) || '',
      );
      Object.defineProperty(window, 'tokenVault', { value: api, writable: false, configurable: false });
    })();`,
  );
  return async (event, payload) => {
    await page.evaluate(([e, p]) => (window as unknown as { __bridgeEmit(e: string, p: unknown): void }).__bridgeEmit(e, p), [event, payload] as const);
  };
}

/**
 * The app's session answers every permission with allowPermission() (src/main/shell/window-security.ts). Chromium
 * grants some on its own (a focused page may write the clipboard), so the page here gets the same answers through
 * the DevTools protocol: what the app would deny is denied here too, and a page that reached for
 * navigator.clipboard fails in these tests as it would in Electron. CDP name -> Electron's name for it.
 */
const PERMISSIONS: Record<string, string> = {
  'clipboard-read': 'clipboard-read',
  'clipboard-write': 'clipboard-sanitized-write',
  notifications: 'notifications',
  geolocation: 'geolocation',
  camera: 'media',
  microphone: 'media',
  midi: 'midi',
  'display-capture': 'display-capture',
  'persistent-storage': 'persistent-storage',
  'idle-detection': 'idle-detection',
  'local-fonts': 'local-fonts',
  'window-management': 'window-management',
  'storage-access': 'storage-access',
};

async function installPermissionDecisions(page: Page, origin: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  // Permissions live per browser context (Playwright's is not the browser's default one) and, for the clipboard,
  // take effect only when set for the page's origin.
  const { targetInfo } = await cdp.send('Target.getTargetInfo');
  for (const [name, electronName] of Object.entries(PERMISSIONS)) {
    const setting = allowPermission(electronName) ? 'granted' : 'denied';
    await cdp.send('Browser.setPermission', { permission: { name }, setting, origin, browserContextId: targetInfo.browserContextId });
  }
  // Left attached: Chromium drops a DevTools client's permission overrides when it detaches.
}

/**
 * The test's side of the getPathForFile stand-in: a File named `name` dropped on the page is the file at `path`
 * (as Electron would say for a real drop). Call after the page has loaded.
 */
export async function bridgeDropFile(page: Page, name: string, path: string): Promise<void> {
  await page.evaluate(([n, p]) => (window as unknown as { __bridgeDropFile(n: string, p: string): void }).__bridgeDropFile(n, p), [name, path] as const);
}
