import { PROVIDER_HELP_URLS, tokenPageUrlOf } from '../../shared/provider-links';
import type { ProviderKind } from '../../shared/provider-capabilities';

/**
 * Which links the app may hand to the user's browser. Plain Node, so the rule is tested without Electron; the shell's
 * safe opener is the only caller of shell.openExternal and asks here first.
 */
const hostOf = (url: string | null | undefined): string | null => {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
};

/** Hosts any link may go to: the services' documentation and their usual token pages. */
export const ALLOWED_LINK_HOSTS: readonly string[] = [
  ...new Set([
    ...Object.values(PROVIDER_HELP_URLS).flatMap((u) => hostOf(u) ?? []),
    'gitlab.com',
    'github.com',
    'gitea.com',
    'codeberg.org',
    'dash.cloudflare.com',
    'www.npmjs.com',
    'platform.openai.com',
    'app.docker.com',
    'vercel.com',
    'app.datadoghq.com',
    'app.datadoghq.eu',
    'dashboard.heroku.com',
  ]),
];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * https only, no credentials in the URL, and an allow-listed host or one of `extraHosts` (a workspace's own). Plain
 * http only to a loopback host the workspace itself names (a Strapi on localhost:1337 while developing).
 */
export function isAllowedExternalUrl(raw: string, extraHosts: readonly string[] = []): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  const extra = extraHosts.map((h) => h.toLowerCase());
  if (url.protocol === 'http:') return LOOPBACK.has(host) && extra.includes(host);
  if (url.protocol !== 'https:') return false;
  return ALLOWED_LINK_HOSTS.includes(host) || extra.includes(host);
}

/** A workspace's own hosts: its server, its token page (set or derived). */
export function workspaceLinkHosts(workspace: { kind: ProviderKind; baseUrl: string | null; tokenPageUrl: string | null }): string[] {
  return [hostOf(workspace.baseUrl), hostOf(workspace.tokenPageUrl), hostOf(tokenPageUrlOf(workspace))].filter((h): h is string => h !== null);
}
