import { AppFailure } from '../../main/errors';
import { createKeytarKeychain, Vault } from '../../main/vault';
import type { CliCommand } from '../cli-command';
import { promptHidden } from '../input';
import { printJson, say } from '../output';
import { passwordFromEnv } from '../cli-env';

export const initCommand: CliCommand = {
  summary: 'Create a new vault (master password from TOKEN_VAULT_PASSWORD or a prompt; --keychain adds OS keychain unlock).',
  usage: 'init [--keychain]',
  options: { keychain: { type: 'boolean' } },
  async run(ctx, { values }) {
    const useKeychain = values['keychain'] === true;
    let password = passwordFromEnv(ctx.env, 'TOKEN_VAULT_PASSWORD');
    if (!password && !useKeychain) {
      password = await promptHidden(ctx, 'New master password: ');
      if ((await promptHidden(ctx, 'Repeat it: ')) !== password)
        throw new AppFailure('invalid-argument', 'The two passwords differ. Nothing was created.');
    }
    const vault = await Vault.create(ctx.vaultPath, {
      useKeychain,
      keychain: createKeytarKeychain(),
      ...(password ? { password } : {}),
    });
    const methods = vault.keys.methods();
    vault.close();
    if (ctx.json) printJson(ctx, { path: ctx.vaultPath, passwordUnlock: methods.password, keychainUnlock: methods.keychain });
    else say(ctx.stdout, `Created a vault at ${ctx.vaultPath}${methods.keychain ? ' (unlocks through the OS keychain)' : ''}.`);
  },
};
