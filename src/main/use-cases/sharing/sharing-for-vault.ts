import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Vault } from '../../vault';
import { SharingEngine, type SharingEngineOptions } from './sharing-engine';

/**
 * Where a vault's sharing repositories live: beside the vault file, one folder per vault (its id), so two vaults in
 * one folder never share a clone, and the app and the command line on one vault always use the same clones (their
 * lock file is what keeps their syncs apart).
 */
export function sharingDataDir(vault: Vault): string {
  return join(dirname(vault.path), 'sharing', vault.id);
}

/** The sharing engine of an open vault: the vault is its port (`vault.sharing`). */
export function sharingEngineFor(vault: Vault, options: Partial<Omit<SharingEngineOptions, 'port' | 'dataDir'>> = {}): SharingEngine {
  return new SharingEngine({ port: vault.sharing, dataDir: sharingDataDir(vault), deviceName: hostname(), ...options });
}
