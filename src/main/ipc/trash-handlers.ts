import type { trashChannels } from '../../shared/ipc/trash-channels';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/** tokens:delete and trash:* — the trash, kept by the vault (src/main/vault/trash). */
export function createTrashHandlers({ session }: Pick<HandlerContext, 'session'>): HandlersOf<typeof trashChannels> {
  const vault = () => session.requireUnlocked();
  return {
    'tokens:delete': ({ tokenId }) => vault().trash.trashToken(tokenId),
    'trash:list': () => vault().trash.list(),
    'trash:restore': ({ id }) => vault().trash.restore(id),
    'trash:empty': ({ ids }) => ({ purged: vault().trash.purge(ids) }),
  };
}
