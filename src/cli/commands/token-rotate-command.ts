import { failedTargets } from '../../shared/deployment-targets';
import type { RotationOutcome, RotationReport } from '../../shared/ipc/rotation-channels';
import { AppFailure } from '../../main/errors';
import { ReminderService } from '../../main/use-cases/reminder-service';
import { RotationService } from '../../main/use-cases/rotation/rotation-service';
import { resolveTokenRef, tokenRef } from '../token-ref';
import type { Vault } from '../../main/vault';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { confirmJson, confirmMessage, nextStepWords, outcomeJson, outcomeNotes, reportJson, reportMessage } from '../cli-words';
import { parseDays, parseExpires, readSecretInput } from '../input';
import { withVault } from '../open-vault';
import { printJson, printSecret, say } from '../output';
import { targetResultLine, workspaceNames } from '../target-words';

/**
 * Test hook for the crash tests: TOKEN_VAULT_TEST_CRASH_AT=journal:created (or remote:create, ...) makes the process
 * SIGKILL itself at that point of a rotation, exactly as a power cut would.
 */
function service(ctx: CliContext, vault: Vault): RotationService {
  const crashAt = ctx.env['TOKEN_VAULT_TEST_CRASH_AT'];
  return new RotationService({
    vault,
    actor: 'cli',
    ...(crashAt ? { checkpoint: (point: string) => point === crashAt && process.kill(process.pid, 'SIGKILL') } : {}),
  });
}

function printOutcome(ctx: CliContext, vault: Vault, out: RotationOutcome): void {
  const names = workspaceNames(vault);
  // A pasted secret came from the person at the keyboard: it is never written back (not in --json either).
  const pasted = out.kind === 'awaiting-confirmation' && out.pasted;
  if (ctx.json) {
    const json = outcomeJson(out, names);
    printJson(ctx, pasted ? { ...json, secret: null } : json);
    return;
  }
  say(ctx.stderr, ...outcomeNotes(out, names));
  if (out.kind === 'manual') {
    say(ctx.stdout, out.tokenPageUrl ?? "Open the service's token page");
    say(ctx.stderr, `Then ${nextStepWords(out.next).replace(/^P/, 'p')}`);
    return;
  }
  // The new secret alone on stdout, once; everything else on stderr.
  if (!pasted) printSecret(ctx.stdout, out.secret);
}

export const tokenRotateCommand: CliCommand = {
  summary:
    'Rotate a token now (prints the new secret once), write it to its deployment targets and check it; a new token replaces the old one, revoked on its own once every target holds it (--grace: not before). Otherwise --confirm, once deployed, revokes the old one.',
  usage: 'token rotate W/N|ID [--expires 30d|YYYY-MM-DD|never] [--grace 2d] [--confirm] [--paste]',
  positionals: [1, 1],
  stdinValues: { positionals: true },
  options: { confirm: { type: 'boolean' }, grace: { type: 'string' }, paste: { type: 'boolean' }, expires: { type: 'string' } },
  async run(ctx, { values, positionals }) {
    if (values['grace'] !== undefined && values['paste']) throw new UsageError('--grace goes with a rotation or --confirm, not with --paste.');
    if (values['confirm'] && (values['paste'] || values['expires'] !== undefined)) throw new UsageError('--confirm takes no --paste or --expires.');
    const expiresAt = typeof values['expires'] === 'string' ? parseExpires(values['expires']) : undefined;
    const graceDays = typeof values['grace'] === 'string' ? parseDays(values['grace'], '--grace') : undefined;
    // Read a pasted secret before opening the vault: stdin is data, not a prompt answer.
    const pasted = values['paste'] ? await readSecretInput(ctx, 'New secret: ') : undefined;
    // Returned, so the exit status says when a target or the revoke still needs the user.
    return withVault(ctx, async (vault): Promise<number> => {
      const token = resolveTokenRef(vault, positionals[0] ?? '');
      const rotation = service(ctx, vault);
      if (values['confirm']) {
        const out = await rotation.confirm(token.id, graceDays === undefined ? {} : { graceDays });
        if (ctx.json) printJson(ctx, confirmJson(out));
        else say(ctx.stdout, confirmMessage(out));
        return 0;
      }
      const opts = expiresAt === undefined ? {} : { expiresAt };
      if (pasted !== undefined) {
        const waiting = rotation.listPending().some((p) => p.tokenId === token.id && p.state === 'awaiting-secret');
        if (!waiting) {
          const started = await rotation.rotate(token.id);
          if (started.kind !== 'manual') {
            printOutcome(ctx, vault, started);
            throw new AppFailure('invalid-argument', '--paste is for manual workspaces; this service rotated the token itself (the new secret is above).');
          }
        }
        printOutcome(ctx, vault, await rotation.pasteSecret(token.id, pasted, opts));
        return 0;
      }
      const out = await rotation.rotate(token.id, { ...opts, ...(graceDays === undefined ? {} : { graceDays }) });
      printOutcome(ctx, vault, out);
      // The secret is out and stored either way; a failed target or revoke is still something to mend.
      if (out.kind === 'renewed' && out.deploy && failedTargets(out.deploy).length > 0) return 1;
      if (out.kind === 'replaced' && out.revoke.state === 'failed') return 1;
      if (out.kind === 'awaiting-confirmation' && out.waitingBecause !== 'no-targets' && out.waitingBecause !== 'pasted') return 1;
      return 0;
    });
  },
};

function reportLine(vault: Vault, r: RotationReport): string {
  const t = vault.tokens.find(r.tokenId);
  const ws = t ? vault.workspaces.find(t.workspaceId) : undefined;
  return `${ws ? `${ws.name}/` : ''}${t?.name ?? r.tokenId} [${r.state}, stopped at ${r.step}]: ${reportMessage(r)}`;
}

export const tokenResumeCommand: CliCommand = {
  summary: 'Finish interrupted rotations, or say exactly what is left to do (exit 1 if something needs you).',
  usage: 'token resume',
  async run(ctx) {
    return withVault(ctx, async (vault) => {
      const reports = await service(ctx, vault).resumeAll();
      const names = workspaceNames(vault);
      if (ctx.json) printJson(ctx, reports.map((r) => reportJson(r, tokenRef(vault, r.tokenId))));
      else if (reports.length === 0) say(ctx.stdout, 'No rotation is unfinished.');
      else
        for (const r of reports) {
          say(ctx.stdout, reportLine(vault, r), ...(r.deploy?.targets ?? []).map((t) => `  ${targetResultLine(t, names)}`));
          if (r.secret) say(ctx.stdout, `New secret (shown once): ${r.secret}`);
        }
      return reports.some((r) => r.state === 'needs-attention') ? 1 : 0;
    });
  },
};

export const tokenSnoozeCommand: CliCommand = {
  summary: 'Hide a token\'s reminders for a while (1d, 7d, 2w) or until a date (never past its expiry).',
  usage: 'token snooze W/N|ID --for 7d|2w|YYYY-MM-DD',
  positionals: [1, 1],
  stdinValues: { positionals: true },
  options: { for: { type: 'string' } },
  async run(ctx, { values, positionals }) {
    const spec = values['for'];
    if (typeof spec !== 'string') throw new UsageError('Say how long: --for 1d, 7d, 2w or a date YYYY-MM-DD.');
    await withVault(ctx, (vault) => {
      const token = resolveTokenRef(vault, positionals[0] ?? '');
      const tz = ctx.env['TOKEN_VAULT_TZ'];
      const out = new ReminderService({ vault: () => vault, ...(tz ? { timeZone: tz } : {}) }).snooze(token.id, spec);
      if (ctx.json) printJson(ctx, out);
      else say(ctx.stdout, `Snoozed ${token.name} until ${out.snoozedUntil}.`);
    });
  },
};
