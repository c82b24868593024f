import { AppFailure } from '../../main/errors';
import { createKeytarKeychain, Vault } from '../../main/vault';
import { UsageError, type CliCommand } from '../cli-command';
import { promptHidden } from '../input';
import { printJson, say } from '../output';
import { passwordFromEnv } from '../cli-env';

export const initCommand: CliCommand = {
  summary: 'Create a new vault: a master password (TOKEN_VAULT_PASSWORD or a prompt); --keychain adds OS keychain unlock.',
  usage: 'init [--keychain | --keychain-only]',
  details: [
    '--keychain       the master password, and unlock through the OS keychain too (no prompt while the keychain answers).',
    '--keychain-only  unlock through the OS keychain alone, no master password (set one later with `token-vault passwd`).',
  ],
  options: { keychain: { type: 'boolean' }, 'keychain-only': { type: 'boolean' } },
  async run(ctx, { values }) {
    const keychainOnly = values['keychain-only'] === true;
    if (keychainOnly && values['keychain'] === true) throw new UsageError('Give --keychain (password and keychain) or --keychain-only, not both.');
    const useKeychain = keychainOnly || values['keychain'] === true;
    let password: string | undefined;
    if (!keychainOnly) {
      password = passwordFromEnv(ctx.env, 'TOKEN_VAULT_PASSWORD');
      if (!password) {
        password = await promptHidden(ctx, 'New master password: ');
        if ((await promptHidden(ctx, 'Repeat it: ')) !== password)
          throw new AppFailure('invalid-argument', 'The two passwords differ. Nothing was created.');
      }
    }
    const vault = await Vault.create(ctx.vaultPath, { useKeychain, keychain: createKeytarKeychain(), ...(password ? { password } : {}) });
    const methods = vault.keys.methods();
    vault.close();
    if (ctx.json) return printJson(ctx, { path: ctx.vaultPath, passwordUnlock: methods.password, keychainUnlock: methods.keychain });
    const how = methods.keychain
      ? methods.password
        ? ' It unlocks through the OS keychain, and with the master password where the keychain does not answer.'
        : ' It unlocks through the OS keychain alone.'
      : '';
    say(ctx.stdout, `Created a vault at ${ctx.vaultPath}.${how}`);
  },
};
