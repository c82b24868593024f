import { prefixOfSecret } from '../../shared/token-prefix';
import { assertNameFree } from '../../main/use-cases/tokens/token-operations';
import { UsageError, type CliCommand } from '../cli-command';
import { parseDays, parseExpires, readSecretInput } from '../input';
import { withVault } from '../open-vault';
import { printJson, say, tokenJson } from '../output';

export const addCommand: CliCommand = {
  summary: 'Store a token; the secret comes on stdin. A new workspace name creates a manual workspace.',
  usage: 'add --workspace W --name N [--expires 7d|30d|90d|YYYY-MM-DD|never] [--rotate-every 90d] [--description D]',
  details: [
    'The secret: piped on stdin (`printf %s "$TOKEN" | token-vault add ...`), or typed at a hidden prompt. Spaces and',
    'line breaks around it are removed (and said so). A workspace holds one token of each name.',
  ],
  options: {
    workspace: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string' },
    'rotate-every': { type: 'string' },
    description: { type: 'string' },
  },
  stdinValues: { options: ['workspace', 'name', 'description'] },
  async run(ctx, { values }) {
    const wsName = values['workspace'];
    const name = values['name'];
    if (typeof wsName !== 'string' || wsName.trim() === '') throw new UsageError('--workspace W is required.');
    if (typeof name !== 'string' || name.trim() === '') throw new UsageError('--name N is required.');
    if (name.includes('/')) throw new UsageError('A token name cannot contain "/".');
    const expiresAt = typeof values['expires'] === 'string' ? parseExpires(values['expires']) : null;
    const rotate = typeof values['rotate-every'] === 'string' ? parseDays(values['rotate-every'], '--rotate-every') : null;
    const description = typeof values['description'] === 'string' ? values['description'] : null;
    const secret = await readSecretInput(ctx);
    await withVault(ctx, (vault) => {
      const ws = vault.workspaces.findByName(wsName) ?? vault.workspaces.create({ kind: 'manual', name: wsName });
      assertNameFree(vault, ws.id, name);
      const token = vault.tokens.storeIssued(
        {
          workspaceId: ws.id,
          name,
          description,
          secret,
          prefix: prefixOfSecret(secret),
          expiresAt,
          rotationPolicy: rotate === null ? null : { rotateEveryDays: rotate, basis: 'last-rotation' },
        },
        'cli',
      );
      if (ctx.json) printJson(ctx, tokenJson(token, [ws]));
      else say(ctx.stdout, `Added ${ws.name}/${token.name} (${token.id}).`);
    });
  },
};
