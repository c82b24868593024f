import type { ProviderKind } from './provider-capabilities';

/**
 * Where each service documents its tokens, and the page where a user makes one by hand. The window offers these as
 * links; main opens them only through its safe opener, which allows these hosts plus the workspace's own.
 */
export const PROVIDER_HELP_URLS: Readonly<Record<ProviderKind, string | null>> = {
  strapi: 'https://docs.strapi.io/cms/features/api-tokens',
  npm: 'https://docs.npmjs.com/about-access-tokens',
  gitlab: 'https://docs.gitlab.com/user/profile/personal_access_tokens/',
  cloudflare: 'https://developers.cloudflare.com/fundamentals/api/get-started/create-token/',
  grafana: 'https://grafana.com/docs/grafana/latest/administration/service-accounts/',
  vault: 'https://developer.hashicorp.com/vault/docs/concepts/tokens',
  gitea: 'https://docs.gitea.com/development/api-usage',
  openai: 'https://platform.openai.com/docs/api-reference/authentication',
  dockerhub: 'https://docs.docker.com/security/for-developers/access-tokens/',
  vercel: 'https://vercel.com/docs/rest-api/reference/welcome#creating-an-access-token',
  datadog: 'https://docs.datadoghq.com/account_management/api-app-keys/',
  heroku: 'https://devcenter.heroku.com/articles/authentication',
  github: 'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens',
  manual: null,
};

/** Datadog's web app beside its API host: api.datadoghq.com -> app.datadoghq.com, api.us3.datadoghq.com -> us3.datadoghq.com. */
function datadogAppOrigin(base: string | undefined): string | null {
  let host: string;
  try {
    host = new URL(base || 'https://api.datadoghq.com').hostname.toLowerCase();
  } catch {
    return null;
  }
  if (!/(^|\.)(datadoghq\.com|datadoghq\.eu|ddog-gov\.com)$/.test(host)) return null;
  const site = host.replace(/^api\./, '');
  return `https://${site.split('.').length === 2 ? `app.${site}` : site}`;
}

/** GitHub's web pages beside its API: api.github.com -> github.com, GitHub Enterprise's https://host/api/v3 -> https://host. */
function githubWebOrigin(base: string | undefined): string | null {
  if (!base) return 'https://github.com';
  try {
    const url = new URL(base);
    return url.hostname.toLowerCase() === 'api.github.com' ? 'https://github.com' : url.origin;
  } catch {
    return null;
  }
}

/**
 * The page where the user creates a token by hand: the workspace's own setting first, else the service's usual
 * page on the workspace's server (null where the service has none that can be derived).
 */
export function tokenPageUrlOf(workspace: { kind: ProviderKind; baseUrl: string | null; tokenPageUrl: string | null }): string | null {
  if (workspace.tokenPageUrl) return workspace.tokenPageUrl;
  const base = workspace.baseUrl?.replace(/\/+$/, '');
  switch (workspace.kind) {
    case 'gitlab':
      return `${base || 'https://gitlab.com'}/-/user_settings/personal_access_tokens`;
    case 'gitea':
      return base ? `${base}/user/settings/applications` : null;
    case 'cloudflare':
      return 'https://dash.cloudflare.com/profile/api-tokens';
    case 'npm':
      return base && !/registry\.npmjs\.org/.test(base) ? null : 'https://www.npmjs.com/settings/~/tokens';
    case 'openai':
      return 'https://platform.openai.com/api-keys';
    case 'strapi':
      return base ? `${base}/admin/settings/api-tokens` : null;
    case 'grafana':
      return base ? `${base}/org/serviceaccounts` : null;
    case 'dockerhub':
      return 'https://app.docker.com/settings/personal-access-tokens';
    case 'vercel':
      return 'https://vercel.com/account/settings/tokens';
    case 'datadog': {
      const app = datadogAppOrigin(base);
      return app ? `${app}/organization-settings/api-keys` : null;
    }
    case 'heroku':
      return 'https://dashboard.heroku.com/account/applications';
    case 'github': {
      const web = githubWebOrigin(base);
      return web ? `${web}/settings/tokens` : null;
    }
    case 'vault':
    case 'manual':
      return null;
  }
}
