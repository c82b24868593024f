import { printJson, printTable, resolveToken, withVault, type CliCommand } from '../cli-command';

export const auditCommand: CliCommand = {
  summary: 'Show the audit log, newest first (of one token with W/N).',
  usage: 'audit [W/N|ID] [--limit 100]',
  options: { limit: { type: 'string' } },
  positionals: [0, 1],
  async run(ctx, { values, positionals }) {
    const limit = typeof values['limit'] === 'string' ? Math.max(1, Number(values['limit']) || 100) : 100;
    await withVault(ctx, (vault) => {
      const token = positionals[0] ? resolveToken(vault, positionals[0]) : undefined;
      const entries = vault.listAudit({ ...(token ? { tokenId: token.id } : {}), limit });
      if (ctx.json) return printJson(ctx, entries);
      const names = new Map(vault.listTokens().map((t) => [t.id, t.name]));
      printTable(
        ctx,
        ['AT', 'ACTION', 'TOKEN', 'ACTOR', 'DETAIL'],
        entries.map((e) => [e.at, e.action, e.tokenId ? (names.get(e.tokenId) ?? e.tokenId) : null, e.actor, e.detail]),
      );
    });
  },
};
