/**
 * The one rule for a token's prefix: what Token Vault stores of a fresh secret's start, and what the window and the
 * clipboard may show of it. Pure and dependency-free: main stores and shows it, the renderer only displays it.
 */

/** At most this many characters of a secret are ever shown, as the services' own token pages do. */
export const PREFIX_SECRET_CHARS = 8;

/**
 * The prefix stored with a fresh secret, whoever issued it (a service, a paste, the command line): its first
 * PREFIX_SECRET_CHARS characters (`glpat-Ab`, `mnl_7f3a`), never more than a third of it, so a short secret keeps
 * most of itself hidden.
 */
export function prefixOfSecret(secret: string): string {
  return secret.slice(0, Math.min(PREFIX_SECRET_CHARS, Math.floor(secret.length / 3)));
}

/** The marks services use in a masked form (`…a1b2c3d4`, `MzUxM...wZTI=`, `sk-****abcd`): shown, never counted. */
const MASK = /^(?:…|\.{3}|\*+)/;

/**
 * What may be shown of a stored prefix or a service's masked form: at most PREFIX_SECRET_CHARS characters of the
 * secret, with the service's mask marks kept (Gitea's `…a1b2c3d4` is shown whole: eight characters of secret).
 */
export function visiblePrefix(prefix: string): string {
  let out = '';
  let shown = 0;
  for (let rest = prefix; rest.length > 0 && shown < PREFIX_SECRET_CHARS; ) {
    const mask = MASK.exec(rest)?.[0];
    const take = mask ?? String.fromCodePoint(rest.codePointAt(0) ?? 0);
    if (!mask) shown++;
    out += take;
    rest = rest.slice(take.length);
  }
  return out;
}
