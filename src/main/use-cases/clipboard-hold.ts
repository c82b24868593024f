import { createHash } from 'node:crypto';
import type { ClipboardPort } from './ports';

// Never keep the copied secret itself around: a digest is enough to tell whether the clipboard still holds it.
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Puts `text` on the clipboard and returns its release: clears the clipboard only if it still holds that text (what
 * the user copied since is left alone), and says whether the text is off the clipboard now. The window's copy and `token-vault clip` both use it.
 */
export async function holdInClipboard(clipboard: ClipboardPort, text: string): Promise<() => Promise<boolean>> {
  await clipboard.writeText(text);
  const held = digest(text);
  return async () => {
    const now = await clipboard.readText();
    // Empty already: on X11 the program serving the selection died with the terminal's Ctrl+C (or it was cleared).
    if (now === '') return true;
    if (digest(now) !== held) return false;
    await clipboard.clear();
    return true;
  };
}
