import { AppFailure } from '../../main/errors';
import type { CliCommand } from '../cli-command';
import { promptHidden } from '../input';
import { withVault } from '../open-vault';
import { printJson, say } from '../output';

export const passwdCommand: CliCommand = {
  summary: 'Change the master password (new one from TOKEN_VAULT_NEW_PASSWORD or a prompt).',
  usage: 'passwd',
  async run(ctx) {
    await withVault(ctx, async (vault) => {
      let next = ctx.env['TOKEN_VAULT_NEW_PASSWORD'] || '';
      if (!next) {
        next = await promptHidden(ctx, 'New master password: ');
        if ((await promptHidden(ctx, 'Repeat it: ')) !== next)
          throw new AppFailure('invalid-argument', 'The two passwords differ. The password was not changed.');
      }
      await vault.keys.changePassword(next);
      if (ctx.json) printJson(ctx, { changed: true });
      else say(ctx.stdout, 'The master password was changed.');
    });
  },
};
