import type { ImportRecord } from '../src/main/vault';

const DAY = 86_400_000;

/**
 * N tokens for the window benchmarks, dated around now so expiry warnings and rotation reminders really apply:
 * 50 workspaces, a fifth never expiring, the rest expiring from 20 days ago to a year ahead.
 */
export function syntheticTokens(n: number): ImportRecord[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    workspace: `workspace-${i % 50}`,
    name: `service-${i % 997}-token-${i}`,
    secret: `tv_${i.toString(36)}_${'x'.repeat(24)}`,
    prefix: 'tv_',
    notes: i % 7 === 0 ? 'rotated by ops' : null,
    createdAt: new Date(now - (i % 700) * DAY).toISOString(),
    expiresAt: i % 5 === 0 ? null : new Date(now + ((i % 400) - 20) * DAY).toISOString(),
  }));
}
