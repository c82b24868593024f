import type { Page } from '@playwright/test';
import type { AppService } from '../../src/main/ipc/create-app-service';
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
