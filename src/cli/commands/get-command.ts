import { looksLikeReference } from '../../main/use-cases/references/secret-reference';
import { resolveToken } from '../../main/use-cases/token-lookup';
import type { CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import { printJson, say } from '../output';
import { revealSecret, tokenOfReference } from './read-command';

export const getCommand: CliCommand = {
  summary: 'Print a token\'s secret alone on stdout (audited).',
  usage: 'get W/N|ID|tv://W/N',
  positionals: [1, 1],
  stdinValues: { positionals: true },
  async run(ctx, { positionals }) {
    const ref = positionals[0] ?? '';
    await withVault(ctx, (vault) => revealSecret(ctx, vault, looksLikeReference(ref) ? tokenOfReference(vault, ref).id : resolveToken(vault, ref).id));
  },
};

export const removeCommand: CliCommand = {
  summary: 'Remove a token from the vault (not from the remote service).',
  usage: 'remove W/N|ID',
  positionals: [1, 1],
  stdinValues: { positionals: true },
  async run(ctx, { positionals }) {
    await withVault(ctx, (vault) => {
      const token = resolveToken(vault, positionals[0] ?? '');
      vault.tokens.remove(token.id, { actor: 'cli' });
      if (ctx.json) printJson(ctx, { id: token.id, removed: true });
      else say(ctx.stdout, `Removed ${token.name} (${token.id}).`);
    });
  },
};
