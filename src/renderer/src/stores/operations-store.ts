import { create } from 'zustand';
import type { OperationDto } from '../../../shared/ipc/operations-channels';

export interface OperationsState {
  /** The remote operations main is running for this window, as main last announced them. */
  operations: OperationDto[];
}

export interface OperationsActions {
  changed(operations: OperationDto[]): void;
  /** Asks main to abort one; main announces the new list, so nothing changes here until it does. */
  cancel(operationId: string): Promise<void>;
}

export const useOperations = create<OperationsState & OperationsActions>((set) => ({
  operations: [],
  changed: (operations) => set({ operations }),
  cancel: async (operationId) => {
    // A cancel that comes too late (the operation ended) is not an error: the outcome arrives on its own.
    await window.tokenVault.operations.cancel({ operationId });
  },
}));
