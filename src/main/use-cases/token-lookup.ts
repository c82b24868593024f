import { AppFailure } from '../errors';
import type { TokenSummary, Vault, Workspace } from '../vault';

// Finding a workspace or a token by what a person types. Vault-only and light (no providers, no zod), so the
// command line's fastest commands can use it.

/** A workspace by name (exact, else case-insensitive) or by id. */
export function resolveWorkspace(vault: Vault, nameOrId: string): Workspace {
  const found = vault.workspaces.findByName(nameOrId) ?? vault.workspaces.find(nameOrId);
  if (!found) throw new AppFailure('not-found', `No workspace named "${nameOrId}".`);
  return found;
}

/** A token by id, or by `WORKSPACE/NAME`. */
export function resolveToken(vault: Vault, ref: string): TokenSummary {
  const byId = vault.tokens.find(ref);
  if (byId) return byId;
  const slash = ref.indexOf('/');
  if (slash <= 0) throw new AppFailure('not-found', `No token with id "${ref}". Name it WORKSPACE/NAME or by its id.`);
  const ws = resolveWorkspace(vault, ref.slice(0, slash));
  const matches = vault.tokens.findByName(ws.id, ref.slice(slash + 1));
  if (matches.length === 0) throw new AppFailure('not-found', `No token "${ref.slice(slash + 1)}" in workspace "${ws.name}".`);
  if (matches.length > 1)
    throw new AppFailure('invalid-argument', `"${ref}" names ${matches.length} tokens; use an id: ${matches.map((m) => m.id).join(', ')}`);
  return matches[0] as TokenSummary;
}
