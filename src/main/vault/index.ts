/** The vault's public surface: everything outside src/main/vault imports from here. */
export { Vault, type CreateVaultOptions, type OpenVaultOptions } from './vault';
export { createKeytarKeychain, noKeychain, KEYCHAIN_SERVICE, type Keychain } from './keychain';
export { defaultUserDataDir, resolveVaultPath, APP_DIR_NAME, VAULT_FILE_NAME } from './vault-location';
export { CHEAP_SCRYPT, calibrateScrypt } from './vault-crypto';
export { checkVaultImage, openUnderSlots, replaceVaultFile, type KeySlotCopy, type VaultImage } from './vault-backup';
export * from './vault-types';
