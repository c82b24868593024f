import { lstatSync } from 'node:fs';

/**
 * The one rule for a secrets file written over an existing path with --force (inject -o, export): the path itself
 * gets a new file of mode 0600. A symbolic link there is replaced, not followed (the file it named is left as it
 * was), and a wider mode is not kept. This says what --force changed besides the content, for stderr; null when
 * nothing is worth saying (no file, or a plain 0600 file).
 */
export function replacementNote(path: string): string | null {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  if (st.isSymbolicLink()) return `${path} was a symbolic link: replaced by a file of its own (mode 0600); the file it pointed to is unchanged.`;
  const mode = st.mode & 0o777;
  if (st.isFile() && (mode & 0o077) !== 0) return `${path} had mode 0${mode.toString(8)}: the new file has mode 0600.`;
  return null;
}
