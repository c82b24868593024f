import { posix, resolve, win32 } from 'node:path';
import type { SenderInfo } from '../ipc/dispatcher';

/**
 * The local path a file URL names, decoded as Chromium decodes it to open the file: valid %XX escapes become bytes
 * (UTF-8), a stray `%` stays as it is (url.format leaves a `%` in a folder name unescaped, and Chromium keeps it).
 * Null for a URL with a host, or with an escaped slash or backslash that would hide a path separator.
 */
export function localPathOf(url: URL, windows: boolean): string | null {
  if (url.protocol !== 'file:' || (url.hostname !== '' && url.hostname !== 'localhost')) return null;
  if (/%(2f|5c)/i.test(url.pathname)) return null;
  const bytes: number[] = [];
  const text = url.pathname;
  for (let i = 0; i < text.length; i++) {
    const escape = /^%[0-9a-fA-F]{2}/.exec(text.slice(i, i + 3));
    if (escape) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  const path = Buffer.from(bytes).toString('utf8');
  if (!windows) return path;
  // file:///C:/x -> C:\x
  return /^\/[a-zA-Z]:/.test(path) ? path.slice(1).replace(/\//g, '\\') : null;
}

/**
 * Only the app's own page may call main: the built renderer file, or the dev server while developing.
 * A file URL is compared as the path it names, not as text: Electron's loadFile builds the URL with url.format
 * (which escapes only `#` and `?`) and Chromium then escapes spaces, `^`, `|` and more its own way, so the
 * frame's URL never equals pathToFileURL's spelling for an install path like `/opt/Token Vault [beta]#2`.
 * Decoding the URL to the path Chromium opened is what makes them comparable; a URL that names no local path (a
 * host, an encoded slash) is refused. Plain Node (no electron import) so the rule is unit-tested, also against real Chromium.
 */
export function createSenderCheck(options: { rendererFile: string; devServerUrl?: string; platform?: NodeJS.Platform }): (s: SenderInfo) => boolean {
  const windows = (options.platform ?? process.platform) === 'win32';
  const normalize = (path: string) => (windows ? win32.normalize(path).toLowerCase() : posix.normalize(path));
  const appFile = normalize(windows ? win32.resolve(options.rendererFile) : resolve(options.rendererFile));
  const devOrigin = options.devServerUrl ? new URL(options.devServerUrl).origin : undefined;
  return (sender) => {
    let url: URL;
    try {
      url = new URL(sender.url);
    } catch {
      return false;
    }
    if (url.protocol === 'file:') {
      const path = localPathOf(url, windows);
      return path !== null && normalize(path) === appFile;
    }
    return devOrigin !== undefined && url.origin === devOrigin;
  };
}
