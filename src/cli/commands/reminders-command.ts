import type { TokenReminder } from '../../shared/ipc/reminders-channels';
import { ReminderService } from '../../main/use-cases/reminder-service';
import { RotationService } from '../../main/use-cases/rotation/rotation-service';
import type { Vault } from '../../main/vault';
import type { CliCommand } from '../cli-command';
import { reportJson, reportMessage } from '../cli-words';
import { openVault } from '../open-vault';
import { printJson, printTable, say } from '../output';
import { tokenRef } from '../token-ref';

function what(r: TokenReminder): string {
  const e = r.expiry;
  switch (r.reason) {
    case null:
      return '';
    case 'expired':
      return e.kind === 'expired' && e.daysAgo !== null ? `expired ${e.daysAgo === 0 ? 'today' : `${e.daysAgo}d ago`}` : 'expired';
    case 'expiring':
      return e.kind === 'warning' ? (e.daysLeft <= 0 ? 'expires today' : `expires in ${e.daysLeft}d`) : 'expiring';
    case 'rotation-due':
      return r.rotation.kind === 'due' ? (r.rotation.overdueDays === 0 ? 'rotation due today' : `rotation ${r.rotation.overdueDays}d overdue`) : 'rotation due';
    case 'member-removed':
      return 'member removed: rotate it';
    case 'two-secrets':
      return 'two secrets: pick one';
  }
}

/**
 * `reminders [--json]`: expired and expiring tokens and rotations due, most urgent first. The counts come from clear
 * columns, so this works on a locked vault; with TOKEN_VAULT_PASSWORD set it unlocks to show names.
 */
export const remindersCommand: CliCommand = {
  summary: 'Tokens that need attention: expired, member removed, two secrets, expiring soon, rotation due (most urgent first).',
  usage: 'reminders [--json]',
  async run(ctx) {
    const vault: Vault = await openVault(ctx, { unlock: false });
    try {
      const password = ctx.env['TOKEN_VAULT_PASSWORD'];
      if (password) await vault.keys.unlockWithPassword(password);
      const tz = ctx.env['TOKEN_VAULT_TZ'];
      const summary = new ReminderService({ vault: () => vault, ...(tz ? { timeZone: tz } : {}) }).summary();
      const names = (r: TokenReminder) => {
        if (!vault.isUnlocked) return { name: null, workspace: null };
        const t = vault.tokens.find(r.tokenId);
        return { name: t?.name ?? null, workspace: vault.workspaces.find(r.workspaceId)?.name ?? null };
      };
      const pending = vault.isUnlocked ? new RotationService({ vault, actor: 'cli' }).listPending() : [];
      if (ctx.json) {
        // byWorkspace stays keyed by workspace id (scripts read it); byWorkspaceName keys the same counts by name
        // (null while locked: names are sealed).
        const byWorkspaceName = vault.isUnlocked
          ? Object.fromEntries(Object.entries(summary.byWorkspace).map(([id, counts]) => [vault.workspaces.find(id)?.name ?? id, counts]))
          : null;
        printJson(ctx, {
          ...summary,
          byWorkspaceName,
          due: summary.due.map((r) => ({ ...r, ...names(r) })),
          locked: !vault.isUnlocked,
          rotations: pending.map((p) => reportJson(p, tokenRef(vault, p.tokenId))),
        });
        return;
      }
      const c = summary.counts;
      say(
        ctx.stdout,
        c.total === 0
          ? `Nothing needs attention${c.snoozed ? ` (${c.snoozed} snoozed)` : ''}: no token is expired, expiring or due for rotation. Time zone ${summary.timeZone}, today ${summary.today}.`
          : `${c.total} need attention: ${c.expired} expired, ${c.expiring} expiring, ${c.rotationDue} rotation due` +
              `${c.memberRemoved ? `, ${c.memberRemoved} member removed` : ''}${c.twoSecrets ? `, ${c.twoSecrets} with two secrets` : ''}` +
              `${c.snoozed ? ` (${c.snoozed} snoozed)` : ''}. Time zone ${summary.timeZone}, today ${summary.today}.`,
      );
      if (summary.due.length > 0) {
        printTable(
          ctx,
          ['TOKEN', 'WHAT', 'DEADLINE'],
          summary.due.map((r) => {
            const n = names(r);
            return [n.name ? `${n.workspace ?? '?'}/${n.name}` : r.tokenId, what(r), r.deadline?.slice(0, 16).replace('T', ' ') ?? null];
          }),
        );
      }
      if (!vault.isUnlocked) say(ctx.stdout, 'The vault is locked: ids shown instead of names (set TOKEN_VAULT_PASSWORD to see names).');
      for (const p of pending) say(ctx.stdout, `Unfinished rotation of ${tokenRef(vault, p.tokenId) ?? p.tokenId}: ${reportMessage(p)}`);
    } finally {
      vault.close();
    }
  },
};
