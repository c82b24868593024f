import type { rotationChannels } from '../../shared/ipc/rotation-channels';
import { RotationService } from '../use-cases/rotation/rotation-service';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/**
 * rotation:* — rotate now, paste (manual workspaces), confirm deployed, resume interrupted rotations. Each call builds
 * a RotationService over the unlocked vault; the steps after the new secret is stored report `rotation:progress`.
 */
export function createRotationHandlers({ session, clock, emit }: Pick<HandlerContext, 'session' | 'clock' | 'emit'>): HandlersOf<typeof rotationChannels> {
  const service = () => new RotationService({ vault: session.requireUnlocked(), clock, actor: 'app', onProgress: (p) => emit('rotation:progress', p) });
  return {
    'rotation:rotate-token': ({ tokenId, expiresAt }) => service().rotate(tokenId, expiresAt === undefined ? {} : { expiresAt }),
    'rotation:paste-secret': ({ tokenId, secret, expiresAt }) => service().pasteSecret(tokenId, secret, expiresAt === undefined ? {} : { expiresAt }),
    'rotation:confirm-deployed': ({ tokenId, graceDays }) => service().confirm(tokenId, graceDays === undefined ? {} : { graceDays }),
    'rotation:resume-all': () => service().resumeAll(),
    'rotation:list-pending': () => service().listPending(),
  };
}
