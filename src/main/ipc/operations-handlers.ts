import type { operationsChannels } from '../../shared/ipc/operations-channels';
import type { HandlerContext } from './handler-context';
import type { HandlersOf } from './handlers';

/** operations:cancel — the window cancels a remote operation it sees waiting or under way. */
export function createOperationsHandlers({ operations }: Pick<HandlerContext, 'operations'>): HandlersOf<typeof operationsChannels> {
  return {
    'operations:cancel': ({ operationId }) => ({ cancelled: operations.cancel(operationId) }),
  };
}
