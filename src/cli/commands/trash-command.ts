import { existsSync } from 'node:fs';
import { getProvider } from '../../main/providers/provider-registry';
import { TRASH_KEEP_DAYS, type TrashEntry } from '../../shared/trash';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { checkConfirmable, confirmed, YES_OPTION } from '../input';
import { withVault } from '../open-vault';
import { day, printJson, printTable, relativeTime, say, type TableColumn } from '../output';
import { resolveTokenRef, shortIds } from '../token-ref';
import { resolveTrashRef, trashRefOf } from '../trash-ref';

// The trash (issue 12): `remove` and `workspace remove` move things here; `trash` lists, `restore` puts back,
// `trash empty` deletes for good. Entries older than TRASH_KEEP_DAYS go at the next unlock (open-vault.ts).

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `1 token, with its secret` / `3 tokens, 2 with a secret`. */
export function contentsOf(e: Pick<TrashEntry, 'kind' | 'tokenCount' | 'secretCount'>): string {
  if (e.kind === 'token') return e.secretCount > 0 ? 'with its secret' : 'no secret stored';
  return `${plural(e.tokenCount, 'token')}${e.tokenCount > 0 ? `, ${e.secretCount} with a secret` : ''}`;
}

const WHAT_COLUMN: TableColumn = { header: 'WHAT', shrink: { min: 12 } };

function printTrash(ctx: CliContext, entries: TrashEntry[]): void {
  const now = Date.now();
  const short = shortIds(entries.map((e) => e.id));
  if (ctx.json) return printJson(ctx, entries.map((e) => ({ ...e, shortId: short.get(e.id) ?? e.id })));
  if (entries.length === 0) return say(ctx.stderr, 'The trash is empty.');
  printTable(
    ctx,
    ['ID', 'KIND', WHAT_COLUMN, 'HOLDS', 'DELETED', 'PURGED ON'],
    entries.map((e) => [short.get(e.id) ?? e.id, e.kind, trashRefOf(e), contentsOf(e), relativeTime(e.deletedAt, now), day(e.purgeAt)]),
  );
}

export const trashListCommand: CliCommand = {
  summary: `List what is in the trash: removed tokens and workspaces, kept ${TRASH_KEEP_DAYS} days with their secrets still encrypted.`,
  usage: 'trash [list]',
  details: [
    `Each item is deleted for good ${TRASH_KEEP_DAYS} days after it was removed (PURGED ON says when, in UTC); until then \`token-vault restore\` puts it back.`,
    '--json: id, shortId, kind (token|workspace), originalId, name, workspaceName, providerKind, tokenCount, secretCount, deletedAt, purgeAt.',
  ],
  async run(ctx) {
    await withVault(ctx, (vault) => printTrash(ctx, vault.trash.list()));
  },
};

export const trashEmptyCommand: CliCommand = {
  summary: 'Delete everything in the trash for good, secrets included (asks first).',
  usage: 'trash empty [--yes]',
  details: ['On a terminal it asks first, saying what goes; --yes (-y) goes ahead without asking, as scripts must.'],
  options: YES_OPTION,
  async run(ctx, { values }) {
    checkConfirmable(values, 'Emptying the trash');
    return withVault(ctx, async (vault) => {
      const entries = vault.trash.list();
      if (entries.length === 0) {
        if (ctx.json) printJson(ctx, { purged: 0 });
        else say(ctx.stderr, 'The trash is already empty.');
        return 0;
      }
      const secrets = entries.reduce((n, e) => n + e.secretCount, 0);
      const question = `Delete the ${plural(entries.length, 'item')} in the trash for good${secrets > 0 ? `, with ${plural(secrets, 'secret')} no one can get back` : ''}? This cannot be undone.`;
      if (!(await confirmed(ctx, values, question))) {
        say(ctx.stderr, 'Cancelled: the trash is as it was.');
        return 1;
      }
      // Only what the question named: something trashed meanwhile (by the app) stays.
      const purged = vault.trash.purge(entries.map((e) => e.id), 'cli');
      if (ctx.json) printJson(ctx, { purged });
      else say(ctx.stdout, `Deleted ${plural(purged, 'item')} from the trash for good.`);
      return 0;
    });
  },
};

/**
 * `restore` has two jobs: a backup FILE (issue 15) or an item of the trash (issue 12). An argument naming an existing
 * file is a backup; anything else is looked up in the trash.
 */
export const restoreCommand: CliCommand = {
  summary: `Put back an item from the trash (a token as W/N, a workspace by name, or an id from \`token-vault trash\`), or restore a backup FILE.`,
  usage: 'restore W/N|W|ID | restore FILE [--force]',
  details: [
    `From the trash: the token (or the workspace with its tokens) comes back whole, secrets included, under its own name. If that name has been taken meanwhile, nothing is restored (exit 1): rename or remove the other one first.`,
    'A backup FILE is restored into the vault path in effect (--vault, TOKEN_VAULT_PATH or the app\'s); an existing vault is replaced only with --force. It opens with TOKEN_VAULT_BACKUP_PASSWORD, TOKEN_VAULT_PASSWORD (the master password of the time), the OS keychain, or a prompt.',
  ],
  options: { force: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, args) {
    const ref = args.positionals[0] ?? '';
    if (existsSync(ref)) return (await import('./backup-command')).restoreCommand.run(ctx, args);
    if (args.values['force'] === true) throw new UsageError(`--force is for restoring a backup file, and there is no file "${ref}".`);
    return withVault(ctx, (vault) => {
      const entry = resolveTrashRef(vault.trash.list(), ref);
      const out = vault.trash.restore(entry.id, { actor: 'cli' });
      if (ctx.json) printJson(ctx, { ...out, restored: true });
      else if (out.kind === 'token') say(ctx.stdout, `Restored ${out.workspaceName}/${out.name} (${contentsOf(entry)}).`);
      else say(ctx.stdout, `Restored workspace "${out.name}" with ${plural(out.tokenCount, 'token')}.`);
      return 0;
    });
  },
};

export const removeCommand: CliCommand = {
  summary: `Move a token to the trash (restore it within ${TRASH_KEEP_DAYS} days). It only forgets the token here: at the service it stays valid (\`token revoke\` ends it there).`,
  usage: 'remove W/N|ID [--yes]',
  details: [
    `The token and its secret (still encrypted) stay in the trash for ${TRASH_KEEP_DAYS} days: \`token-vault restore W/N\` puts it back, \`token-vault trash\` lists the trash. After that they are deleted for good.`,
    'Nothing is done at the service: a token the service issued keeps working until it expires or `token-vault token revoke W/N` revokes it.',
    'On a terminal it asks first; --yes (-y) goes ahead without asking, as scripts must.',
  ],
  options: YES_OPTION,
  positionals: [1, 1],
  stdinValues: { positionals: true },
  async run(ctx, { values, positionals }) {
    checkConfirmable(values, 'Removing a token');
    return withVault(ctx, async (vault) => {
      const token = resolveTokenRef(vault, positionals[0] ?? '');
      const ws = vault.workspaces.get(token.workspaceId);
      const ref = `${ws.name}/${token.name}`;
      const provider = getProvider(ws.kind);
      // A token the service knows (it has a remote id) and can end: say that removing it here does not.
      const stillLive = token.remoteId !== null && token.status === 'active' && provider.capabilities.revoke;
      const question = [
        `Move ${ref} to the trash${token.hasSecret ? ', with its secret' : ''}? You can restore it for ${TRASH_KEEP_DAYS} days; then it is deleted for good.`,
        ...(stillLive ? [`It stays valid at ${provider.label}: to end it there, run \`token-vault token revoke ${ref}\` instead (or first).`] : []),
      ].join(' ');
      if (!(await confirmed(ctx, values, question))) {
        say(ctx.stderr, 'Cancelled: nothing was removed.');
        return 1;
      }
      const entry = vault.trash.trashToken(token.id, { actor: 'cli' });
      if (ctx.json) printJson(ctx, { id: token.id, removed: true, trashId: entry.id, purgeAt: entry.purgeAt, stillValidAtService: stillLive });
      else {
        say(ctx.stdout, `Moved ${ref} to the trash (\`token-vault restore ${ref}\` puts it back until ${day(entry.purgeAt)}).`);
        if (stillLive) say(ctx.stderr, `Note: ${ref} still works at ${provider.label}. To end it there: \`token-vault restore ${ref}\`, then \`token-vault token revoke ${ref}\`.`);
      }
      return 0;
    });
  },
};
