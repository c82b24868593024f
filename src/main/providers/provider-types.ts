import type { HttpClient } from './http-client';

/** Every service Token Vault manages tokens on. `manual` has no admin API. */
export const PROVIDER_KINDS = ['strapi', 'npm', 'gitlab', 'cloudflare', 'grafana', 'vault', 'gitea', 'openai', 'manual'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Status of a token as the service reports it (`revoked` also when the service says so explicitly). */
export type RemoteStatus = 'active' | 'inactive' | 'expired' | 'revoked';

/** One token as a service lists it, normalised. Never holds the secret. */
export interface RemoteToken {
  /** The service's id (Vault: accessor; npm: key; composite ids like `sa:12/tok:5` where the service nests them). */
  remoteId: string;
  /** The service's name, or a made-up one where the service has none (npm); see capabilities.remoteNames. */
  name: string;
  description: string | null;
  /** A masked or partial form of the secret the service shows (`MzUxM...wZTI=`, `…a1b2c3d4`), if any. */
  masked: string | null;
  /** Token type the service knows (Strapi `read-only`, GitLab `project`, OpenAI `admin`...). */
  type: string | null;
  scopes: string[];
  createdAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  usageCount: number | null;
  status: RemoteStatus;
}

/** A freshly issued secret together with the token it belongs to. Shown once; the caller stores it first. */
export interface IssuedToken {
  token: RemoteToken;
  secret: string;
}

/**
 * A create whose answer was lost (connection reset or timeout after the request went out): the provider listed the
 * tokens and found it (`token` set, `secret` null: the service showed it once and nobody received it), or did not
 * find it (`token` null): then nobody knows whether it exists, and the user must look at the service.
 */
export interface LostCreate {
  lost: true;
  token: RemoteToken | null;
  message: string;
}

export type CreateOutcome = IssuedToken | LostCreate;
export const isLostCreate = (o: CreateOutcome): o is LostCreate => 'lost' in o;

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
  /** Strapi: regenerate keeps the old expiresAt; a new lifetime needs a new token (re-create). */
  renewKeepsExpiry: boolean;
  revoke: boolean;
  /** `token`: per token (Cloudflare). `service-account`: the switch is on the group the token belongs to (Grafana). */
  activate: 'none' | 'token' | 'service-account';
  /**
   * `presets`: only `presets` are accepted (Strapi). `date`: any day (GitLab, Cloudflare). `seconds`: a duration
   * (Grafana, Vault, OpenAI service accounts). `none`: tokens never expire at the service (Gitea, npm).
   */
  expiry: 'presets' | 'date' | 'seconds' | 'none';
  expiryPresets: ExpiryPreset[];
  /** Expiry is required by the service (GitLab with mandatory expiry): the UI must not offer "never". */
  expiryRequired: boolean;
  /** Token types offered at create (`read-only`, `full-access`...); empty = one kind only. */
  types: string[];
  /** Known scopes / permissions; `freeScopes` = other values are accepted too. */
  scopes: string[];
  freeScopes: boolean;
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

/** What a provider needs to talk to one workspace. Built by the workspace service from the vault. */
export interface WorkspaceConnection {
  /** Stable id of the workspace (rate limiter key, logs). */
  id: string;
  name: string;
  baseUrl: string;
  username: string | null;
  adminSecret: string | null;
  options: Record<string, string>;
}

/**
 * A provider's login session (Strapi JWT + refresh cookie, npm session token). The provider reads and replaces it;
 * the caller persists it encrypted so separate processes reuse it instead of logging in again.
 */
export interface SessionStore {
  get(): unknown;
  set(session: unknown): Promise<void> | void;
}

export interface ProviderContext {
  workspace: WorkspaceConnection;
  http: HttpClient;
  session: SessionStore;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface CreateTokenInput {
  name: string;
  description?: string;
  /** ISO date/time the token should expire; null = never (where allowed). */
  expiresAt?: string | null;
  /** Preset id from capabilities.expiryPresets (takes precedence for `presets` services). */
  expiryPreset?: string;
  type?: string;
  scopes?: string[];
}

export interface RenewInput {
  /** GitLab rotate / Cloudflare roll may take a new expiry. */
  expiresAt?: string | null;
}

export interface Provider {
  kind: ProviderKind;
  label: string;
  capabilities: ProviderCapabilities;
  fields: WorkspaceFieldSpec;
  /** Requests per second and burst for the per-workspace limiter (from the service's documented limits). */
  rateLimit: { perSecond: number; burst: number };
  /** Checks the admin credential (logging in where the service has sessions); returns who we are. */
  verify(ctx: ProviderContext): Promise<{ account: string }>;
  /** Every token, every page. */
  list(ctx: ProviderContext): Promise<RemoteToken[]>;
  /** Never retried automatically; a lost answer is reconciled by listing. */
  create(ctx: ProviderContext, input: CreateTokenInput): Promise<CreateOutcome>;
  /** regenerate / rotate / roll (capabilities.renew). The returned token may carry a new remoteId (GitLab). */
  renew?(ctx: ProviderContext, remoteId: string, input?: RenewInput): Promise<IssuedToken>;
  revoke?(ctx: ProviderContext, remoteId: string): Promise<void>;
  setActive?(ctx: ProviderContext, remoteId: string, active: boolean): Promise<void>;
}
