// Child processes of the tests (kill -9 and race fixtures) import our TypeScript through this.
// vite's runnerImport transforms the whole import graph again in every process: ~1-2 s of CPU per child, and the
// crash tests start dozens. Here the entry is bundled once (vite build, SSR: our code in one ES module, packages and
// Node built-ins left as imports) into node_modules/.cache, under a key that changes when any source file does; every
// later child imports that file. The code that runs is the same modules, built by the same vite; only the loading differs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'token-vault-child-bundles');

/** Folders no child imports from, and where test runs write (the real servers' installs and data). */
const SKIP = new Set(['test/servers', 'test/e2e']);

/** Every source file's path, size and mtime under `dir`. */
function fingerprint(dir, hash) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || SKIP.has(relative(ROOT, p))) continue;
    if (entry.isDirectory()) fingerprint(p, hash);
    else if (/\.(ts|tsx|mts|js|mjs|json|sql)$/.test(entry.name)) {
      const s = statSync(p);
      hash.update(`${relative(ROOT, p)}\0${s.size}\0${s.mtimeMs}\n`);
    }
  }
}

/** The module at `entry` (a .ts path), as `(await runnerImport(entry)).module` would give it. */
export async function importForChild(entry) {
  const hash = createHash('sha256').update(relative(ROOT, entry)).update('\n');
  for (const dir of ['src', 'test']) fingerprint(join(ROOT, dir), hash);
  const key = hash.digest('hex').slice(0, 24);
  const bundle = join(CACHE, key, 'bundle.mjs');
  if (!existsSync(bundle)) {
    // Built aside and renamed into place: children starting together may each build; the first rename wins.
    const aside = join(CACHE, `${key}.${process.pid}.${Date.now()}`);
    mkdirSync(CACHE, { recursive: true });
    const { build } = await import('vite');
    await build({
      configFile: false,
      root: ROOT,
      logLevel: 'silent',
      build: {
        ssr: entry,
        outDir: aside,
        emptyOutDir: true,
        minify: false,
        target: 'node22',
        rollupOptions: { output: { format: 'es', entryFileNames: 'bundle.mjs' } },
      },
    });
    try {
      renameSync(aside, join(CACHE, key));
    } catch {
      rmSync(aside, { recursive: true, force: true }); // another child's build got there first
    }
  }
  return import(pathToFileURL(bundle).href);
}
