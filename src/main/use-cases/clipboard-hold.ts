import { createHash } from 'node:crypto';
import type { ClipboardPort } from './ports';

// Never keep the copied secret itself around: a digest is enough to tell whether the clipboard still holds it.
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Puts `text` on the clipboard and returns its release: clears the clipboard only if it still holds that text (what
 * the user copied since is left alone), and says whether it did. The window's copy and `token-vault clip` both use it.
 */
export async function holdInClipboard(clipboard: ClipboardPort, text: string): Promise<() => Promise<boolean>> {
  await clipboard.writeText(text);
  const held = digest(text);
  return async () => {
    if (digest(await clipboard.readText()) !== held) return false;
    await clipboard.clear();
    return true;
  };
}
