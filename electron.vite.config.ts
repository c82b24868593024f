import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from './src/main/shell/window-security';

/**
 * `npm run dev` only (apply: 'serve'): the dev server injects <style> elements and React Refresh's inline preamble,
 * which the shipped policy blocks; this rewrites the page's meta policy to allow exactly those. A build never runs
 * it, and test/main/shell/dev-csp.test.ts checks both the built page and a real dev server in Chromium.
 */
export function devContentSecurityPolicy(): Plugin {
  return {
    name: 'token-vault:dev-csp',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const dev = contentSecurityPolicy('dev', { inlineScripts: [react.preambleCode.replace('__BASE__', '/')] });
        if (!html.includes(CONTENT_SECURITY_POLICY)) throw new Error('index.html no longer carries CONTENT_SECURITY_POLICY');
        return html.replace(CONTENT_SECURITY_POLICY, dev);
      },
    },
  };
}

/**
 * Node's built-in modules taken with `process.getBuiltinModule` (Node 22.3, so Electron 45 too) instead of `import`:
 * importing a built-in as an ES module builds a facade that reads every export, and the lazy ones load whole
 * subsystems on the spot (node:util's TextDecoder pulls in util's colours, assert's diff and a stderr stream; node:fs's
 * ReadStream the streams). That was 10-15 ms of every command-line start. Rollup writes each such import on one line,
 * `import { a, b as c } from "node:x";`, which becomes `const { a, b: c } = process.getBuiltinModule("node:x");`.
 * A `const` is not hoisted as an import is, so a chunk in an import cycle keeps its imports (none is today).
 */
export function builtinsWithoutFacades(): Plugin {
  return {
    name: 'token-vault:builtins-without-facades',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
      const importsOf = new Map(chunks.map((c) => [c.fileName, [...c.imports, ...c.dynamicImports]]));
      const inCycle = (start: string): boolean => {
        const seen = new Set<string>();
        const stack = [...(importsOf.get(start) ?? [])];
        while (stack.length > 0) {
          const next = stack.pop() as string;
          if (next === start) return true;
          if (seen.has(next)) continue;
          seen.add(next);
          stack.push(...(importsOf.get(next) ?? []));
        }
        return false;
      };
      for (const chunk of chunks) {
        if (inCycle(chunk.fileName)) continue;
        chunk.code = chunk.code.replace(/^import \{([^}]*)\} from "(node:[a-z_/]+)";$/gm, (_all, names: string, id: string) => {
          const bindings = names.split(',').map((n) => n.trim().replace(/^(\S+) as (\S+)$/, '$1: $2'));
          return `const { ${bindings.join(', ')} } = process.getBuiltinModule(${JSON.stringify(id)});`;
        });
      }
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // The command line is built beside the app's main process: same vault, same service, plain Node.
      rollupOptions: {
        input: { index: resolve('src/app/index.ts'), cli: resolve('src/cli/main.ts') },
      },
      // zod ships as ~80 small ES modules; resolving them one by one was a third of every CLI start (`run`, `inject`).
      // Bundled, it is one chunk read once.
      externalizeDeps: { exclude: ['zod', 'better-sqlite3'] },
    },
    plugins: [builtinsWithoutFacades()],
  },
  preload: {
    build: {
      // A sandboxed preload cannot be an ES module.
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
      // A sandboxed preload can only require('electron'): bundle everything else into it.
      externalizeDeps: { exclude: ['zod'] },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    // electron-vite leaves the renderer unminified; a smaller bundle parses faster at every window start.
    build: { minify: true, rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [react(), devContentSecurityPolicy()],
  },
});
