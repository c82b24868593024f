import type { IssuedSecret } from '../../shared/issued-secret';
import { AppFailure } from '../../main/errors';
import { getProvider } from '../../main/providers/provider-registry';
import { COMMON_PRESETS } from '../../main/providers/provider-support';
import type { CreateTokenInput } from '../../main/providers/provider-types';
import { resolveWorkspace } from '../../main/use-cases/token-lookup';
import { resolveTokenRef } from '../token-ref';
import { createToken, regenerateToken, revokeToken, setTokenActive } from '../../main/use-cases/tokens/token-operations';
import type { TokenSummary, Vault } from '../../main/vault';
import { UsageError, type CliCommand, type CliContext } from '../cli-command';
import { checkConfirmable, confirmed, parseExpires, YES_OPTION } from '../input';
import { withVault } from '../open-vault';
import { printJson, printSecret, say, tokenJson } from '../output';

/** The one time a new secret is shown: plain on stdout, or the `secret` field with --json. */
function reveal(ctx: CliContext, vault: Vault, issued: IssuedSecret<TokenSummary>): void {
  const workspace = vault.workspaces.get(issued.token.workspaceId);
  const notice = issued.keptExpiry
    ? `${getProvider(workspace.kind).label} kept the old expiry (${issued.token.expiresAt ?? 'never'}). For a new lifetime, create a new token and revoke this one.`
    : null;
  if (ctx.json) {
    printJson(ctx, { ...tokenJson(issued.token, [workspace]), secret: issued.secret, notice });
    return;
  }
  printSecret(ctx.stdout, issued.secret);
  say(ctx.stderr, `Stored "${issued.token.name}". This secret is shown once.`, ...(notice ? [notice] : []));
}

export const tokenCreateCommand: CliCommand = {
  summary: 'Create a token at the service, store it, and print the secret once.',
  usage: 'token create W --name N [--expires 7d|30d|90d|1y|never|YYYY-MM-DD] [--type T] [--scopes a,b] [--description D]',
  options: { name: { type: 'string' }, expires: { type: 'string' }, type: { type: 'string' }, scopes: { type: 'string' }, description: { type: 'string' } },
  positionals: [1, 1],
  stdinValues: { options: ['name', 'description'], positionals: true },
  async run(ctx, { values, positionals }) {
    const name = values['name'];
    if (typeof name !== 'string' || name.trim() === '') throw new UsageError('--name N is required.');
    if (name.includes('/')) throw new UsageError('A token name cannot contain "/".');
    const input: CreateTokenInput = { name: name.trim() };
    const expires = values['expires'];
    if (typeof expires === 'string') {
      if (COMMON_PRESETS.some((p) => p.id === expires)) input.expiryPreset = expires;
      else input.expiresAt = parseExpires(expires);
    }
    if (typeof values['type'] === 'string') input.type = values['type'];
    if (typeof values['scopes'] === 'string') input.scopes = values['scopes'].split(',').map((s) => s.trim()).filter(Boolean);
    if (typeof values['description'] === 'string') input.description = values['description'];
    await withVault(ctx, async (vault) => {
      const ws = resolveWorkspace(vault, positionals[0]!);
      reveal(ctx, vault, await createToken(vault, ws.id, input, { actor: 'cli' }));
    });
  },
};

export const tokenRegenerateCommand: CliCommand = {
  summary: 'Regenerate (Strapi), rotate (GitLab) or roll (Cloudflare) a token at the service; prints the new secret once.',
  usage: 'token regenerate W/N [--expires 7d|30d|90d|1y|YYYY-MM-DD] (a new expiry: GitLab only)',
  options: { expires: { type: 'string' } },
  positionals: [1, 1],
  stdinValues: { positionals: true },
  async run(ctx, { values, positionals }) {
    const expires = values['expires'];
    let expiresAt: string | null | undefined;
    if (typeof expires === 'string') {
      const preset = COMMON_PRESETS.find((p) => p.id === expires);
      expiresAt = preset ? (preset.seconds === null ? null : new Date(Date.now() + preset.seconds * 1000).toISOString()) : parseExpires(expires);
      if (expiresAt === null) throw new UsageError('--expires: a regenerated token needs an expiry date; "never" is not accepted here.');
      if (Date.parse(expiresAt) <= Date.now()) throw new UsageError(`--expires: ${expires} is in the past. Give a future date or a duration like 90d.`);
    }
    await withVault(ctx, async (vault) => {
      const token = resolveTokenRef(vault, positionals[0]!);
      if (expiresAt !== undefined) {
        const provider = getProvider(vault.workspaces.get(token.workspaceId).kind);
        // Only a rotate (GitLab) takes a new expiry; elsewhere it would be silently ignored. A provider that cannot
        // renew at all falls through to regenerateToken, whose message says what to do instead.
        if (provider.capabilities.renew !== 'rotate' && provider.capabilities.renew !== 'none')
          throw new AppFailure(
            'unsupported',
            provider.capabilities.renewKeepsExpiry
              ? `${provider.label} keeps the old expiry when it regenerates. For a new lifetime, create a new token and revoke this one.`
              : `${provider.label} takes no new expiry when it renews a token. Leave out --expires.`,
          );
      }
      reveal(ctx, vault, await regenerateToken(vault, token.id, { actor: 'cli', ...(expiresAt !== undefined ? { expiresAt } : {}) }));
    });
  },
};

type Act = (vault: Vault, id: string) => Promise<unknown>;

/** Revoke, activate, deactivate: one token, one call to the service, the token as it is after. */
function simple(summary: string, usage: string, act: Act, done: string, ask?: { doing: string; question: (vault: Vault, token: TokenSummary) => string }): CliCommand {
  return {
    summary,
    usage: ask ? `${usage} [--yes]` : usage,
    positionals: [1, 1],
    stdinValues: { positionals: true },
    ...(ask ? { options: YES_OPTION, details: ['On a terminal it asks first; --yes (-y) goes ahead without asking, as scripts must.'] } : {}),
    async run(ctx, { values, positionals }) {
      if (ask) checkConfirmable(values, ask.doing);
      return withVault(ctx, async (vault) => {
        const token = resolveTokenRef(vault, positionals[0]!);
        if (ask && !(await confirmed(ctx, values, ask.question(vault, token)))) {
          say(ctx.stderr, 'Cancelled: nothing was changed.');
          return 1;
        }
        await act(vault, token.id);
        const after = vault.tokens.get(token.id);
        if (ctx.json) printJson(ctx, tokenJson(after, vault.workspaces.list()));
        else say(ctx.stdout, `${done} "${after.name}" (status: ${after.status}).`);
        return 0;
      });
    },
  };
}

const refOf = (vault: Vault, t: TokenSummary) => `${vault.workspaces.get(t.workspaceId).name}/${t.name}`;

export const tokenRevokeCommand = simple(
  'Revoke a token at the service (the stored record stays, marked revoked).',
  'token revoke W/N|ID',
  (v, id) => revokeToken(v, id, { actor: 'cli' }),
  'Revoked',
  {
    doing: 'Revoking a token',
    question: (v, t) => `Revoke ${refOf(v, t)} at ${getProvider(v.workspaces.get(t.workspaceId).kind).label}? Whatever uses it stops working.`,
  },
);
export const tokenActivateCommand = simple('Activate a token at the service (where supported).', 'token activate W/N|ID', (v, id) => setTokenActive(v, id, true, { actor: 'cli' }), 'Activated');
export const tokenDeactivateCommand = simple('Deactivate a token at the service (where supported).', 'token deactivate W/N|ID', (v, id) => setTokenActive(v, id, false, { actor: 'cli' }), 'Deactivated');
