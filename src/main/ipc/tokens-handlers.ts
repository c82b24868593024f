import type { IssuedSecret } from '../../shared/issued-secret';
import type { TokenDto, tokenOperationChannels } from '../../shared/ipc/tokens-channels';
import { createToken, regenerateToken, revokeToken, setTokenActive } from '../use-cases/tokens/token-operations';
import type { TokenSummary, Vault } from '../vault';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';
import { tokenDtoOf } from './token-dto';

/** tokens:create, regenerate, revoke, set-active — token operations at the service. */
export function createTokensHandlers(ctx: Pick<HandlerContext, 'session' | 'reminders' | 'clock'>): HandlersOf<typeof tokenOperationChannels> {
  const vault = () => ctx.session.requireUnlocked();
  const issued = (v: Vault, i: IssuedSecret<TokenSummary>): IssuedSecret<TokenDto> => ({
    token: tokenDtoOf(ctx, v, i.token),
    secret: i.secret,
    ...(i.keptExpiry !== undefined ? { keptExpiry: i.keptExpiry } : {}),
  });
  return {
    'tokens:create': async ({ workspaceId, ...input }) => {
      const v = vault();
      return issued(v, await createToken(v, workspaceId, input));
    },
    'tokens:regenerate': async ({ tokenId, expiresAt }) => {
      const v = vault();
      return issued(v, await regenerateToken(v, tokenId, expiresAt !== undefined ? { expiresAt } : {}));
    },
    'tokens:revoke': async ({ tokenId }) => {
      const v = vault();
      return tokenDtoOf(ctx, v, await revokeToken(v, tokenId));
    },
    'tokens:set-active': async ({ tokenId, active }) => {
      const v = vault();
      return tokenDtoOf(ctx, v, await setTokenActive(v, tokenId, active));
    },
  };
}
