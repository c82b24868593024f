// Where the Electron binary is, without triggering the electron package's download-on-first-use.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function findElectronBinary(root = process.cwd()) {
  const dir = resolve(root, 'node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { path: join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron') };
  }
  if (!existsSync(pathFile)) {
    return { reason: 'the Electron binary is not downloaded (node_modules/electron/path.txt is missing)' };
  }
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { reason: `the Electron binary is missing at ${binary}` };
}
