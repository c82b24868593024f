// `npm run package`: electron-builder with the project's configuration. It downloads Electron and its packaging
// tools (AppImage, fpm, NSIS) the first time; where it cannot, this says so in one sentence, at once, instead of
// a minute of retries and a stack trace. Arguments pass through (`npm run package -- --dir`).
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const OFFLINE_SENTENCE =
  'Packaging needs internet access: electron-builder downloads Electron and its packaging tools (AppImage, fpm, NSIS) the first time, and this machine cannot reach them; connect and run `npm run package` again.';

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|net::ERR_/i;

/** @electron/get's cache, where a downloaded Electron zip stays for later runs. */
function electronCacheDir() {
  if (process.env.ELECTRON_CACHE) return process.env.ELECTRON_CACHE;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
}

function electronZipCached(version) {
  const root = electronCacheDir();
  if (!existsSync(root)) return false;
  const wanted = `electron-v${version}-${process.platform}-`;
  const walk = (dir, depth) =>
    readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? depth < 2 && walk(join(dir, e.name), depth + 1) : e.name.startsWith(wanted)));
  return walk(root, 0);
}

async function reachable(host) {
  try {
    await Promise.race([lookup(host), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000))]);
    return true;
  } catch {
    return false;
  }
}

// keytar's native binary is the one npm installed for this machine (and the config keeps only this machine's
// better-sqlite3 binary): a package for another platform would not start.
const args = process.argv.slice(2);
const asked = { darwin: ['--mac', '-m', '--macos', '-o'], win32: ['--win', '-w', '--windows'], linux: ['--linux', '-l'] };
const foreign = Object.entries(asked).find(([platform, flags]) => platform !== process.platform && args.some((a) => flags.includes(a)));
if (foreign) {
  process.stderr.write(`Package each platform on that platform: this is ${process.platform}, and keytar's native module here is built for it, not for ${foreign[0]}.\n`);
  process.exit(2);
}

const version = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
const probeHost = process.env.TOKEN_VAULT_PACKAGE_PROBE_HOST ?? new URL(process.env.ELECTRON_MIRROR ?? 'https://github.com/').hostname;
if (!electronZipCached(version) && !(await reachable(probeHost))) {
  process.stderr.write(`${OFFLINE_SENTENCE}\n`);
  process.exit(1);
}

const child = spawn(process.execPath, ['node_modules/electron-builder/cli.js', '--config', 'electron-builder.config.cjs', ...args], { stdio: ['inherit', 'pipe', 'pipe'] });
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  // electron-builder prints its progress here; a failure's stack trace is held back until we know what it was.
  if (!NETWORK.test(String(chunk))) process.stdout.write(chunk);
});
child.stderr.on('data', (chunk) => (output += chunk));
child.on('close', (code) => {
  if (code === 0) process.exit(0);
  process.stderr.write(NETWORK.test(output) ? `\n${OFFLINE_SENTENCE}\n` : output);
  process.exit(code ?? 1);
});
