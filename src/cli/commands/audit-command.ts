import type { CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import { printJson, printTable, say } from '../output';
import { resolveTokenRef } from '../token-ref';
import type { AuditCheck } from '../../main/vault';

const PROBLEM_WORDS: Record<Extract<AuditCheck, { ok: false }>['problem'], string> = {
  changed: 'was changed',
  missing: 'is missing (deleted, or the newest entries were cut off)',
  extra: 'is not one Token Vault wrote',
};

export const auditCommand: CliCommand = {
  summary: 'Show the audit log, newest first (of one token with W/N or its id).',
  usage: 'audit [W/N|ID] [--limit 100] | audit --verify',
  options: { limit: { type: 'string' }, verify: { type: 'boolean' } },
  positionals: [0, 1],
  stdinValues: { positionals: true },
  async run(ctx, { values, positionals }) {
    if (values['verify'] === true) {
      // Exit 1 when the chain is broken: a script can run it on a schedule.
      return withVault(ctx, (vault) => {
        const check = vault.audit.verify();
        if (ctx.json) printJson(ctx, check);
        else if (check.ok) say(ctx.stdout, `The audit log is intact: ${check.entries} entries, each chained to the one before.`);
        else say(ctx.stderr, `The audit log was changed outside Token Vault: entry #${check.brokenAt} ${PROBLEM_WORDS[check.problem]}.`);
        return check.ok ? 0 : 1;
      });
    }
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
