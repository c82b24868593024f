import { TRASH_KEEP_DAYS } from '../../shared/trash';
import { AppFailure } from '../../main/errors';
import { PROVIDER_KINDS } from '../../shared/provider-capabilities';
import { toWorkspaceDto } from '../../main/ipc/token-dto';
import { getProvider, isProviderKind } from '../../main/providers/provider-registry';
import { syncWorkspace, type SyncResult } from '../../main/use-cases/sync-service';
import { resolveWorkspace } from '../../main/use-cases/token-lookup';
import { isAppFailure } from '../../main/errors';
import { addWorkspace, confirmMovedCredential, updateWorkspace, type UpdateWorkspaceInput } from '../../main/use-cases/workspace-service';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { canAsk, checkConfirmable, confirmed, promptHidden, YES_OPTION } from '../input';
import { withVault } from '../open-vault';
import { day, printJson, printTable, say, termSafe } from '../output';

/** The admin credential: TOKEN_VAULT_ADMIN_SECRET, else a hidden prompt. Never a flag (it would land in shell history). */
async function adminSecret(ctx: CliContext, label: string): Promise<string> {
  const fromEnv = ctx.env['TOKEN_VAULT_ADMIN_SECRET'];
  if (fromEnv) return fromEnv;
  return promptHidden(ctx, `${label}: `);
}

export const workspaceAddCommand: CliCommand = {
  summary: 'Add a workspace on a service (credential from TOKEN_VAULT_ADMIN_SECRET or a prompt); it is verified first.',
  usage: `workspace add --provider ${PROVIDER_KINDS.join('|')} --name W [--url URL] [--user U] [--token-page URL]`,
  options: { provider: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' }, user: { type: 'string' }, 'token-page': { type: 'string' } },
  stdinValues: { options: ['name'] },
  async run(ctx, { values }) {
    const kind = values['provider'];
    const name = values['name'];
    if (typeof kind !== 'string' || !isProviderKind(kind)) throw new UsageError(`--provider must be one of ${PROVIDER_KINDS.join(', ')}.`);
    if (typeof name !== 'string' || name.trim() === '') throw new UsageError('--name W is required.');
    const url = typeof values['url'] === 'string' ? values['url'] : null;
    const user = typeof values['user'] === 'string' ? values['user'] : null;
    const tokenPage = typeof values['token-page'] === 'string' ? values['token-page'] : null;
    const fields = getProvider(kind).fields;
    if (fields.baseUrl === 'required' && !url) throw new UsageError('--url URL is required.');
    // An optional credential (a GitHub workspace only for revoking) comes from the environment or not at all.
    const secret = fields.adminSecret === 'unused' ? null : fields.adminSecret === 'optional' ? (ctx.env['TOKEN_VAULT_ADMIN_SECRET'] || null) : await adminSecret(ctx, fields.adminSecretLabel ?? 'Admin credential');
    await withVault(ctx, async (vault) => {
      const { workspace, account } = await addWorkspace(vault, { kind, name: name.trim(), baseUrl: url, username: user, adminSecret: secret, tokenPageUrl: tokenPage });
      if (ctx.json) printJson(ctx, { ...toWorkspaceDto(workspace), account });
      else say(ctx.stdout, `Added workspace "${workspace.name}" (${kind})${account ? `, signed in as ${account}` : ''}.`);
    });
  },
};

export const workspaceEditCommand: CliCommand = {
  summary:
    'Rename a workspace or change its addresses; a new host needs the admin credential again (TOKEN_VAULT_ADMIN_SECRET or a prompt), verified there. --confirm-credential: a shared change moved it and its credential waits; send it to the new address (verified there; --for ORIGIN: only if that is the address, else asked on a terminal).',
  usage: 'workspace edit W [--name N] [--url URL] [--token-page URL] [--confirm-credential [--for ORIGIN]]',
  options: { name: { type: 'string' }, url: { type: 'string' }, 'token-page': { type: 'string' }, 'confirm-credential': { type: 'boolean' }, for: { type: 'string' } },
  positionals: [1, 1],
  stdinValues: { options: ['name'], positionals: true },
  async run(ctx, { values, positionals }) {
    const input: UpdateWorkspaceInput = {};
    if (typeof values['name'] === 'string') {
      if (values['name'].trim() === '') throw new UsageError('--name needs a name.');
      input.name = values['name'].trim();
    }
    if (typeof values['url'] === 'string') input.baseUrl = values['url'];
    if (typeof values['token-page'] === 'string') input.tokenPageUrl = values['token-page'] || null;
    const confirm = values['confirm-credential'] === true;
    const pinned = typeof values['for'] === 'string' ? originGiven(values['for']) : undefined;
    if (pinned !== undefined && !confirm) throw new UsageError('--for names the address a --confirm-credential is for.');
    if (Object.keys(input).length === 0 && !confirm) throw new UsageError('Say what to change: --name, --url, --token-page or --confirm-credential.');
    await withVault(ctx, async (vault) => {
      const ws = resolveWorkspace(vault, positionals[0]!);
      if (confirm) {
        // What the user confirms is an address they have seen: the one they name (--for), or the one asked about on
        // their terminal. A script without either confirms the address the vault holds now (it says which after).
        // A move that lands meanwhile is refused by main.
        const held = ws.credentialHold !== null;
        const to = ws.credentialHold?.to ?? null;
        if (!held) say(ctx.stderr, `Nothing of "${ws.name}" is waiting for a confirmation: nothing was changed.`);
        else {
          const what = ws.hasAdminCredential ? `the admin credential of "${ws.name}"` : `the secrets of "${ws.name}"’s tokens`;
          if (pinned !== undefined && pinned !== to)
            throw new AppFailure('share-local-changed', `"${ws.name}" waits for ${to ?? 'no address'}, not ${pinned}: nothing was sent. Look at its address (token-vault workspace list), then confirm again.`);
          if (pinned === undefined && canAsk() && !(await confirmed(ctx, {}, `Send ${what} to ${to ?? 'no address'}?`)))
            throw new AppFailure('cancelled', 'Nothing was sent.');
          await confirmMovedCredential(vault, ws.id, to);
        }
        if (Object.keys(input).length === 0) {
          const now = vault.workspaces.get(ws.id);
          if (ctx.json) printJson(ctx, toWorkspaceDto(now));
          else if (held) say(ctx.stdout, `"${now.name}" is confirmed for ${now.baseUrl ?? 'its address'}: ${now.hasAdminCredential ? 'its credential' : 'its tokens’ secrets'} may go there.`);
          return;
        }
      }
      let updated;
      try {
        updated = await updateWorkspace(vault, ws.id, input);
      } catch (error) {
        // Another origin: the stored credential stays behind, so ask for the one that address takes.
        if (!(isAppFailure(error) && error.field === 'adminSecret')) throw error;
        const secret = ctx.env['TOKEN_VAULT_ADMIN_SECRET'] || (process.stdin.isTTY ? await promptHidden(ctx, 'Admin credential for the new address: ') : '');
        if (!secret) throw error;
        updated = await updateWorkspace(vault, ws.id, { ...input, adminSecret: secret });
      }
      if (ctx.json) printJson(ctx, toWorkspaceDto(updated));
      else say(ctx.stdout, `Updated workspace "${updated.name}".`);
    });
  },
};

/** The origin (scheme, host, port) of an address given on the command line. */
function originGiven(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
  } catch {
    // said below
  }
  throw new UsageError(`--for takes the address the workspace moved to (https://host[:port]), not "${termSafe(text)}".`);
}

export const workspaceListCommand: CliCommand = {
  summary: 'List workspaces.',
  usage: 'workspace list',
  async run(ctx) {
    await withVault(ctx, (vault) => {
      const all = vault.workspaces.list();
      if (ctx.json) return printJson(ctx, all.map(toWorkspaceDto));
      if (all.length === 0) return say(ctx.stderr, 'No workspaces yet. Add one with `token-vault workspace add` (or `token-vault add` for a token made by hand).');
      printTable(
        ctx,
        ['NAME', 'PROVIDER', 'URL', 'USER', 'LAST SYNC', 'ERROR'],
        all.map((w) => [w.name, w.kind, w.baseUrl, w.username, w.lastSyncAt ? day(w.lastSyncAt) : null, w.lastSyncError?.message]),
      );
    });
  },
};

export const workspaceSyncCommand: CliCommand = {
  summary: 'Sync tokens from the service (one workspace, or --all).',
  usage: 'workspace sync W|--all',
  options: { all: { type: 'boolean' } },
  positionals: [0, 1],
  stdinValues: { positionals: true },
  async run(ctx, { values, positionals }) {
    const all = values['all'] === true;
    if (all === (positionals.length === 1)) throw new UsageError('Give one workspace name, or --all.');
    return withVault(ctx, async (vault) => {
      const targets = all ? vault.workspaces.list() : [resolveWorkspace(vault, positionals[0]!)];
      const results: SyncResult[] = await Promise.all(targets.map((w) => syncWorkspace(vault, w, { actor: 'cli' })));
      if (ctx.json) printJson(ctx, results);
      else
        printTable(
          ctx,
          ['WORKSPACE', 'TOKENS', 'ADDED', 'UPDATED', 'REVOKED AT SERVICE', 'ERROR'],
          results.map((r) => [r.workspaceName, r.total, r.added, r.updated, r.revokedRemote, r.error?.message]),
        );
      return results.every((r) => r.ok) ? 0 : 1;
    });
  },
};

export const workspaceRemoveCommand: CliCommand = {
  summary: `Move a workspace to the trash (with --with-tokens also its stored tokens); restore it within ${TRASH_KEEP_DAYS} days.`,
  usage: 'workspace remove W [--with-tokens] [--yes]',
  details: [
    `The workspace, its admin credential and (with --with-tokens) its tokens and their secrets stay encrypted in the trash for ${TRASH_KEEP_DAYS} days: \`token-vault restore W\` puts them all back. After that they are deleted for good.`,
    'Nothing is done at the service: tokens it issued keep working until they expire or are revoked (`token-vault token revoke W/N`).',
    'On a terminal it asks first, saying what goes with it; --yes (-y) goes ahead without asking, as scripts must.',
  ],
  options: { 'with-tokens': { type: 'boolean' }, ...YES_OPTION },
  positionals: [1, 1],
  stdinValues: { positionals: true },
  async run(ctx, { values, positionals }) {
    checkConfirmable(values, 'Removing a workspace');
    return withVault(ctx, async (vault) => {
      const ws = resolveWorkspace(vault, positionals[0]!);
      const tokens = vault.tokens.list({ workspaceId: ws.id });
      if (tokens.length > 0 && values['with-tokens'] !== true)
        throw new AppFailure('invalid-argument', `The workspace still holds ${tokens.length} token(s): add --with-tokens to move them to the trash with it.`);
      const secrets = tokens.filter((t) => t.hasSecret).length;
      const withIt = [
        ...(tokens.length > 0 ? [`its ${tokens.length} stored token(s)${secrets ? `, ${secrets} with a secret Token Vault cannot get back from the service` : ''}`] : []),
        ...(ws.hasAdminCredential ? ['its admin credential'] : []),
      ];
      const question =
        `Move workspace "${ws.name}"${withIt.length ? ` and ${withIt.join(' and ')}` : ''} to the trash? ` +
        `You can restore it for ${TRASH_KEEP_DAYS} days; then it is deleted for good. Nothing changes at the service.`;
      if (!(await confirmed(ctx, values, question))) {
        say(ctx.stderr, 'Cancelled: nothing was removed.');
        return 1;
      }
      const entry = vault.trash.trashWorkspace(ws.id, { actor: 'cli' });
      if (ctx.json) printJson(ctx, { removed: ws.name, trashId: entry.id, tokens: entry.tokenCount, purgeAt: entry.purgeAt });
      else say(ctx.stdout, `Moved workspace "${ws.name}"${tokens.length ? ` and its ${tokens.length} token(s)` : ''} to the trash (\`token-vault restore ${ws.name}\` puts it back until ${day(entry.purgeAt)}).`);
      return 0;
    });
  },
};
