import { AppFailure } from '../../main/errors';
import { sharingEngineFor, type SharingEngine, type SyncAllResult, type SyncOutcome } from '../../main/use-cases/sharing';
import { resolveToken, resolveWorkspace } from '../../main/use-cases/token-lookup';
import type { Vault } from '../../main/vault';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { withVault } from '../open-vault';
import { day, printJson, printTable, say } from '../output';

/**
 * `share ...` (issue 14): end-to-end encrypted sharing of workspaces over git. The engine does the work and returns
 * structured outcomes; this file picks the words. A remote URL is never printed (it may carry credentials): the
 * engine hands back only a redacted one, in `status`.
 */

/** TOKEN_VAULT_DEVICE_NAME names this device in its identity (made the first time), else the host name. */
async function withEngine<T>(ctx: CliContext, fn: (engine: SharingEngine, vault: Vault) => Promise<T> | T): Promise<T> {
  const deviceName = ctx.env['TOKEN_VAULT_DEVICE_NAME']?.trim();
  return withVault(ctx, (vault) => fn(sharingEngineFor(vault, deviceName ? { deviceName } : {}), vault));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function stringOption(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} is required.`);
  return value;
}

/** The team a member command is about: --team, else the only share on this device. */
function teamOf(engine: SharingEngine, value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  const teams = engine.members().map((m) => m.team);
  if (teams.length === 1) return teams[0] as string;
  if (teams.length === 0) throw new AppFailure('not-found', 'This device takes part in no share yet.');
  throw new UsageError(`This device is in ${teams.length} shares (${teams.join(', ')}): name one with --team TEAM.`);
}

/** What one sync did, in one line, plus one line per refused file (stderr). */
function sayOutcome(ctx: CliContext, o: SyncOutcome, lead: string): void {
  const parts = [`pushed ${plural(o.pushed, 'record')}`, `pulled ${plural(o.pulled, 'record')}`];
  if (o.conflicts) parts.push(`${plural(o.conflicts, 'record')} with two secrets: pick one (token-vault share pick W/N)`);
  if (o.membersRemoved.length) parts.push(`removed: ${o.membersRemoved.join(', ')} (${plural(o.remindersRaised, 'token')} to rotate)`);
  say(ctx.stdout, `${lead}: ${parts.join(', ')}.`);
  if (o.rejected.length) {
    say(ctx.stderr, `Refused ${plural(o.rejected.length, 'file')} not validly signed by a current member; nothing in this vault changed from them:`);
    for (const r of o.rejected) say(ctx.stderr, `  ${r.path}: ${r.reason}`);
  }
  if (o.rolledBack) say(ctx.stderr, `${plural(o.rolledBack, 'record')} in the repository were older than what this device synced before (replayed?): kept ours.`);
}

export const shareIdentityCommand: CliCommand = {
  summary:
    "This device's public sharing identity (one line): give it to a member, who runs `share add-member NAME IDENTITY`. " +
    'Made the first time, named TOKEN_VAULT_DEVICE_NAME or the host name.',
  usage: 'share identity',
  async run(ctx) {
    await withEngine(ctx, (engine) => {
      const id = engine.identity();
      if (ctx.json) printJson(ctx, id);
      else say(ctx.stdout, id.identity);
    });
  },
};

export const shareInitCommand: CliCommand = {
  summary: 'Share workspaces with a team through an EMPTY git repository (a path, ssh or https remote); you are its first member.',
  usage: 'share init --remote URL --name TEAM [--workspace W]...',
  options: { remote: { type: 'string' }, name: { type: 'string' }, workspace: { type: 'string', multiple: true } },
  async run(ctx, { values }) {
    const remote = stringOption(values['remote'], '--remote URL');
    const team = stringOption(values['name'], '--name TEAM');
    const names = Array.isArray(values['workspace']) ? values['workspace'].filter((w): w is string => typeof w === 'string') : [];
    return withEngine(ctx, async (engine, vault) => {
      const workspaceIds = names.map((n) => resolveWorkspace(vault, n).id);
      const out = await engine.init({ remote, team, workspaceIds });
      if (ctx.json) printJson(ctx, out);
      else sayOutcome(ctx, out, `Shared ${plural(workspaceIds.length, 'workspace')} as "${out.team}"`);
      return out.rejected.length ? 1 : 0;
    });
  },
};

export const shareJoinCommand: CliCommand = {
  summary: 'Join a share after a member added this device (`share identity` shows what to give them).',
  usage: 'share join --remote URL',
  options: { remote: { type: 'string' } },
  async run(ctx, { values }) {
    const remote = stringOption(values['remote'], '--remote URL');
    return withEngine(ctx, async (engine) => {
      const out = await engine.join({ remote });
      if (ctx.json) printJson(ctx, out);
      else sayOutcome(ctx, out, `Joined "${out.team}"`);
      return out.rejected.length ? 1 : 0;
    });
  },
};

export const shareAddMemberCommand: CliCommand = {
  summary: 'Add a member by the identity line they printed with `share identity`; they read every shared record from then on.',
  usage: 'share add-member NAME IDENTITY [--team TEAM]   (--team when this device is in more than one share)',
  options: { team: { type: 'string' } },
  positionals: [2, 2],
  async run(ctx, { values, positionals }) {
    const [name, identity] = positionals as [string, string];
    return withEngine(ctx, async (engine) => {
      const out = await engine.addMember(teamOf(engine, values['team']), name, identity);
      if (ctx.json) printJson(ctx, out);
      else sayOutcome(ctx, out.sync, `Added ${out.member} to "${out.sync.team}"; they can now run \`token-vault share join --remote URL\``);
      return out.sync.rejected.length ? 1 : 0;
    });
  },
};

export const shareRemoveMemberCommand: CliCommand = {
  summary: 'Remove a member: everything is re-encrypted for the others, and every token they could read is due for rotation ("member removed").',
  usage: 'share remove-member NAME [--team TEAM]',
  options: { team: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    return withEngine(ctx, async (engine) => {
      const out = await engine.removeMember(teamOf(engine, values['team']), positionals[0] as string);
      if (ctx.json) printJson(ctx, out);
      else sayOutcome(ctx, out.sync, `Removed ${out.member} from "${out.sync.team}"`);
      return out.sync.rejected.length ? 1 : 0;
    });
  },
};

export const shareMembersCommand: CliCommand = {
  summary: 'The members of each share (as of the last sync).',
  usage: 'share members [--json]',
  async run(ctx) {
    await withEngine(ctx, (engine) => {
      const all = engine.members();
      if (ctx.json) return printJson(ctx, all);
      printTable(
        ctx,
        ['TEAM', 'MEMBER', 'DEVICE', 'ADDED', 'BY'],
        all.flatMap((s) => s.members.map((m) => [s.team, m.you ? `${m.name} (you)` : m.name, m.deviceName, day(m.addedAt), m.addedBy])),
      );
    });
  },
};

export const shareAddWorkspaceCommand: CliCommand = {
  summary: 'Put one more workspace (and its tokens) into a share, and sync.',
  usage: 'share add-workspace TEAM W',
  positionals: [2, 2],
  async run(ctx, { positionals }) {
    const [team, name] = positionals as [string, string];
    return withEngine(ctx, async (engine, vault) => {
      const out = await engine.addWorkspace(team, resolveWorkspace(vault, name).id);
      if (ctx.json) printJson(ctx, out);
      else sayOutcome(ctx, out, `Shared "${name}" in "${out.team}"`);
      return out.rejected.length ? 1 : 0;
    });
  },
};

export const shareSyncCommand: CliCommand = {
  summary: 'Fetch, verify, merge, commit and push one share (or every share); a rejected push is merged and retried.',
  usage: 'share sync [TEAM] [--json]',
  positionals: [0, 1],
  async run(ctx, { positionals }) {
    return withEngine(ctx, async (engine) => {
      const team = positionals[0];
      const results: SyncAllResult[] = team !== undefined ? [{ team, ok: true, outcome: await engine.sync(team) }] : await engine.sync();
      if (ctx.json) printJson(ctx, team !== undefined && results[0]?.ok ? results[0].outcome : results);
      else if (results.length === 0) say(ctx.stdout, 'This device takes part in no share yet.');
      else
        for (const r of results) {
          if (r.ok) sayOutcome(ctx, r.outcome, `Synced "${r.team}"`);
          else say(ctx.stderr, `"${r.team}" did not sync: ${r.error.message}`);
        }
      return results.every((r) => r.ok && r.outcome.rejected.length === 0) ? 0 : 1;
    });
  },
};

export const shareStatusCommand: CliCommand = {
  summary: 'Each share: local changes to push (ahead), remote commits to merge (behind), two-secret conflicts, last sync and error.',
  usage: 'share status [--fetch] [--json]',
  options: { fetch: { type: 'boolean' } },
  async run(ctx, { values }) {
    await withEngine(ctx, async (engine) => {
      const all = await engine.status({ fetch: values['fetch'] === true });
      if (ctx.json) return printJson(ctx, all);
      printTable(
        ctx,
        ['TEAM', 'MEMBERS', 'WORKSPACES', 'AHEAD', 'BEHIND', 'TWO SECRETS', 'LAST SYNC', 'ERROR'],
        all.map((s) => [s.team, s.members, s.workspaces, s.ahead, s.behind, s.conflicts, s.lastSyncAt ? s.lastSyncAt.slice(0, 16).replace('T', ' ') : 'never', s.lastError?.message]),
      );
    });
  },
};

export const sharePickCommand: CliCommand = {
  summary:
    'Resolve "two secrets: pick one": without N, list the candidates (who set each, when; never the secret); with N, keep that one. ' +
    'REF is W/NAME or a token id (a token), or W (a workspace\'s admin credential). The next sync shares the pick.',
  usage: 'share pick REF [N]',
  positionals: [1, 2],
  async run(ctx, { positionals }) {
    const [ref, choice] = positionals as [string, string | undefined];
    return withEngine(ctx, (engine, vault) => {
      const id = !ref.includes('/') && vault.workspaces.findByName(ref) ? resolveWorkspace(vault, ref).id : resolveToken(vault, ref).id;
      const candidates = vault.sharing.readRecords([id])[0]?.secretConflict ?? null;
      if (!candidates) throw new AppFailure('invalid-argument', `${ref} has one secret: there is nothing to pick.`);
      if (choice === undefined) {
        if (ctx.json) return printJson(ctx, candidates.map((c, i) => ({ n: i + 1, setBy: c.setBy, setAt: c.setAt })));
        printTable(ctx, ['N', 'SET BY', 'SET AT'], candidates.map((c, i) => [i + 1, c.setBy, c.setAt.slice(0, 16).replace('T', ' ')]));
        say(ctx.stdout, `Keep one with: token-vault share pick ${ref} N`);
        return 0;
      }
      const n = Number(choice);
      if (!Number.isInteger(n) || n < 1 || n > candidates.length) throw new UsageError(`N is a number from 1 to ${candidates.length}.`);
      engine.pickSecret(id, n - 1);
      const picked = candidates[n - 1];
      if (ctx.json) printJson(ctx, { picked: n, setBy: picked?.setBy, setAt: picked?.setAt });
      else say(ctx.stdout, `Kept the secret ${picked?.setBy} set; the others stay in the record's history. Run \`token-vault share sync\` to share the pick.`);
      return 0;
    });
  },
};
