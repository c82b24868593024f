import { looksLikeReference } from '../../main/use-cases/references/secret-reference';
import type { CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import { resolveTokenRef } from '../token-ref';
import { revealSecret, tokenOfReference } from './read-command';

export const getCommand: CliCommand = {
  summary: 'Print a token\'s secret alone on stdout (audited).',
  usage: 'get W/N|ID|tv://W/N',
  positionals: [1, 1],
  stdinValues: { positionals: true },
  async run(ctx, { positionals }) {
    const ref = positionals[0] ?? '';
    await withVault(ctx, (vault) => revealSecret(ctx, vault, looksLikeReference(ref) ? tokenOfReference(vault, ref).id : resolveTokenRef(vault, ref).id));
  },
};
