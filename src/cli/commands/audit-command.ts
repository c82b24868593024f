import type { CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import {printJson, printTable, say} from '../output';
import { resolveTokenRef } from '../token-ref';

export const auditCommand: CliCommand = {
  summary: 'Show the audit log, newest first (of one token with W/N or its id).',
  usage: 'audit [W/N|ID] [--limit 100]',
  options: { limit: { type: 'string' } },
  positionals: [0, 1],
  async run(ctx, { values, positionals }) {
    const limit = typeof values['limit'] === 'string' ? Math.max(1, Number(values['limit']) || 100) : 100;
    await withVault(ctx, (vault) => {
      const token = positionals[0] ? resolveTokenRef(vault, positionals[0]) : undefined;
      const entries = vault.audit.list({ ...(token ? { tokenId: token.id } : {}), limit });
      const names = new Map(vault.tokens.list().map((t) => [t.id, t.name]));
      const wsName = (id: string | null) => (id === null ? null : (vault.workspaces.find(id)?.name ?? null));
      // `token` and `workspace` name what tokenId and workspaceId point at (null once it is gone).
      if (ctx.json) return printJson(ctx, entries.map((e) => ({ ...e, token: e.tokenId ? (names.get(e.tokenId) ?? null) : null, workspace: wsName(e.workspaceId) })));
      if (entries.length === 0) return say(ctx.stderr, token ? 'Nothing recorded for this token yet.' : 'The audit log is empty.');
      printTable(
        ctx,
        ['AT', 'ACTION', { header: 'TOKEN', shrink: { min: 12 } }, 'ACTOR', { header: 'DETAIL', shrink: { min: 10 } }],
        entries.map((e) => [e.at, e.action, e.tokenId ? (names.get(e.tokenId) ?? e.tokenId) : null, e.actor, e.detail]),
      );
    });
  },
};
