import { createHash } from 'node:crypto';

/**
 * The Content-Security-Policy of the app's page, per mode. Plain Node, tested without Electron.
 * - build: what ships. src/renderer/index.html carries it as a meta tag (file:// pages have no response headers);
 *   test/main/shell/window-options.security.test.ts checks the source and the built page say exactly this.
 * - dev: `npm run dev` only. Vite's dev server injects `<style>` elements for every CSS import and one inline
 *   module script (React Refresh's preamble); the dev-only plugin in electron.vite.config.ts rewrites the meta tag
 *   to allow those two, and never runs in a build.
 * `frame-ancestors` is ignored in a meta tag, so it is sent only as a header, where there are headers (the dev
 * server's responses, and the end-to-end server's).
 */
const BASE: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'object-src': ["'none'"],
};

const serialize = (policy: Record<string, string[]>) =>
  Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');

export type CspMode = 'build' | 'dev';

/** `inlineScripts`: the exact text of inline scripts the dev server injects, allowed by hash. */
export function contentSecurityPolicy(mode: CspMode, options: { inlineScripts?: readonly string[] } = {}): string {
  if (mode === 'build') return serialize(BASE);
  const hashes = (options.inlineScripts ?? []).map((text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  return serialize({
    ...BASE,
    'script-src': [...(BASE['script-src'] ?? []), ...hashes],
    'style-src': [...(BASE['style-src'] ?? []), "'unsafe-inline'"],
  });
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy('build');

/**
 * What only a header can say. The app's session sends it as a policy of its own beside the page's meta policy (a
 * page obeys both), so the header never has to repeat, or contradict, the meta tag's mode.
 */
export const FRAME_ANCESTORS_POLICY = "frame-ancestors 'none'";

/** The page's policy and the header-only part as one header (the end-to-end server, which has headers). */
export const cspHeader = (policy: string): string => `${policy}; ${FRAME_ANCESTORS_POLICY}`;

/**
 * SECURITY: the page asks for no permission the app grants: not the clipboard (copies go through main, which
 * clears them), not notifications (main shows them), not media, geolocation or anything else. The Electron
 * session and the end-to-end bridge both install this one decision.
 */
export function allowPermission(_permission: string): boolean {
  return false;
}
