import type { tokenViewChannels } from '../../shared/ipc/token-view-channels';
import { addPastedToken, editToken } from '../use-cases/tokens/token-operations';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';
import { tokenDtoOf, tokenDtos } from './token-dto';

/**
 * The window's own view of tokens: the list with reminder state, re-authenticated reveal, copy done by main (the
 * clipboard clears itself only if it still holds the secret), snippets, edits, and pasting a hand-made token.
 */
export function createTokenViewHandlers(ctx: Pick<HandlerContext, 'session' | 'reminders' | 'secrets' | 'clock'>): HandlersOf<typeof tokenViewChannels> {
  const { session, reminders, secrets, clock } = ctx;
  const vault = () => session.requireUnlocked();
  return {
    'tokens:list': () => {
      const v = vault();
      return tokenDtos(v, v.tokens.list(), reminders.policies(v), clock.now());
    },
    'tokens:reveal': ({ tokenId, password, confirm }) => secrets.reveal(tokenId, { password, confirm }),
    'tokens:copy-secret': ({ tokenId, password, confirm }) => secrets.copySecret(tokenId, { password, confirm }),
    'tokens:copy-unsaved-secret': ({ secret }) => secrets.copyUnsavedSecret(secret),
    'tokens:copy-prefix': ({ tokenId }) => secrets.copyPrefix(tokenId),
    'tokens:copy-snippet': ({ tokenId, kind, password, confirm }) => secrets.copySnippet(tokenId, kind, { password, confirm }),
    'tokens:update': async ({ tokenId, ...patch }) => {
      const v = vault();
      return tokenDtoOf(ctx, v, await editToken(v, tokenId, patch));
    },
    'tokens:add': (input) => {
      const v = vault();
      return tokenDtoOf(ctx, v, addPastedToken(v, input));
    },
  };
}
