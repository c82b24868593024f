import { z } from 'zod';
import { returns } from './define-channel';

/** What a remote operation is doing at the service, for the window to say ("Creating a token at GitLab"). */
export const OPERATION_KINDS = ['create', 'regenerate', 'revoke', 'set-active', 'sync', 'connect', 'rotate'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * A call to a remote service in flight, as the window may know it: never a secret, a URL or a credential. While the
 * service has asked to wait (a 429's Retry-After, a pause between retries), `waitingUntil` says until when.
 */
export interface OperationDto {
  id: string;
  /** Null while a workspace is being added (it has no id until the service accepted its credential). */
  workspaceId: string | null;
  /** The service's name as users know it ("GitLab"). */
  service: string;
  kind: OperationKind;
  /** ISO time the next request goes out; null while a request is under way. */
  waitingUntil: string | null;
  /**
   * False once the request of a create went out and was cancelled: the service may have issued a secret, so the
   * tokens are listed to find it, and that cannot be cancelled.
   */
  cancellable: boolean;
}

export const operationsChannels = {
  /**
   * Aborts an operation: a request not yet sent is never sent; one under way is dropped (a create whose request went
   * out is then reconciled by listing, as a lost answer). `cancelled` is false when the operation had already ended.
   */
  'operations:cancel': returns<{ cancelled: boolean }>().takes(z.object({ operationId: z.string().min(1).max(100) }).strict()),
} as const;

export interface OperationsEvents {
  /** The remote operations in flight changed (one started, ended, began or stopped waiting): the whole list. */
  'operations:changed': { operations: OperationDto[] };
}
