import type { ProviderKind } from '../../src/shared/provider-capabilities';
import { vaultOf, type AppUnderTest } from './app-fixture';

const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

interface DemoToken {
  name: string;
  prefix: string;
  /** Days from now; null = never expires. */
  expires: number | null;
  created: number;
  used?: number;
  status?: 'active' | 'inactive' | 'revoked' | 'revoked-remote';
  rotateEvery?: number;
  scopes?: string[];
}

/**
 * A vault as a developer who lives in the app would have it: five workspaces on different services, 34 tokens
 * spread over every state (expired, hours left, days left, months left, never, revoked, paused, rotation due).
 * Used by the screenshots and the layout checks, so "before" and "after" show the same data.
 */
const DEMO: Record<string, { kind: ProviderKind; baseUrl?: string; tokens: DemoToken[] }> = {
  'acme-gitlab': {
    kind: 'gitlab',
    baseUrl: 'https://gitlab.acme.dev',
    tokens: [
      { name: 'ci-deploy', prefix: 'glpat-', expires: 0.4, created: -89, used: -0.1, scopes: ['api'] },
      { name: 'release-bot', prefix: 'glpat-', expires: 3, created: -87, used: -2, scopes: ['api', 'write_repository'] },
      { name: 'renovate', prefix: 'glpat-', expires: 26, created: -64, used: -1, scopes: ['api'] },
      { name: 'docs-publisher', prefix: 'glpat-', expires: 60, created: -30, scopes: ['read_api'] },
      { name: 'mirror-sync', prefix: 'glpat-', expires: -4, created: -95, used: -5, scopes: ['read_repository'] },
      { name: 'old-runner', prefix: 'glpat-', expires: 120, created: -200, status: 'revoked', scopes: ['api'] },
      { name: 'registry-pull', prefix: 'glpat-', expires: 300, created: -65, used: -3, scopes: ['read_registry'] },
    ],
  },
  'npm-registry': {
    kind: 'npm',
    baseUrl: 'https://registry.npmjs.org',
    tokens: [
      { name: 'publish-ci', prefix: 'npm_', expires: null, created: -240, used: -4, rotateEvery: 90 },
      { name: 'read-only-mirror', prefix: 'npm_', expires: null, created: -30, used: -0.5 },
      { name: 'legacy-publish', prefix: 'npm_', expires: null, created: -700, status: 'revoked-remote' },
      { name: 'docs-preview', prefix: 'npm_', expires: null, created: -12 },
    ],
  },
  'cloudflare-prod': {
    kind: 'cloudflare',
    baseUrl: 'https://api.cloudflare.com',
    tokens: [
      { name: 'dns-edit', prefix: 'cf_', expires: 6, created: -359, used: -1 },
      { name: 'workers-deploy', prefix: 'cf_', expires: 45, created: -135, used: -0.2 },
      { name: 'cache-purge', prefix: 'cf_', expires: 200, created: -30, status: 'inactive' },
      { name: 'analytics-read', prefix: 'cf_', expires: 14, created: -76, used: -9 },
      { name: 'r2-backup', prefix: 'cf_', expires: 88, created: -2 },
    ],
  },
  'strapi-cms': {
    kind: 'strapi',
    baseUrl: 'https://cms.acme.dev',
    tokens: [
      { name: 'frontend-read', prefix: 'ab12', expires: 29, created: -1, used: -0.05 },
      { name: 'import-script', prefix: 'cd34', expires: 2, created: -88 },
      { name: 'preview-builds', prefix: 'ef56', expires: null, created: -400, used: -30, rotateEvery: 180 },
      { name: 'content-sync', prefix: '9a7b', expires: 81, created: -9 },
      { name: 'search-indexer', prefix: '0c1d', expires: -30, created: -120 },
    ],
  },
  'ops-manual': {
    kind: 'manual',
    tokens: [
      { name: 'stripe-live', prefix: 'sk_live_', expires: null, created: -500, used: -0.3, rotateEvery: 365 },
      { name: 'sendgrid-mail', prefix: 'SG.', expires: 18, created: -347 },
      { name: 'sentry-upload', prefix: 'sntrys_', expires: null, created: -60 },
      { name: 'github-actions', prefix: 'ghp_', expires: 9, created: -81, used: -1 },
      { name: 'datadog-api', prefix: 'dd', expires: 150, created: -215 },
      { name: 'openai-batch', prefix: 'sk-proj-', expires: null, created: -14, used: -0.1 },
      { name: 'pagerduty-events', prefix: 'pd_', expires: 33, created: -332 },
      { name: 'twilio-sms', prefix: 'SK', expires: 1.5, created: -364 },
      { name: 'slack-webhook', prefix: 'xoxb-', expires: null, created: -90, status: 'revoked' },
      { name: 'mapbox-public', prefix: 'pk.', expires: 240, created: -125 },
      { name: 'algolia-admin', prefix: 'alg_', expires: 70, created: -20 },
      { name: 'vercel-deploy', prefix: 'vc_', expires: 5, created: -25, used: -0.4 },
      { name: 'linear-api', prefix: 'lin_api_', expires: null, created: -3 },
    ],
  },
};

export const DEMO_TOKEN_COUNT = Object.values(DEMO).reduce((n, ws) => n + ws.tokens.length, 0);

/** Fills the unlocked vault of `app` with the demo data and reloads the page. */
export async function seedDemoVault(app: AppUnderTest): Promise<void> {
  const vault = vaultOf(app);
  for (const [name, ws] of Object.entries(DEMO)) {
    const workspace = vault.workspaces.create({ kind: ws.kind, name, baseUrl: ws.baseUrl ?? null, adminCredential: ws.kind === 'manual' ? null : 'demo-admin-credential' });
    for (const t of ws.tokens) {
      vault.tokens.storeIssued({
        workspaceId: workspace.id,
        remoteId: ws.kind === 'manual' ? null : `${name}-${t.name}`,
        name: t.name,
        prefix: t.prefix,
        secret: `${t.prefix}${t.name.replace(/-/g, '')}0123456789abcdef`,
        status: t.status ?? 'active',
        createdAt: iso(t.created),
        expiresAt: t.expires === null ? null : iso(t.expires),
        lastUsedAt: t.used === undefined ? null : iso(t.used),
        scopes: t.scopes ?? [],
        rotationPolicy: t.rotateEvery ? { rotateEveryDays: t.rotateEvery, basis: 'last-rotation' } : null,
      });
    }
  }
  await app.page.reload();
  await app.page.getByRole('listbox', { name: 'Tokens' }).waitFor();
}
