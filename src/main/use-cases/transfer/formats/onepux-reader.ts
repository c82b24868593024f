import { strFromU8, unzipSync } from 'fflate';
import { z } from 'zod';
import type { ReadResult, SourceEntry } from '../transfer-types';
import { looseDate, orNull, unreadable } from './format-support';

/**
 * 1Password 1PUX (1Password 8 "1Password Unencrypted Export"): a zip with export.attributes and export.data, a JSON
 * tree accounts -> vaults -> items (https://support.1password.com/1pux-format/). Shapes as 1Password writes them,
 * e.g. the items in Bitwarden's importer test data (bitwarden/clients, libs/importer spec test-data/onepassword-1pux).
 * Login, Password, API Credential, Server, Database, Email and Wireless Router items carry a secret; others
 * (cards, identities, notes, documents, SSH keys) are skipped as not-a-credential.
 */
const CREDENTIAL_CATEGORIES = new Set(['001', '005', '102', '109', '110', '111', '112']);
/** Refuse a zip that claims to unpack to more than this (a zip bomb, or not an export). */
const MAX_UNPACKED = 256 * 1024 * 1024;

const Field = z.object({
  title: z.string().optional(),
  id: z.string().optional(),
  value: z.record(z.string(), z.unknown()).optional(),
});
const Item = z.object({
  uuid: z.string(),
  createdAt: z.number().optional(),
  state: z.string().optional(),
  trashed: z.boolean().optional(),
  categoryUuid: z.string(),
  details: z
    .object({
      loginFields: z.array(z.object({ value: z.string().optional(), designation: z.string().optional() })).optional(),
      notesPlain: z.string().optional(),
      password: z.string().optional(),
      sections: z.array(z.object({ fields: z.array(Field).optional() })).optional(),
    })
    .optional(),
  overview: z
    .object({
      title: z.string().optional(),
      url: z.string().optional(),
      urls: z.array(z.object({ url: z.string().optional() })).optional(),
      tags: z.array(z.string()).optional(),
    })
    .optional(),
});
const ExportData = z.object({
  accounts: z.array(
    z.object({
      vaults: z.array(z.object({ attrs: z.object({ name: z.string().optional() }).optional(), items: z.array(z.unknown()) })),
    }),
  ),
});

export function read1pux(file: Uint8Array): ReadResult {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(file, {
      filter: (f) => {
        if (f.originalSize > MAX_UNPACKED) throw new Error('too large');
        return f.name === 'export.data';
      },
    });
  } catch {
    throw unreadable('1Password 1PUX', 'not a zip archive, or one too large');
  }
  const data = files['export.data'];
  if (!data) throw unreadable('1Password 1PUX', 'no export.data inside');
  let parsed: z.infer<typeof ExportData>;
  try {
    const tree = ExportData.safeParse(JSON.parse(strFromU8(data)));
    if (!tree.success) throw new Error('shape');
    parsed = tree.data;
  } catch {
    throw unreadable('1Password 1PUX', 'export.data is not the 1PUX JSON tree');
  } finally {
    data.fill(0);
  }
  const result: ReadResult = { entries: [], skipped: [] };
  let index = 0;
  for (const account of parsed.accounts)
    for (const vault of account.vaults)
      for (const raw of vault.items) {
        const where = `item ${++index}`;
        const item = Item.safeParse(raw);
        if (!item.success) {
          result.skipped.push({ where, name: null, reason: 'malformed' });
          continue;
        }
        const entry = toEntry(item.data, vault.attrs?.name ?? '', where);
        const name = item.data.overview?.title || null;
        if (item.data.state === 'trashed' || item.data.trashed === true) result.skipped.push({ where, name, reason: 'deleted' });
        else if (!CREDENTIAL_CATEGORIES.has(item.data.categoryUuid)) result.skipped.push({ where, name, reason: 'not-a-credential' });
        else if (entry === 'malformed') result.skipped.push({ where, name, reason: 'malformed' });
        else if (entry.secret === null) result.skipped.push({ where, name, reason: 'no-secret' });
        else result.entries.push(entry);
      }
  return result;
}

function toEntry(item: z.infer<typeof Item>, vaultName: string, where: string): SourceEntry | 'malformed' {
  const details = item.details ?? {};
  const fields = (details.sections ?? []).flatMap((s) => s.fields ?? []);
  const fieldText = (f: z.infer<typeof Field> | undefined) => {
    const v = f?.value ?? {};
    return orNull(v['concealed'] ?? v['string'] ?? v['url'] ?? v['email'] ?? v['menu']);
  };
  const byId = (id: string) => fields.find((f) => f.id === id);
  const login = details.loginFields ?? [];
  const secret =
    orNull(login.find((f) => f.designation === 'password')?.value) ??
    orNull(details.password) ??
    fieldText(byId('credential')) ??
    fieldText(byId('password')) ??
    fieldText(fields.find((f) => typeof f.value?.['concealed'] === 'string' && f.value['concealed'] !== ''));
  const expiresField = byId('expires') ?? fields.find((f) => /^expir(es|y|ation)/i.test(f.title ?? ''));
  const expires = looseDate(expiresField?.value?.['date'] ?? expiresField?.value?.['string']);
  if (expires === null) return 'malformed';
  const overview = item.overview ?? {};
  return {
    sourceId: item.uuid,
    groups: vaultName ? [vaultName] : [],
    title: overview.title ?? '',
    username: orNull(login.find((f) => f.designation === 'username')?.value) ?? fieldText(byId('username')),
    secret,
    url: orNull(overview.url) ?? orNull(overview.urls?.[0]?.url) ?? fieldText(byId('hostname')),
    notes: orNull(details.notesPlain),
    tags: overview.tags ?? [],
    createdAt: looseDate(item.createdAt) ?? null,
    expiresAt: expires ?? null,
    where,
  };
}
