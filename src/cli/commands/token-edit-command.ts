import { editToken, type TokenEdit } from '../../main/use-cases/tokens/token-operations';
import { UsageError, type CliCommand } from '../cli-command';
import { parseDays, parseExpires } from '../input';
import { withVault } from '../open-vault';
import { printJson, say, tokenJson } from '../output';
import { resolveTokenRef, tokenRef } from '../token-ref';

export const tokenEditCommand: CliCommand = {
  summary: "Change a token's name, description, expiry or rotation policy.",
  usage: 'token edit W/N|ID [--name N] [--description D] [--expires 30d|YYYY-MM-DD|never] [--rotate-every 90d|never]',
  details: [
    '--description "" clears it; --rotate-every never drops the token\'s own policy (the workspace\'s applies).',
    '--expires: manual tokens change in the vault; Cloudflare changes it at the service; other services cannot',
    'change an issued token\'s expiry (rotate it, or create a new token, for a new lifetime).',
  ],
  options: { name: { type: 'string' }, description: { type: 'string' }, expires: { type: 'string' }, 'rotate-every': { type: 'string' } },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    const patch: TokenEdit = {};
    const name = values['name'];
    if (typeof name === 'string') {
      if (name.trim() === '') throw new UsageError('--name cannot be empty.');
      if (name.includes('/')) throw new UsageError('A token name cannot contain "/".');
      patch.name = name.trim();
    }
    if (typeof values['description'] === 'string') patch.description = values['description'] === '' ? null : values['description'];
    if (typeof values['expires'] === 'string') patch.expiresAt = parseExpires(values['expires']);
    const every = values['rotate-every'];
    if (typeof every === 'string')
      patch.rotationPolicy = every === 'never' ? null : { rotateEveryDays: parseDays(every, '--rotate-every'), basis: 'last-rotation' };
    if (Object.keys(patch).length === 0) throw new UsageError('Say what to change: --name, --description, --expires or --rotate-every.');
    await withVault(ctx, async (vault) => {
      const token = resolveTokenRef(vault, positionals[0] ?? '');
      const after = await editToken(vault, token.id, patch, { actor: 'cli' });
      if (ctx.json) printJson(ctx, tokenJson(after, vault.workspaces.list()));
      else say(ctx.stdout, `Changed ${tokenRef(vault, after.id) ?? after.id}.`);
    });
  },
};
