import { looksLikeReference } from '../../main/use-cases/references/secret-reference';
import type { CliCommand } from '../cli-command';
import { checkConfirmable, confirmed, YES_OPTION } from '../input';
import { withVault } from '../open-vault';
import {printJson, say} from '../output';
import { resolveTokenRef } from '../token-ref';
import { printSecret, tokenOfReference } from './read-command';

export const getCommand: CliCommand = {
  summary: 'Print a token\'s secret alone on stdout (audited).',
  usage: 'get W/N|ID|tv://W/N',
  positionals: [1, 1],
  async run(ctx, { positionals }) {
    const ref = positionals[0] ?? '';
    await withVault(ctx, (vault) => printSecret(ctx, vault, looksLikeReference(ref) ? tokenOfReference(vault, ref).id : resolveTokenRef(vault, ref).id));
  },
};

export const removeCommand: CliCommand = {
  summary: 'Remove a token from the vault (not from the remote service).',
  usage: 'remove W/N|ID [--yes]',
  details: ['On a terminal it asks first; --yes (-y) goes ahead without asking, as scripts must.'],
  options: YES_OPTION,
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    checkConfirmable(values, 'Removing a token');
    return withVault(ctx, async (vault) => {
      const token = resolveTokenRef(vault, positionals[0] ?? '');
      const ref = `${vault.workspaces.get(token.workspaceId).name}/${token.name}`;
      if (!(await confirmed(ctx, values, `Remove ${ref} from the vault${token.hasSecret ? ', with its secret' : ''}?`))) {
        say(ctx.stderr, 'Cancelled: nothing was removed.');
        return 1;
      }
      vault.tokens.remove(token.id, { actor: 'cli' });
      if (ctx.json) printJson(ctx, { id: token.id, removed: true });
      else say(ctx.stdout, `Removed ${token.name} (${token.id}).`);
      return 0;
    });
  },
};
