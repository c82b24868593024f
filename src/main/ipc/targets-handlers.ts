import type { targetsChannels } from '../../shared/ipc/targets-channels';
import { TargetService } from '../use-cases/targets';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/** targets:* — the token's deployment targets ("Used in"): each call builds a TargetService over the unlocked vault. */
export function createTargetsHandlers({ session, emit }: Pick<HandlerContext, 'session' | 'emit'>): HandlersOf<typeof targetsChannels> {
  const service = () => new TargetService({ vault: session.requireUnlocked(), actor: 'app' });
  return {
    'targets:list': ({ tokenId }) => service().list(tokenId),
    'targets:add': ({ tokenId, spec }) => service().add(tokenId, spec),
    'targets:remove': ({ tokenId, targetId }) => service().remove(tokenId, targetId),
    'targets:push': ({ tokenId }) => service().push(tokenId, { onProgress: (p) => emit('targets:progress', p) }),
  };
}
