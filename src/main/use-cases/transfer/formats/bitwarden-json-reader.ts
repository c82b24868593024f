import { AppFailure } from '../../../errors';
import { z } from 'zod';
import type { ReadResult } from '../transfer-types';
import { looseDate, orNull, unreadable } from './format-support';

/**
 * Bitwarden's unencrypted JSON export ("File > Export vault > .json"): folders (or collections in an organization
 * export) and items; the shape of the exports in pass-import's test data (roddhjav/pass-import,
 * tests/assets/db/bitwarden.json) and Bitwarden's own export models. Login items carry login.password; any item may
 * carry a hidden custom field (type 1) instead. Cards and identities are not credentials.
 */
const Item = z.object({
  id: z.string(),
  type: z.number(),
  name: z.string().nullish(),
  notes: z.string().nullish(),
  folderId: z.string().nullish(),
  collectionIds: z.array(z.string()).nullish(),
  creationDate: z.string().nullish(),
  deletedDate: z.string().nullish(),
  fields: z.array(z.object({ name: z.string().nullish(), value: z.string().nullish(), type: z.number().nullish() })).nullish(),
  login: z
    .object({
      username: z.string().nullish(),
      password: z.string().nullish(),
      uris: z.array(z.object({ uri: z.string().nullish() })).nullish(),
    })
    .nullish(),
});
const Export = z.object({
  encrypted: z.boolean().optional(),
  folders: z.array(z.object({ id: z.string(), name: z.string() })).nullish(),
  collections: z.array(z.object({ id: z.string(), name: z.string() })).nullish(),
  items: z.array(z.unknown()),
});

const LOGIN = 1;
const SECURE_NOTE = 2;
const HIDDEN_FIELD = 1;

export function readBitwardenJson(text: string): ReadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw unreadable('Bitwarden JSON', 'not JSON');
  }
  if ((json as { encrypted?: unknown } | null)?.encrypted === true)
    throw new AppFailure('unsupported', 'This Bitwarden export is encrypted. Export again choosing ".json" (not ".json (Encrypted)"). Nothing was imported.');
  const r = Export.safeParse(json);
  if (!r.success) throw unreadable('Bitwarden JSON', 'not a Bitwarden vault export');
  const parsed = r.data;
  const folders = new Map([...(parsed.folders ?? []), ...(parsed.collections ?? [])].map((f) => [f.id, f.name]));
  const result: ReadResult = { entries: [], skipped: [] };
  parsed.items.forEach((raw, i) => {
    const where = `item ${i + 1}`;
    const r = Item.safeParse(raw);
    if (!r.success) {
      result.skipped.push({ where, name: null, reason: 'malformed' });
      return;
    }
    const item = r.data;
    const name = item.name || null;
    const hidden = (item.fields ?? []).filter((f) => f.type === HIDDEN_FIELD && orNull(f.value));
    const secret = orNull(item.login?.password) ?? orNull(hidden[0]?.value);
    const expiry = looseDate((item.fields ?? []).find((f) => /^expir(es|y|ation)/i.test(f.name ?? ''))?.value);
    if (item.deletedDate) result.skipped.push({ where, name, reason: 'deleted' });
    else if (item.type !== LOGIN && item.type !== SECURE_NOTE) result.skipped.push({ where, name, reason: 'not-a-credential' });
    else if (expiry === null) result.skipped.push({ where, name, reason: 'malformed' });
    else if (secret === null) result.skipped.push({ where, name, reason: item.type === LOGIN ? 'no-secret' : 'not-a-credential' });
    else {
      const folder = folders.get(item.folderId ?? item.collectionIds?.[0] ?? '');
      result.entries.push({
        sourceId: item.id,
        // Bitwarden nests folders by name: "Emails/WS".
        groups: folder ? folder.split('/') : [],
        title: item.name ?? '',
        username: orNull(item.login?.username),
        secret,
        url: orNull(item.login?.uris?.[0]?.uri),
        notes: orNull(item.notes),
        tags: [],
        createdAt: looseDate(item.creationDate) ?? null,
        expiresAt: expiry ?? null,
        where,
      });
    }
  });
  return result;
}
