import { pathToFileURL } from 'node:url';
import type { SenderInfo } from '../ipc/dispatcher';

/**
 * Only the app's own page may call main: the built renderer file, or the dev server while developing.
 * Plain Node (no electron import) so the rule is unit-tested.
 */
export function createSenderCheck(options: { rendererFile: string; devServerUrl?: string }): (s: SenderInfo) => boolean {
  const appFile = pathToFileURL(options.rendererFile).href;
  const devOrigin = options.devServerUrl ? new URL(options.devServerUrl).origin : undefined;
  return (sender) => {
    let url: URL;
    try {
      url = new URL(sender.url);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') return `file://${url.pathname}` === appFile;
    return devOrigin !== undefined && url.origin === devOrigin;
  };
}
