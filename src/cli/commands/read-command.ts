import { AppFailure } from '../../main/errors';
import { resolveReference } from '../../main/use-cases/references/reference-resolver';
import { looksLikeReference } from '../../main/use-cases/references/secret-reference';
import type { Vault } from '../../main/vault';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { withVault } from '../open-vault';
import { printJson, printSecret } from '../output';
import { referenceFailure } from '../reference-words';

/** The token a `tv://W/N` reference names, or the failure the user sees. */
export function tokenOfReference(vault: Vault, text: string): { id: string; name: string } {
  const r = resolveReference(vault, text);
  if (!r.ok) throw referenceFailure(text, r);
  return r.token;
}

/** The secret alone on stdout (a newline only for a terminal), audited as a reveal. */
export function revealSecret(ctx: CliContext, vault: Vault, id: string, detail?: string): void {
  const secret = vault.tokens.readSecret(id, { action: 'revealed', actor: 'cli', ...(detail ? { detail } : {}) });
  if (secret === null) throw new AppFailure('secret-not-stored', 'The vault holds no secret for this token.');
  if (ctx.json) printJson(ctx, { id, secret });
  else printSecret(ctx.stdout, secret, { newline: false });
}

export const readCommand: CliCommand = {
  summary: 'Print the secret of a reference tv://W/N alone on stdout (audited); a "/" in a name is written %2F.',
  usage: 'read tv://W/N',
  positionals: [1, 1],
  async run(ctx, { positionals }) {
    const text = positionals[0] ?? '';
    if (!looksLikeReference(text)) throw new UsageError(`read takes a reference like tv://WORKSPACE/TOKEN, not "${text}".`);
    await withVault(ctx, (vault) => revealSecret(ctx, vault, tokenOfReference(vault, text).id, 'read'));
  },
};
