// `npm run dev` needs the Electron binary, which the electron package fetches on first use. Fetch it now, or say
// clearly why the app cannot start here (everything else - build, tests, the command line - works without it).
import { spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

if (findElectronBinary().path) process.exit(0);
console.log('Fetching the Electron binary (once per install)...');
const run = spawnSync(process.execPath, ['node_modules/electron/install.js'], { stdio: 'inherit', timeout: 300_000 });
const found = findElectronBinary();
if (run.status === 0 && found.path) process.exit(0);
console.error(
  [
    '',
    'Token Vault cannot start: the Electron binary could not be downloaded.',
    `Reason: ${found.reason ?? 'the download failed'}.`,
    'On a machine with internet access run `npx install-electron`, then `npm run dev` again.',
    'Without Electron you can still use `npm run build`, `npm test` and the command line (`npx token-vault --help`).',
  ].join('\n'),
);
process.exit(1);
