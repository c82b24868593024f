import { AppFailure } from '../errors';
import { cloudflareProvider } from './cloudflare-provider';
import { datadogProvider } from './datadog-provider';
import { dockerhubProvider } from './dockerhub-provider';
import { giteaProvider } from './gitea-provider';
import { githubProvider } from './github-provider';
import { gitlabProvider } from './gitlab-provider';
import { grafanaProvider } from './grafana-provider';
import { herokuProvider } from './heroku-provider';
import { HttpClient, type HttpClientOptions } from './http/http-client';
import { manualProvider } from './manual-provider';
import { npmProvider } from './npm-provider';
import { LIST_TOKEN_CAP } from './pagination';
import { openaiProvider } from './openai-provider';
import type { Provider, ProviderContext, ProviderKind, LoginStore, WorkspaceConnection } from './provider-types';
import { PROVIDER_KINDS } from './provider-types';
import { strapiProvider } from './strapi-provider';
import { vaultProvider } from './vault-provider';
import { vercelProvider } from './vercel-provider';

const PROVIDERS: Record<ProviderKind, Provider> = {
  strapi: strapiProvider,
  npm: npmProvider,
  gitlab: gitlabProvider,
  cloudflare: cloudflareProvider,
  grafana: grafanaProvider,
  vault: vaultProvider,
  gitea: giteaProvider,
  openai: openaiProvider,
  dockerhub: dockerhubProvider,
  vercel: vercelProvider,
  datadog: datadogProvider,
  heroku: herokuProvider,
  github: githubProvider,
  manual: manualProvider,
};

export const isProviderKind = (kind: string): kind is ProviderKind => (PROVIDER_KINDS as readonly string[]).includes(kind);

export function getProvider(kind: string): Provider {
  if (!isProviderKind(kind)) throw new AppFailure('invalid-argument', `Unknown provider "${kind}". Use one of: ${PROVIDER_KINDS.join(', ')}.`);
  return PROVIDERS[kind];
}

export const listProviders = (): Provider[] => PROVIDER_KINDS.map((k) => PROVIDERS[k]);

/** A login store that lives only in memory (tests, one-shot use). */
export function memoryLogin(initial: unknown = null): LoginStore & { value: unknown } {
  const store = {
    value: initial,
    get: () => store.value,
    set: (s: unknown) => {
      store.value = s;
    },
  };
  return store;
}

export type ClientOverrides = Partial<Omit<HttpClientOptions, 'service' | 'baseUrl' | 'workspaceId'>>;

/** Everything a provider call needs for one workspace: its HTTP client (and rate-limit bucket) and login store. */
export function contextFor(provider: Provider, workspace: WorkspaceConnection, login: LoginStore = memoryLogin(), overrides: ClientOverrides = {}, signal?: AbortSignal): ProviderContext {
  const baseUrl = workspace.baseUrl || provider.fields.defaultBaseUrl || 'http://127.0.0.1/';
  const http = new HttpClient({
    service: provider.label.split(' (')[0] ?? provider.label,
    baseUrl,
    workspaceId: workspace.id,
    rateLimit: provider.rateLimit,
    // One answer never lists more tokens than a whole sync may hold.
    maxListItems: LIST_TOKEN_CAP,
    ...overrides,
  });
  return { workspace, http, login, ...(signal ? { signal } : {}) };
}
