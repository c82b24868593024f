import type { Page } from '@playwright/test';
import type { AppService } from '../../src/main/ipc/create-app-service';
import { allowPermission } from '../../src/main/shell/window-security';
import { buildApi } from '../../src/shared/ipc/build-api';
import { EVENT_NAMES, INVOKE_CHANNELS, type EventMap, type EventName } from '../../src/shared/ipc-contract';

export type BridgeEmit = <E extends EventName>(event: E, payload: EventMap[E]) => Promise<void>;

/**
 * Gives a plain browser page exactly the preload's API: window.tokenVault is built by the preload's own buildApi()
 * from the contract's own lists, and every call goes through the app's dispatcher (sender check against the page's
 * origin, zod, Result envelope, the after-change path) into the real handlers in this process. Call before the page
 * navigates.
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
      window.__bridgeEmit = (event, payload) => (listeners.get(event) || []).forEach((l) => l(payload));
      const api = (${buildApi.toString()})(
        ${JSON.stringify(INVOKE_CHANNELS)},
        ${JSON.stringify(EVENT_NAMES)},
        (channel, input) => window.__bridgeInvoke(channel, input),
        (event, listener) => {
          listeners.set(event, [...(listeners.get(event) || []), listener]);
          return () => listeners.set(event, (listeners.get(event) || []).filter((l) => l !== listener));
        },
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
