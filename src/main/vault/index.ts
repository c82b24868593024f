/** The vault's public surface: everything outside src/main/vault imports from here. */
export { Vault, type CreateVaultOptions, type OpenVaultOptions } from './vault';
export { createKeytarKeychain, keychainSlotHint, noKeychain, KEYCHAIN_SERVICE, type Keychain } from './keychain';
export { defaultUserDataDir, APP_DIR_NAME, VAULT_FILE_NAME } from '../vault-location';
export { CHEAP_SCRYPT, KDF_FLOOR, calibrateScrypt, deriveKey, scryptMaxmem } from './crypto/vault-crypto';
export * from './db/vault-types';
export type { VaultTargets } from './targets/vault-targets';
export { openUnderSlots, restoreVaultImage, type KeySlotCopy, type VaultImage } from './transfer/vault-backup';
export type { VaultTransfer } from './transfer/vault-transfer';
export * from './sharing/share-records';
export type { VaultSharingStore } from './sharing/vault-sharing';
