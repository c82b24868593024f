import { resolveToken } from '../../main/use-cases/token-lookup';
import type { CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import { printJson, printTable, say } from '../output';
import type { AuditCheck } from '../../main/vault';

const PROBLEM_WORDS: Record<Extract<AuditCheck, { ok: false }>['problem'], string> = {
  changed: 'was changed',
  missing: 'is missing (deleted, or the newest entries were cut off)',
  extra: 'is not one Token Vault wrote',
};

export const auditCommand: CliCommand = {
  summary: 'Show the audit log, newest first (of one token with W/N).',
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
