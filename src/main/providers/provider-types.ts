import type { HttpClient } from './http/http-client';

// What a provider is and can do is shared with the renderer (it shows only what the provider can do).
export {
  PROVIDER_KINDS,
  type ProviderKind,
  type ExpiryPreset,
  type ProviderCapabilities,
  type FieldNeed,
  type WorkspaceFieldSpec,
} from '../../shared/provider-capabilities';
import type { ProviderCapabilities, ProviderKind, WorkspaceFieldSpec } from '../../shared/provider-capabilities';
import type { IssuedSecret } from '../../shared/issued-secret';
import type { ErrorCode } from '../../shared/result';
import type { RemoteToken } from './remote-token';
import type { SecretCheck } from '../../shared/secret-check';
export type { SecretCheck } from '../../shared/secret-check';

export type { RemoteStatus } from '../../shared/token-status';
export type { RemoteToken } from './remote-token';
export type { IssuedSecret } from '../../shared/issued-secret';

/**
 * A create whose answer was lost (connection reset or timeout after the request went out): the provider listed the
 * tokens and found it (`token` set, `secret` null: the service showed it once and nobody received it), or did not
 * find it (`token` null): then nobody knows whether it exists, and the user must look at the service.
 */
export interface LostCreate {
  lost: true;
  token: RemoteToken | null;
  message: string;
  /** How the answer was lost: the connection broke (network), no answer in time (timeout), the user cancelled. */
  cause: ErrorCode;
}

export type CreateOutcome = IssuedSecret<RemoteToken> | LostCreate;
export const isLostCreate = (o: CreateOutcome): o is LostCreate => 'lost' in o;

/** What a provider needs to talk to one workspace. Built by use-cases/workspace-connection.ts from the vault. */
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
 * A provider's login (Strapi's admin JWT + refresh cookie, npm's session token). The provider reads and replaces it;
 * the caller persists it encrypted so separate processes reuse it instead of logging in again. ("Session" in Token
 * Vault means the app's open vault only; what a service hands out after a login is a login.)
 */
export interface LoginStore {
  get(): unknown;
  set(login: unknown): Promise<void> | void;
}

export interface ProviderContext {
  workspace: WorkspaceConnection;
  http: HttpClient;
  login: LoginStore;
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

/** What the caller knows of the token whose secret is checked: the type picks the call (Datadog API vs app key). */
export interface SecretCheckHint {
  type?: string | null;
  remoteId?: string | null;
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
  renew?(ctx: ProviderContext, remoteId: string, input?: RenewInput): Promise<IssuedSecret<RemoteToken>>;
  revoke?(ctx: ProviderContext, remoteId: string): Promise<void>;
  setActive?(ctx: ProviderContext, remoteId: string, active: boolean): Promise<void>;
  /**
   * Tries `secret` at its issuer with the cheapest authenticated call (PROVIDERS.md table 4.6). Resolves for every
   * answer and every fault (`unknown`, never `invalid`, when the service did not clearly refuse it).
   */
  checkSecret?(ctx: ProviderContext, secret: string, hint?: SecretCheckHint): Promise<SecretCheck>;
  /** Revokes a token by its secret where the service has no ids to revoke by (GitHub's credential revocation). */
  revokeSecret?(ctx: ProviderContext, secret: string): Promise<void>;
  /** A new expiry for an existing token (capabilities.editExpiry); null = never. Returns the token as it is now. */
  setExpiry?(ctx: ProviderContext, remoteId: string, expiresAt: string | null): Promise<RemoteToken>;
}
