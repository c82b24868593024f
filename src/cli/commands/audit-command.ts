import { resolveToken } from '../../main/use-cases/token-lookup';
import type { CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import { printJson, printTable } from '../output';

export const auditCommand: CliCommand = {
  summary: 'Show the audit log, newest first (of one token with W/N).',
  usage: 'audit [W/N|ID] [--limit 100]',
  options: { limit: { type: 'string' } },
  positionals: [0, 1],
  stdinValues: { positionals: true },
  async run(ctx, { values, positionals }) {
    const limit = typeof values['limit'] === 'string' ? Math.max(1, Number(values['limit']) || 100) : 100;
    await withVault(ctx, (vault) => {
      const token = positionals[0] ? resolveToken(vault, positionals[0]) : undefined;
      const entries = vault.audit.list({ ...(token ? { tokenId: token.id } : {}), limit });
      if (ctx.json) return printJson(ctx, entries);
      const names = new Map(vault.tokens.list().map((t) => [t.id, t.name]));
      printTable(
        ctx,
        ['AT', 'ACTION', 'TOKEN', 'ACTOR', 'DETAIL'],
        entries.map((e) => [e.at, e.action, e.tokenId ? (names.get(e.tokenId) ?? e.tokenId) : null, e.actor, e.detail]),
      );
    });
  },
};
