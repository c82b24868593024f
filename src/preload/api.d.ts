import type { TokenVaultApi } from '../shared/ipc-contract';

declare global {
  interface Window {
    /** Exposed by the preload (or by the end-to-end bridge, which builds it the same way). */
    readonly tokenVault: TokenVaultApi;
  }
}
