import { AppFailure } from '../../errors';
import type { ExportedToken, Workspace } from '../../vault';
import { DEFAULT_KDBX_OPTIONS, writeKdbx, type KdbxGroupOut, type KdbxWriteOptions } from './formats/kdbx-writer';
import { csvText, dotenvText, type PlainToken } from './formats/plaintext-writers';
import { refuseExisting, writeSecretFile } from './transfer-files';
import type { ExportVault } from './transfer-ports';
import { PLAINTEXT_EXPORT_FORMATS, type ExportFormat, type ExportReport } from './transfer-types';

export interface ExportInput {
  format: ExportFormat;
  path: string;
  /** Replace an existing file at `path`. */
  replace: boolean;
  /** The caller's explicit yes to a file with secrets in clear (.env, CSV). */
  plaintextConfirmed: boolean;
  /** The KeePass database's own password (kdbx only). */
  password?: string;
  /** Only this workspace's tokens (by name). */
  workspace?: string;
  kdbx?: KdbxWriteOptions;
  actor?: string;
}

/**
 * Writes the vault's tokens (with their secrets; each one audited 'exported') to a KeePass database that KeePassXC
 * opens - one group per workspace - or, only when confirmed, to a plaintext .env or CSV file (mode 0600).
 */
export async function exportTokens(vault: ExportVault, input: ExportInput): Promise<ExportReport> {
  const plaintext = PLAINTEXT_EXPORT_FORMATS.includes(input.format);
  if (plaintext && !input.plaintextConfirmed)
    throw new AppFailure('invalid-argument', 'A .env or CSV export holds every secret in plain text: it is written only when asked for explicitly.');
  if (input.format === 'kdbx' && (input.password ?? '').length < 8)
    throw new AppFailure('invalid-argument', 'The KeePass database needs a password of at least 8 characters.');
  refuseExisting(input.path, input.replace);
  let workspaceId: string | undefined;
  if (input.workspace !== undefined) {
    const ws = vault.workspaces.findByName(input.workspace);
    if (!ws) throw new AppFailure('not-found', `No workspace named "${input.workspace}".`);
    workspaceId = ws.id;
  }
  const { workspaces, tokens } = vault.transfer.readForExport({ actor: input.actor ?? 'export', ...(workspaceId ? { workspaceId } : {}) });
  const report: ExportReport = {
    format: input.format,
    path: input.path,
    tokens: tokens.length,
    workspaces: new Set(tokens.map((t) => t.token.workspaceId)).size,
    withoutSecret: tokens.filter((t) => t.secret === null).length,
    skipped: [],
    kdfMs: 0,
  };
  let bytes: Buffer;
  switch (input.format) {
    case 'kdbx': {
      const out = await writeKdbx(kdbxGroups(workspaces, tokens), input.password ?? '', input.kdbx ?? DEFAULT_KDBX_OPTIONS);
      bytes = out.bytes;
      report.kdfMs = Math.round(out.kdfMs);
      break;
    }
    case 'dotenv': {
      const out = dotenvText(plainTokens(workspaces, tokens));
      bytes = Buffer.from(out.text, 'utf8');
      report.skipped = out.skipped;
      break;
    }
    case 'csv':
      bytes = Buffer.from(csvText(plainTokens(workspaces, tokens)), 'utf8');
      break;
  }
  try {
    writeSecretFile(input.path, bytes, { replace: input.replace, plaintext });
  } finally {
    bytes.fill(0);
  }
  return report;
}

// localeCompare builds a collator on every call: sorting 10,000 names with it took an export a third of a second.
// One Intl.Collator orders exactly as localeCompare does (same default locale and options).
const collator = new Intl.Collator();
const byName = <T extends { name: string }>(a: T, b: T) => collator.compare(a.name, b.name);

function kdbxGroups(workspaces: Workspace[], tokens: ExportedToken[]): KdbxGroupOut[] {
  const byWorkspace = new Map<string, ExportedToken[]>();
  for (const t of tokens) {
    const list = byWorkspace.get(t.token.workspaceId);
    if (list) list.push(t);
    else byWorkspace.set(t.token.workspaceId, [t]);
  }
  return [...workspaces].sort(byName).map((ws) => ({
    id: ws.id,
    name: ws.name,
    entries: (byWorkspace.get(ws.id) ?? [])
      .sort((a, b) => byName(a.token, b.token))
      .map(({ token: t, secret }) => ({
        id: t.id,
        title: t.name,
        username: t.description,
        password: secret,
        url: t.url,
        notes: t.notes,
        tags: t.scopes,
        createdAt: t.createdAt,
        expiresAt: t.expiresAt,
        extra: t.status === 'active' ? [] : [['Token Vault status', t.status] as [string, string]],
      })),
  }));
}

function plainTokens(workspaces: Workspace[], tokens: ExportedToken[]): PlainToken[] {
  const names = new Map(workspaces.map((w) => [w.id, w.name]));
  return tokens
    .map(({ token: t, secret }) => ({
      workspace: names.get(t.workspaceId) ?? '',
      name: t.name,
      secret,
      description: t.description,
      url: t.url,
      notes: t.notes,
      tags: t.scopes,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
    }))
    .sort((a, b) => collator.compare(a.workspace, b.workspace) || collator.compare(a.name, b.name));
}
