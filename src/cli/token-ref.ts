import { AppFailure } from '../main/errors';
import { resolveToken } from '../main/use-cases/token-lookup';
import type { TokenSummary, Vault } from '../main/vault';

// How a person names a token on the command line: WORKSPACE/NAME, its id, or the start of its id as `list` shows it
// (shortened as git shortens hashes: at least 7 characters, longer where two ids would share that start).

/** The shortest start of an id `list` shows. */
export const SHORT_ID_MIN = 7;
/** The shortest start of an id the command line accepts for a token (git takes 4 too). */
export const ID_PREFIX_MIN = 4;

/** Each id's shortest start (at least SHORT_ID_MIN) that no other id in `ids` shares. */
export function shortIds(ids: Iterable<string>): Map<string, string> {
  const sorted = [...ids].sort();
  const common = (a: string | undefined, b: string | undefined) => {
    if (a === undefined || b === undefined) return 0;
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };
  const out = new Map<string, string>();
  sorted.forEach((id, i) => {
    const shared = Math.max(common(id, sorted[i - 1]), common(id, sorted[i + 1]));
    out.set(id, id.slice(0, Math.max(SHORT_ID_MIN, shared + 1)));
  });
  return out;
}

const refOf = (vault: Vault, t: TokenSummary) => `${vault.workspaces.find(t.workspaceId)?.name ?? '?'}/${t.name}`;

/** WORKSPACE/NAME of a token id, or null when the vault is locked or holds no such token. */
export function tokenRef(vault: Vault, id: string | null): string | null {
  if (id === null || !vault.isUnlocked) return null;
  const t = vault.tokens.find(id);
  return t ? refOf(vault, t) : null;
}

/**
 * The token `ref` names: WORKSPACE/NAME (it has a slash; ids never do), else its whole id, else the one token whose id
 * starts with `ref`. Two ids sharing that start are refused, listing both, never guessed.
 */
export function resolveTokenRef(vault: Vault, ref: string): TokenSummary {
  if (ref.includes('/')) return resolveToken(vault, ref);
  const exact = vault.tokens.find(ref);
  if (exact) return exact;
  const ids = vault.tokens.ids();
  const starts = ref.length >= ID_PREFIX_MIN ? ids.filter((id) => id.startsWith(ref)) : [];
  if (starts.length === 1) return vault.tokens.get(starts[0] as string);
  if (starts.length > 1) {
    const shown = shortIds(ids);
    const names = starts.slice(0, 10).map((id) => `${shown.get(id) ?? id} ${refOf(vault, vault.tokens.get(id))}`);
    throw new AppFailure(
      'invalid-argument',
      `"${ref}" starts ${starts.length} token ids: ${names.join(', ')}${starts.length > 10 ? ', ...' : ''}. Give more of the id, or WORKSPACE/NAME.`,
    );
  }
  const named = vault.tokens.list().filter((t) => t.name === ref);
  const hint = named.length > 0 ? ` Did you mean ${named.slice(0, 3).map((t) => refOf(vault, t)).join(' or ')}?` : ' Name it WORKSPACE/NAME or by its id.';
  const what = ref.length < ID_PREFIX_MIN ? `"${ref}" is too short for an id (at least ${ID_PREFIX_MIN} characters).` : `No token with an id starting "${ref}".`;
  throw new AppFailure('not-found', `${what}${hint}`);
}
