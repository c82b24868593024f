/**
 * The one rule for a token's prefix: what Token Vault stores of a fresh secret's start, and what the window and the
 * clipboard may show of it. Pure and dependency-free: main stores and shows it, the renderer only displays it.
 */

/** At most this many characters of a secret are ever shown, as the services' own token pages do. */
export const PREFIX_SECRET_CHARS = 8;

/** A kind marker a service puts in front of its secrets: `glpat-`, `sk-admin-`, `hvs.`, `glsa_`. */
const KIND_MARKER = /^[a-z]+(?:-[a-z]+)*[-_.]/i;

/** A marker longer than this is not one (it would be part of the secret). */
const MAX_MARKER = 12;

/**
 * The prefix stored with a fresh secret: its kind marker when it has one (shown up to PREFIX_SECRET_CHARS), else its
 * first 4 characters (never more than a third of a short secret, so a prefix never gives most of one away).
 */
export function prefixOfSecret(secret: string): string {
  const marker = KIND_MARKER.exec(secret)?.[0];
  if (marker && marker.length <= MAX_MARKER && marker.length < secret.length / 2) return marker;
  return secret.slice(0, Math.min(4, Math.floor(secret.length / 3)));
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
