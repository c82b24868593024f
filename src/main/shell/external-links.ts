/**
 * Hosts whose token pages the app may open in the user's browser: the services it manages. Plain Node, so the rule
 * is tested without Electron.
 */
export const ALLOWED_LINK_HOSTS = [
  'gitlab.com',
  'github.com',
  'dash.cloudflare.com',
  'developers.cloudflare.com',
  'grafana.com',
  'developer.hashicorp.com',
  'platform.openai.com',
  'www.npmjs.com',
  'docs.strapi.io',
  'gitea.com',
  'codeberg.org',
] as const;

/** Only https, no credentials in the URL, and an allow-listed host (or one the user registered as a workspace URL). */
export function isAllowedExternalUrl(raw: string, extraHosts: readonly string[] = []): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  return [...ALLOWED_LINK_HOSTS, ...extraHosts].some((allowed) => host === allowed.toLowerCase());
}
