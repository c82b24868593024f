import { AppFailure } from '../main/errors';
import type { Vault } from '../main/vault';
import type { CliContext } from './cli-command';

export { resolveVaultPath } from './vault-path';

/**
 * Opens the vault at the global path; `unlock` (default) unlocks it with TOKEN_VAULT_PASSWORD, else the OS keychain
 * when the vault has a keychain slot, else a password prompt. The caller closes it.
 */
export async function openVault(ctx: CliContext, options: { unlock?: boolean } = {}): Promise<Vault> {
  const envPassword = ctx.env['TOKEN_VAULT_PASSWORD'];
  // A vault that will unlock through the keychain: the keychain is asked now (a D-Bus session to the Secret Service,
  // ~15 ms spent waiting) for the slot's entry and whether it answers at all, and both answers come in while the
  // vault's code loads, instead of after it.
  const { createKeytarKeychain, keychainSlotHint } = await import('../main/vault/keychain');
  const keychain = createKeytarKeychain();
  const hint = options.unlock !== false && !envPassword ? keychainSlotHint(ctx.vaultPath) : null;
  if (hint?.account) {
    keychain.prefetch?.(hint.account);
    // One turn of the event loop sends the read's first bytes (the connection completes in it): the Secret Service
    // answers them while the vault's code loads, which gives the loop no turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (hint) void keychain.isAvailable();
  // Loaded here, not at the top: a command module then costs nothing to load until it opens the vault (its help, its
  // usage errors), and the vault, SQLite and zod load once, when a command needs them.
  const [{ Vault }, { purgeExpiredTrash }] = await Promise.all([import('../main/vault'), import('../main/use-cases/trash-purge')]);
  let vault: Vault | undefined;
  try {
    vault = Vault.open(ctx.vaultPath, { keychain });
    if (options.unlock === false) return vault;
    const methods = vault.keys.methods();
    if (envPassword) await vault.keys.unlockWithPassword(envPassword);
    else if (methods.keychain && (await keychain.isAvailable())) await vault.keys.unlockWithKeychain();
    // A keychain-only vault has no master password to ask for: asking would only hide why it does not open.
    else if (!methods.password)
      throw new AppFailure('keychain-unavailable', 'This vault unlocks through the OS keychain alone, and no keychain answered here (no Secret Service, or no D-Bus session).');
    else await vault.keys.unlockWithPassword(await (await import('./input')).promptHidden(ctx, 'Master password: '));
    purgeExpiredTrash(vault, new Date(), 'cli');
    return vault;
  } catch (error) {
    vault?.close();
    // The keychain read asked for ahead, when this failed first, would keep the process until its bus answered.
    keychain.cancel?.();
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
