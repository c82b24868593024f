/**
 * What each remote service lets Token Vault do, declared by its provider module in src/main/providers and shown by
 * the renderer, which offers only those actions and asks only for those fields.
 */

/** Every service Token Vault manages tokens on. `manual` has no admin API. */
export const PROVIDER_KINDS = ['strapi', 'npm', 'gitlab', 'cloudflare', 'grafana', 'vault', 'gitea', 'openai', 'dockerhub', 'vercel', 'datadog', 'heroku', 'github', 'manual'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface ExpiryPreset {
  id: string;
  label: string;
  /** Seconds from now; null = never expires. */
  seconds: number | null;
}

export interface ProviderCapabilities {
  create: boolean;
  list: boolean;
  /**
   * How the service renews a secret in place: `regenerate` (same token, new secret: Strapi), `rotate` (new token id
   * + secret, old revoked: GitLab), `roll` (Cloudflare), or `none` (the app rotates by create -> confirm -> revoke).
   */
  renew: 'regenerate' | 'rotate' | 'roll' | 'none';
  /** Strapi: regenerate keeps the old expiresAt; a new lifetime needs a new token (re-create). Cloudflare's roll too. */
  renewKeepsExpiry: boolean;
  /**
   * GitLab: a rotate sends a new expiry date; without one the service sets its default (1 week when expiry is
   * mandatory). The window always sends one the user saw, defaulting to the token's current expiry.
   */
  renewDefaultExpiryDays: number | null;
  revoke: boolean;
  /** `token`: per token (Cloudflare). `service-account`: the switch is on the group the token belongs to (Grafana). */
  activate: 'none' | 'token' | 'service-account';
  /**
   * `presets`: only `presets` are accepted (Strapi). `date`: any day (GitLab, Cloudflare). `seconds`: a duration
   * (Grafana, Vault, OpenAI service accounts). `none`: tokens never expire at the service (Gitea, npm).
   */
  expiry: 'presets' | 'date' | 'seconds' | 'none';
  expiryPresets: ExpiryPreset[];
  /**
   * An existing token's expiry can be changed: by the service (Cloudflare: PUT expires_on) or, for manual workspaces,
   * in the vault alone. Elsewhere a new expiry takes a new token (GitLab's rotate takes one).
   */
  editExpiry: boolean;
  /** Expiry is required by the service (GitLab with mandatory expiry): the UI must not offer "never". */
  expiryRequired: boolean;
  /** Token types offered at create (`read-only`, `full-access`...); empty = one kind only. */
  types: string[];
  /** Known scopes / permissions; `freeScopes` = other values are accepted too. */
  scopes: string[];
  freeScopes: boolean;
  /** A new token needs at least one scope (GitLab): the user picks it; the service never gets a silent default. */
  scopesRequired: boolean;
  lastUsed: boolean;
  usage: boolean;
  /** The service keeps token names; when false the app keeps the name (npm, Vault via meta is an exception). */
  remoteNames: boolean;
  /** A human note shown beside the capabilities (quirks the user should know). */
  notes: string[];
}

export type FieldNeed = 'required' | 'optional' | 'unused';

/** What a workspace of this provider asks the user for. */
export interface WorkspaceFieldSpec {
  baseUrl: FieldNeed;
  defaultBaseUrl?: string;
  username: FieldNeed;
  usernameLabel?: string;
  adminSecret: FieldNeed;
  adminSecretLabel?: string;
  tokenPageUrl: FieldNeed;
  /** Extra settings (GitLab projects/groups, OpenAI project ids, Grafana...): name -> help text. */
  options?: Record<string, string>;
}

/** What a renew in place does to the expiry, so every confirmation can say it before it happens. */
export type RenewExpiry = 'keeps' | 'takes-date' | 'service-decides';

export function renewExpiry(c: Pick<ProviderCapabilities, 'renew' | 'renewKeepsExpiry' | 'expiry'>): RenewExpiry {
  if (c.renewKeepsExpiry) return 'keeps';
  if (c.renew === 'rotate' && c.expiry === 'date') return 'takes-date';
  return 'service-decides';
}
