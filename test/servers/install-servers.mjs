// Installs the real test servers (Verdaccio 6.8, Strapi 5.54) from their committed lockfiles, once.
// Idempotent: it installs only when node_modules is missing or older than package-lock.json.
// `npm install --no-save` rather than `npm ci`: the registry reachable here lacks some optional platform packages
// (@swc/core-darwin-*, @rollup/rollup-android-*) that the lockfile names, and `npm ci` refuses any such gap, while
// install resolves the same pinned versions from the lockfile and leaves it untouched.
// Called by scripts/test-all.mjs before vitest; run by hand with `node test/servers/install-servers.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// npm from the project's Node 22 (node_modules/.bin first on PATH), as the brief requires.
const binDir = join(here, '..', '..', 'node_modules', '.bin');
const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}` };

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
