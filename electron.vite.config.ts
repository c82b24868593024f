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

export default defineConfig({
  main: {
    build: {
      // The command line is built beside the app's main process: same vault, same service, plain Node.
      rollupOptions: {
        input: { index: resolve('src/app/index.ts'), cli: resolve('src/cli/main.ts') },
      },
      // zod ships as ~80 small ES modules; resolving them one by one was a third of every CLI start (`run`, `inject`).
      // Bundled, it is one chunk read once.
      externalizeDeps: { exclude: ['zod'] },
    },
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
