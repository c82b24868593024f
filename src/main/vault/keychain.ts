/**
 * The vault's second face, for a caller that needs the OS keychain before the vault itself has loaded (the command
 * line's unlock, open-vault.ts). Everything else imports index.ts, which re-exports these.
 */
export { createKeytarKeychain, noKeychain, KEYCHAIN_SERVICE, type Keychain } from './keys/keychain';
export { keychainSlotHint } from './keys/keychain-hint';
