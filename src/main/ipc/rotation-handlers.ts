import type { rotationChannels } from '../../shared/ipc/rotation-channels';
import type { ClientOverrides } from '../providers/provider-registry';
import { RotationService } from '../use-cases/rotation/rotation-service';
import { connectWorkspace } from '../use-cases/workspace-connection';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/**
 * rotation:* — rotate now, paste (manual workspaces), confirm deployed, resume interrupted rotations. Each call builds
 * a RotationService over the unlocked vault; the steps after the new secret is stored report `rotation:progress`.
 */
export function createRotationHandlers({ session, clock, operations, emit }: Pick<HandlerContext, 'session' | 'clock' | 'operations' | 'emit'>): HandlersOf<typeof rotationChannels> {
  const service = (overrides: ClientOverrides = {}) =>
    new RotationService({
      vault: session.requireUnlocked(),
      clock,
      actor: 'app',
      connect: (vault, workspace) => connectWorkspace(vault, workspace, overrides),
      onProgress: (p) => emit('rotation:progress', p),
    });
  // A rotation the user starts from the window can be waited on and cancelled like any remote operation; the journal
  // keeps a cancelled one for the next resume, as it keeps one cut by a crash.
  const remote = <T>(tokenId: string, run: (s: RotationService) => Promise<T>): Promise<T> => {
    const vault = session.requireUnlocked();
    return operations.forWorkspace(vault, vault.tokens.get(tokenId).workspaceId, 'rotate', (overrides) => run(service(overrides)));
  };
  return {
    'rotation:rotate-token': ({ tokenId, expiresAt }) => remote(tokenId, (s) => s.rotate(tokenId, expiresAt === undefined ? {} : { expiresAt })),
    'rotation:paste-secret': ({ tokenId, secret, expiresAt }) => service().pasteSecret(tokenId, secret, expiresAt === undefined ? {} : { expiresAt }),
    'rotation:confirm-deployed': ({ tokenId, graceDays }) => remote(tokenId, (s) => s.confirm(tokenId, graceDays === undefined ? {} : { graceDays })),
    'rotation:resume-all': () => service().resumeAll(),
    'rotation:list-pending': () => service().listPending(),
  };
}
