import { randomUUID } from 'node:crypto';
import type { OperationDto, OperationKind } from '../../shared/ipc/operations-channels';
import { OperationScope } from '../providers/http/operation-scope';
import { getProvider, serviceName, type ClientOverrides } from '../providers/provider-registry';
import type { Vault } from '../vault';
import type { EmitEvent } from './ports';

interface Running {
  dto: OperationDto;
  scope: OperationScope;
}

/**
 * The remote operations the window started and has not heard the end of. Each gets an OperationScope: the HTTP
 * client announces its waits through it (the window counts them down) and the window can cancel it. Every change
 * is emitted as the whole list (`operations:changed`); the list never holds a secret, a URL or a credential.
 */
export class RemoteOperations {
  private readonly running = new Map<string, Running>();

  constructor(private readonly emit: EmitEvent) {}

  /** Runs `work` as one operation; `overrides` carry its scope to every HTTP client the operation builds. */
  async run<T>(meta: { workspaceId: string | null; service: string; kind: OperationKind }, work: (overrides: ClientOverrides) => Promise<T>): Promise<T> {
    const id = randomUUID();
    const dto: OperationDto = { id, ...meta, waitingUntil: null, cancellable: true };
    const scope = new OperationScope({
      waiting: (until) => {
        const waitingUntil = until === null ? null : new Date(until).toISOString();
        if (dto.waitingUntil === waitingUntil) return;
        dto.waitingUntil = waitingUntil;
        this.changed();
      },
      shielded: () => {
        dto.cancellable = false;
        dto.waitingUntil = null;
        this.changed();
      },
    });
    this.running.set(id, { dto, scope });
    this.changed();
    try {
      return await work({ operation: scope });
    } finally {
      this.running.delete(id);
      this.changed();
    }
  }

  /** One operation on an existing workspace: its service's name comes from the workspace's provider. */
  forWorkspace<T>(vault: Vault, workspaceId: string, kind: OperationKind, work: (overrides: ClientOverrides) => Promise<T>): Promise<T> {
    const workspace = vault.workspaces.get(workspaceId);
    return this.run({ workspaceId, service: serviceName(getProvider(workspace.kind)), kind }, work);
  }

  /** False when the operation has ended or can no longer be cancelled (a create being reconciled). */
  cancel(id: string): boolean {
    const op = this.running.get(id);
    if (!op || !op.scope.cancel()) return false;
    op.dto.cancellable = false;
    this.changed();
    return true;
  }

  list(): OperationDto[] {
    return [...this.running.values()].map((r) => ({ ...r.dto }));
  }

  private changed(): void {
    this.emit('operations:changed', { operations: this.list() });
  }
}
