import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SharingEngine, type SharingEngineOptions } from '../../../../src/main/use-cases/sharing';
import { FileSharingPort } from './file-sharing-port';

export interface Device {
  name: string;
  port: FileSharingPort;
  engine: SharingEngine;
  dataDir: string;
  storePath: string;
}

/** A temp folder for the whole file, removed after it. */
export function sharingSandbox(prefix = 'tv-share-'): { root: string; bareRepo(name: string): string; device(name: string, options?: Partial<SharingEngineOptions>): Device } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
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
    device(name: string, options: Partial<SharingEngineOptions> = {}) {
      const dir = join(root, 'devices', name);
      mkdirSync(dir, { recursive: true });
      const storePath = join(dir, 'store.json');
      const port = new FileSharingPort(storePath);
      const dataDir = join(dir, 'sharing');
      return { name, port, dataDir, storePath, engine: new SharingEngine({ port, dataDir, deviceName: name, ...options }) };
    },
  };
}

/** Every object in a bare repository, as git stores them (zlib-inflated by cat-file): for the plaintext scan. */
export function allObjectBytes(bareRepo: string): Buffer {
  return execFileSync('git', ['cat-file', '--batch-all-objects', '--batch', '--unordered'], { cwd: bareRepo, maxBuffer: 1 << 30 });
}
