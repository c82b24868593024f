import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SharingEngine, type SharingEngineOptions } from '../../../../src/main/use-cases/sharing';
import { FileSharingPort } from './file-sharing-port';
import { openDeviceVault, VaultSharingDevice } from './vault-sharing-device';

/**
 * Which store is behind the sharing port: 'vault' (default: a real vault file per device, its own `vault.sharing`) or
 * 'file' (TV_SHARING_PORT=file: the JSON stand-in, which shows a failure is the engine's and not the vault's).
 */
export const SHARING_PORT: 'vault' | 'file' = process.env.TV_SHARING_PORT === 'file' ? 'file' : 'vault';

export interface Device {
  name: string;
  port: FileSharingPort | VaultSharingDevice;
  engine: SharingEngine;
  dataDir: string;
  /** The vault file (or the stand-in's JSON file) a child process opens to act as this device. */
  storePath: string;
}

/** A temp folder for the whole file, removed after it. */
export function sharingSandbox(prefix = 'tv-share-'): {
  root: string;
  bareRepo(name: string): string;
  device(name: string, options?: Partial<SharingEngineOptions>): Promise<Device>;
} {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const vaults: VaultSharingDevice[] = [];
  afterAll(() => {
    for (const v of vaults) v.vault.close();
    rmSync(root, { recursive: true, force: true });
  });
  return {
    root,
    bareRepo(name: string) {
      const dir = join(root, 'remotes', `${name}.git`);
      mkdirSync(dir, { recursive: true });
      execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
      // Pushes over git's HTTP need this on the serving side; harmless for path remotes.
      execFileSync('git', ['config', 'http.receivepack', 'true'], { cwd: dir });
      return dir;
    },
    async device(name: string, options: Partial<SharingEngineOptions> = {}) {
      const dir = join(root, 'devices', name);
      mkdirSync(dir, { recursive: true });
      const dataDir = join(dir, 'sharing');
      let port: FileSharingPort | VaultSharingDevice;
      let storePath: string;
      if (SHARING_PORT === 'file') {
        storePath = join(dir, 'store.json');
        port = new FileSharingPort(storePath);
      } else {
        storePath = join(dir, 'vault.db');
        const device = new VaultSharingDevice(await openDeviceVault(storePath));
        vaults.push(device);
        port = device;
      }
      return { name, port, dataDir, storePath, engine: new SharingEngine({ port, dataDir, deviceName: name, ...options }) };
    },
  };
}

/** Every object in a bare repository, as git stores them (zlib-inflated by cat-file): for the plaintext scan. */
export function allObjectBytes(bareRepo: string): Buffer {
  return execFileSync('git', ['cat-file', '--batch-all-objects', '--batch', '--unordered'], { cwd: bareRepo, maxBuffer: 1 << 30 });
}
