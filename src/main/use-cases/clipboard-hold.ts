import { createHash } from 'node:crypto';
import type { ClipboardPort } from './ports';

// Never keep the copied secret itself around: a digest is enough to tell whether the clipboard still holds it.
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Puts `text` on the clipboard and returns its release: clears each buffer (the clipboard, and on Linux PRIMARY, what
 * selecting the pasted secret in a field puts there) only if it still holds that text (what the user copied since is
 * left alone), and says whether the text is off the clipboard now. The window's copy and the command line's clip both use
 * it. A buffer that cannot be read is skipped; if none could be, the first error is thrown for the caller to log.
 */
export async function holdInClipboard(clipboard: ClipboardPort, text: string): Promise<() => Promise<boolean>> {
  await clipboard.writeText(text);
  const held = digest(text);
  return async () => {
    let off = false;
    let failure: unknown;
    let read = 0;
    for (const buffer of ['clipboard', 'selection'] as const) {
      try {
        const now = await clipboard.readText(buffer);
        read++;
        // Empty already: on X11 the program serving the selection died with the terminal's Ctrl+C (or it was cleared).
        if (buffer === 'clipboard' && now === '') off = true;
        else if (now !== '' && digest(now) === held) {
          await clipboard.clear(buffer);
          off = true;
        }
      } catch (error) {
        failure ??= error;
      }
    }
    if (read === 0 && failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
    return off;
  };
}
