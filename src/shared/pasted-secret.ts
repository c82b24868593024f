/**
 * A pasted secret without the spaces, tabs and line breaks around it (they come along when copying from a web page or
 * a terminal, and no service issues a token that starts or ends with one). `trimmed` says whether anything went, so the
 * command line and the window can say so.
 */
export function trimPastedSecret(text: string): { secret: string; trimmed: boolean } {
  const secret = text.trim();
  return { secret, trimmed: secret.length !== text.length };
}
