// Installs the real test servers (Verdaccio 6.8, Strapi 5.54) from their committed lockfiles, once.
// Idempotent: it installs only when node_modules is missing or older than package-lock.json.
// `npm install --no-save` rather than `npm ci`: the registry reachable here lacks some optional platform packages
// (@swc/core-darwin-*, @rollup/rollup-android-*) that the lockfile names, and `npm ci` refuses any such gap, while
// install resolves the same pinned versions from the lockfile and leaves it untouched.
// Called by scripts/test-all.mjs before vitest (and early by .ci/run); run by hand with `node test/servers/install-servers.mjs`.
// Runs on any Node 18+: CI starts it on the machine's own Node before `npm ci` has brought the project's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// npm runs on the Node that runs this script: the project's Node 22 under `npm test`, the machine's own when CI starts
// it early (node_modules/.bin may be half made by `npm ci` then, so it is not looked at).
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };

/**
 * One install at a time per checkout: CI starts one early, beside the system packages' install, and `npm test` asks
 * again beside the checks; a second npm install into the same node_modules would break both. The lock is a folder
 * holding the installer's pid; a second caller waits for it to go, and takes it over from an installer that died.
 */
const lock = join(here, '.install-lock');
function takeLock() {
  for (let waited = false; ; waited = true) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // just made, pid not written yet
    }
    let alive = holder > 0;
    try {
      if (alive) process.kill(holder, 0);
    } catch {
      alive = false;
    }
    const orphan = holder === 0 && Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 10_000;
    if ((holder > 0 && !alive) || orphan) rmSync(lock, { recursive: true, force: true });
    else {
      if (!waited) process.stdout.write(`another install is running (pid ${holder || '?'}): waiting for it\n`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
}
takeLock();
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));

for (const name of process.argv.slice(2).length ? process.argv.slice(2) : ['verdaccio', 'strapi']) {
  const dir = join(here, name);
  const lock = join(dir, 'package-lock.json');
  const stamp = join(dir, 'node_modules', '.installed-stamp');
  const fresh = existsSync(stamp) && existsSync(lock) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) {
    process.stdout.write(`${name}: installed\n`);
    continue;
  }
  const started = Date.now();
  process.stdout.write(`${name}: npm install ...\n`);
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-progress', '--loglevel=error'], { cwd: dir, env, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`${name}: npm install failed (${r.status})\n`);
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, new Date().toISOString());
  process.stdout.write(`${name}: installed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
