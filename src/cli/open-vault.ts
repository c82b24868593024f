import { join } from 'node:path';
import { createKeytarKeychain, defaultUserDataDir, Vault, VAULT_FILE_NAME } from '../main/vault';
import { purgeExpiredTrash } from '../main/use-cases/trash-purge';
import { promptHidden } from './input';
import { UsageError, type CliContext } from './cli-command';

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

/**
 * Opens the vault at the global path; `unlock` (default) unlocks it with TOKEN_VAULT_PASSWORD, else the OS keychain
 * when the vault has a keychain slot, else a password prompt. The caller closes it.
 */
export async function openVault(ctx: CliContext, options: { unlock?: boolean } = {}): Promise<Vault> {
  const keychain = createKeytarKeychain();
  const vault = Vault.open(ctx.vaultPath, { keychain });
  if (options.unlock === false) return vault;
  try {
    const envPassword = ctx.env['TOKEN_VAULT_PASSWORD'];
    const methods = vault.keys.methods();
    if (envPassword) await vault.keys.unlockWithPassword(envPassword);
    else if (methods.keychain && (await keychain.isAvailable())) await vault.keys.unlockWithKeychain();
    else await vault.keys.unlockWithPassword(await promptHidden(ctx, 'Master password: '));
    purgeExpiredTrash(vault, new Date(), 'cli');
    return vault;
  } catch (error) {
    vault.close();
    throw error;
  }
}

/** Opens (and unlocks) the vault, runs `fn`, and always closes it. */
export async function withVault<T>(ctx: CliContext, fn: (vault: Vault) => Promise<T> | T, options?: { unlock?: boolean }): Promise<T> {
  const vault = await openVault(ctx, options);
  try {
    return await fn(vault);
  } finally {
    vault.close();
  }
}
