import { randomUUID } from 'node:crypto';
import { contextFor, getProvider, memoryLogin, type ClientOverrides } from '../../../src/main/providers/provider-registry';
import type { ProviderContext, ProviderKind } from '../../../src/main/providers/provider-types';

/** A provider context for a test server: a fresh workspace id (own rate-limit bucket), fast backoff. */
export function connect(
  kind: ProviderKind,
  baseUrl: string,
  creds: { username?: string; adminSecret?: string; options?: Record<string, string> },
  overrides: ClientOverrides = {},
): ProviderContext & { login: ReturnType<typeof memoryLogin> } {
  const provider = getProvider(kind);
  const login = memoryLogin();
  const ctx = contextFor(
    provider,
    { id: randomUUID(), name: `${kind}-test`, baseUrl, username: creds.username ?? null, adminSecret: creds.adminSecret ?? null, options: creds.options ?? {} },
    login,
    { backoffBaseMs: 5, timeoutMs: 5_000, ...overrides },
  );
  return { ...ctx, login };
}
