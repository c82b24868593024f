import { AppFailure } from '../main/errors';
import type { TrashEntry } from '../main/vault';
import { ID_PREFIX_MIN, shortIds } from './token-ref';

// How a person names something in the trash: WORKSPACE/NAME for a token, the workspace's name for a workspace, the
// entry's id (or its start, as `trash list` shows it), or the id the token or workspace had before it was deleted.

/** What `trash list` and the messages call an entry: WORKSPACE/NAME for a token, the name for a workspace. */
export const trashRefOf = (e: TrashEntry): string => (e.kind === 'token' ? `${e.workspaceName}/${e.name}` : e.name);

/**
 * The one entry `ref` names. Two entries with that name (a token deleted twice) are refused, listing their ids, never
 * guessed; so are two ids sharing the start given.
 */
export function resolveTrashRef(entries: readonly TrashEntry[], ref: string): TrashEntry {
  const short = shortIds(entries.map((e) => e.id));
  const many = (found: readonly TrashEntry[], what: string) =>
    new AppFailure(
      'invalid-argument',
      `${what} ${found.length} items in the trash: ${found
        .slice(0, 10)
        .map((e) => `${short.get(e.id) ?? e.id} (${trashRefOf(e)}, deleted ${e.deletedAt.slice(0, 16).replace('T', ' ')} UTC)`)
        .join(', ')}. Name one by its id.`,
    );
  const pick = (found: readonly TrashEntry[], what: string): TrashEntry | undefined => {
    if (found.length > 1) throw many(found, what);
    return found[0];
  };
  const named = ref.includes('/')
    ? entries.filter((e) => e.kind === 'token' && trashRefOf(e) === ref)
    : entries.filter((e) => e.kind === 'workspace' && e.name === ref);
  const byName = pick(named, `"${ref}" names`);
  if (byName) return byName;
  const exact = entries.find((e) => e.id === ref || e.originalId === ref);
  if (exact) return exact;
  if (ref.length >= ID_PREFIX_MIN) {
    const starts = entries.filter((e) => e.id.startsWith(ref) || e.originalId.startsWith(ref));
    const found = pick(starts, `"${ref}" starts the ids of`);
    if (found) return found;
  }
  throw new AppFailure('not-found', `Nothing in the trash is "${ref}". \`token-vault trash\` lists what is there.`);
}
