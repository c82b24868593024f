import { join } from 'node:path';
// The leaf, not the vault's index: every start resolves the path, and the index would bring the vault, SQLite and zod.
import { defaultUserDataDir, VAULT_FILE_NAME } from '../main/vault-location';
import { UsageError } from './cli-command';

/**
 * --vault PATH, else TOKEN_VAULT_PATH, else the app's own vault. An empty one is a mistake (an unset variable in a
 * script), never a reason to fall back to the user's own vault.
 */
export function resolveVaultPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined) {
    if (explicit.trim() === '') throw new UsageError('--vault needs a path; it was given an empty one.');
    return explicit;
  }
  const fromEnv = env['TOKEN_VAULT_PATH'];
  if (fromEnv !== undefined) {
    if (fromEnv.trim() === '') throw new UsageError('TOKEN_VAULT_PATH is set but empty: give it a path, or unset it to use the app\'s own vault.');
    return fromEnv;
  }
  return join(defaultUserDataDir(env), VAULT_FILE_NAME);
}
