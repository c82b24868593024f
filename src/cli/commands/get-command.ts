import { AppFailure } from '../../main/errors';
import { resolveToken } from '../../main/use-cases/token-lookup';
import type { CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import { printJson } from '../output';

export const getCommand: CliCommand = {
  summary: 'Print a token\'s secret alone on stdout (audited).',
  usage: 'get W/N|ID',
  positionals: [1, 1],
  async run(ctx, { positionals }) {
    await withVault(ctx, (vault) => {
      const token = resolveToken(vault, positionals[0] ?? '');
      const secret = vault.tokens.readSecret(token.id, { action: 'revealed', actor: 'cli' });
      if (secret === null) throw new AppFailure('secret-not-stored', 'The vault holds no secret for this token.');
      if (ctx.json) printJson(ctx, { id: token.id, secret });
      else ctx.stdout.write(process.stdout.isTTY ? `${secret}\n` : secret);
    });
  },
};

export const removeCommand: CliCommand = {
  summary: 'Remove a token from the vault (not from the remote service).',
  usage: 'remove W/N|ID',
  positionals: [1, 1],
  async run(ctx, { positionals }) {
    await withVault(ctx, (vault) => {
      const token = resolveToken(vault, positionals[0] ?? '');
      vault.tokens.remove(token.id, { actor: 'cli' });
      if (ctx.json) printJson(ctx, { id: token.id, removed: true });
      else ctx.stdout.write(`Removed ${token.name} (${token.id}).\n`);
    });
  },
};
