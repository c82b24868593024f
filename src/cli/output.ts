import type { TokenSummary, Workspace } from '../main/vault';
import type { CliContext } from './cli-command';

// What the command line prints: JSON for scripts, aligned tables for people. Secrets are printed by the commands
// that issue or get them, alone on stdout, and nowhere else.

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** A plain aligned table; empty cells show as '-'. */
export function printTable(ctx: CliContext, headers: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  let out = line(headers) + '\n';
  for (const r of cells) out += line(r) + '\n';
  ctx.stdout.write(out);
}

/** `2030-01-31` from an ISO instant; 'never' for null. */
export const day = (iso: string | null): string => (iso === null ? 'never' : iso.slice(0, 10));

/** The JSON shape of a token for `--json` (never a secret). */
export function tokenJson(t: TokenSummary, workspaces: Map<string, Workspace> | Workspace[]) {
  const byId = Array.isArray(workspaces) ? new Map(workspaces.map((w) => [w.id, w])) : workspaces;
  return { ...t, workspace: byId.get(t.workspaceId)?.name ?? null };
}
