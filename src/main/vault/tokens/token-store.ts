import { lookupRef } from '../crypto/canonical';
import { aad, openText, sealText } from '../crypto/vault-crypto';
import type { Manifest } from '../db/manifest';
import type { VaultCore } from '../db/vault-core';
import type { TokenSummary } from '../db/vault-types';
import { mayHoldName, nameFilterOf, seedsOf } from './name-filter';
import { openShard, sealShard, SHARD_SIZE, type SealedFields, type ShardContent, type ShardEntry } from './summary-shards';
import { canonOf, clearValues, CLEAR_COLUMNS, fieldsOf, ROW, summaryOf, tamperedToken, TOKEN_COLUMNS, type TokenRow } from './token-rows';

// How tokens are read and written: every read is checked against its shard (row-auth.ts, point 3), every write
// goes through a ShardWrite that checks the shards it touches BEFORE their rows change and re-seals them after.

const SHARDS = 'token_shards';

/** The keyed hash kept in the clear `remote_ref` column: finds a token by its service id without showing the id. */
export const remoteRefOf = (core: VaultCore, workspaceId: string, remoteId: string | null): string | null =>
  remoteId === null ? null : lookupRef(core.derived().lookup, workspaceId, remoteId);

/**
 * The keyed hash kept in the clear `name_ref` column: finds a workspace's tokens of a name (case aside) without
 * opening every shard. Three parts where remote_ref has two, so the two never share a hash.
 */
export const nameRefOf = (core: VaultCore, workspaceId: string, name: string): string => lookupRef(core.derived().lookup, workspaceId, 'name', name.toLowerCase());

/** The values of CLEAR_COLUMNS for a token as it is to be written. */
export const rowValues = (core: VaultCore, s: TokenSummary) => clearValues(s, remoteRefOf(core, s.workspaceId, s.remoteId), nameRefOf(core, s.workspaceId, s.name));

const secretAad = (id: string, rev: number) => aad('tokens', id, `secret/${rev}`);
export const sealSecret = (key: Buffer, id: string, rev: number, secret: string): Buffer => sealText(key, secret, secretAad(id, rev));
export const openSecret = (key: Buffer, id: string, rev: number, blob: Buffer): string => openText(key, blob, secretAad(id, rev), `The secret of token ${id}`);

/**
 * One shard's content, checked: its generation is the manifest's, it opens under that generation, and it holds an
 * entry for exactly `rows` (its tokens as read in the same transaction), each vouching for its row as it is.
 */
export function verifyShard(core: VaultCore, shardId: number, shard: { gen: number; blob: Buffer } | undefined, rows: TokenRow[]): ShardContent {
  const named = (rows.length > 0 ? rows : []).slice(0, 5).map((r) => r[0]).join(', ');
  const expected = core.manifest().revs[SHARDS]?.[shardId];
  if (!shard) {
    if (rows.length === 0 && expected === undefined) return {};
    throw tamperedToken(named || `block ${shardId}`, 'has lost its block of names');
  }
  if (expected !== shard.gen)
    throw tamperedToken(`${named || '-'} (block ${shardId})`, expected === undefined ? 'is in a block of names Token Vault did not write' : 'is in a block of names older than the rest of the vault');
  const content = openShard(core.key(), shardId, shard.gen, shard.blob);
  for (const row of rows) {
    const entry = content[row[0]];
    if (!entry) throw tamperedToken(row[0], 'is not in its block of names');
    if (entry[8] !== canonOf(row)) throw tamperedToken(row[0]);
  }
  const ids = Object.keys(content);
  if (ids.length !== rows.length) {
    const present = new Set(rows.map((r) => r[0]));
    throw tamperedToken(ids.find((id) => !present.has(id)) ?? named, 'is missing');
  }
  return content;
}

const fieldsOfEntry = (e: ShardEntry): SealedFields => e.slice(0, 8) as SealedFields;

/** The token cache if it is still current, else null (and it is dropped). */
export function cachedTokens(core: VaultCore): Map<string, TokenSummary> | null {
  core.key();
  if (core.tokenCache && core.tokenCache.version !== core.dataVersion()) core.tokenCache = null;
  return core.tokenCache?.tokens ?? null;
}

/** Every token summary in memory, checked, reloaded when another connection committed since they were read. */
export function freshTokens(core: VaultCore): Map<string, TokenSummary> {
  const cached = cachedTokens(core);
  if (cached) return cached;
  const version = core.dataVersion();
  const { db } = core;
  const loaded = core.read(() =>
    db.transaction(() => {
      const shards = new Map<number, { gen: number; blob: Buffer }>();
      for (const [id, gen, blob] of db.prepare(`SELECT id, gen, blob FROM ${SHARDS}`).raw().all() as [number, number, Buffer][]) shards.set(id, { gen, blob });
      const byShard = new Map<number, TokenRow[]>();
      for (const row of db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens`).raw().all() as TokenRow[]) {
        let list = byShard.get(row[ROW.shardId]);
        if (!list) byShard.set(row[ROW.shardId], (list = []));
        list.push(row);
      }
      // Every block the manifest knows is here, and every block here has its rows checked (even an empty one).
      for (const id of Object.keys(core.manifest().revs[SHARDS] ?? {})) if (!shards.has(Number(id))) byShard.set(Number(id), byShard.get(Number(id)) ?? []);
      for (const id of shards.keys()) if (!byShard.has(id)) byShard.set(id, []);
      const tokens = new Map<string, TokenSummary>();
      const canon = new Map<string, string>();
      for (const [shardId, rows] of byShard) {
        const content = verifyShard(core, shardId, shards.get(shardId), rows);
        for (const row of rows) {
          const entry = content[row[0]] as ShardEntry;
          tokens.set(row[0], summaryOf(row, fieldsOfEntry(entry)));
          canon.set(row[0], entry[8]);
        }
      }
      return { tokens, canon };
    })(),
  );
  core.tokenCache = { ...loaded, version };
  return loaded.tokens;
}

/** The rows and checked content of one shard, read in the caller's transaction. */
export function readShard(core: VaultCore, shardId: number): { rows: TokenRow[]; content: ShardContent } {
  const shard = core.prepared(`SELECT gen, blob FROM ${SHARDS} WHERE id = ?`).get(shardId) as { gen: number; blob: Buffer } | undefined;
  const rows = core.prepared(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE shard_id = ?`).raw().all(shardId) as TokenRow[];
  return { rows, content: verifyShard(core, shardId, shard, rows) };
}

/** Summaries of the rows a query selects (it must select TOKEN_COLUMNS), each checked through its shard (no cache). */
export function loadSummaries(core: VaultCore, sql: string, args: unknown[]): TokenSummary[] {
  const { db } = core;
  return core.read(() =>
    db.transaction(() => {
      const rows = db.prepare(sql).raw().all(...args) as TokenRow[];
      const shards = new Map<number, ShardContent>();
      const seen = checkedCanons(core);
      return rows.map((row) => {
        let content = shards.get(row[ROW.shardId]);
        if (!content) shards.set(row[ROW.shardId], (content = readShard(core, row[ROW.shardId]).content));
        const entry = content[row[0]];
        if (!entry || entry[8] !== canonOf(row)) throw tamperedToken(row[0]);
        seen.set(row[0], entry[8]);
        return summaryOf(row, fieldsOfEntry(entry));
      });
    })(),
  );
}

/**
 * The summaries of a workspace's tokens named `name` (case aside) in the blocks whose name filter may hold the name's
 * keyed hash, and in every block without a filter: each block read and checked whole (row set and rows), in one
 * transaction. Their canonical rows are remembered for the secret read that usually follows (checkedCanons).
 */
export function tokensInNamedBlocks(core: VaultCore, workspaceId: string, name: string): TokenSummary[] {
  const seeds = seedsOf(nameRefOf(core, workspaceId, name));
  const lower = name.toLowerCase();
  return core.read(() =>
    core.db.transaction(() => {
      const manifest = core.manifest();
      const filters = decodedFilters(manifest);
      const seen = checkedCanons(core);
      const out: TokenSummary[] = [];
      for (const id of Object.keys(manifest.revs[SHARDS] ?? {})) {
        const filter = filters.get(id);
        if (filter !== undefined && !mayHoldName(filter, seeds)) continue;
        const { rows, content } = readShard(core, Number(id));
        for (const row of rows) {
          const entry = content[row[0]] as ShardEntry;
          if (row[ROW.workspaceId] !== workspaceId || entry[0].toLowerCase() !== lower) continue;
          seen.set(row[0], entry[8]);
          out.push(summaryOf(row, fieldsOfEntry(entry)));
        }
      }
      return out;
    })(),
  );
}

/** The manifest's name filters as bytes, decoded once per manifest read (a lookup per reference tests them all). */
const decoded = new WeakMap<Manifest, Map<string, Uint8Array>>();
function decodedFilters(manifest: Manifest): Map<string, Uint8Array> {
  let filters = decoded.get(manifest);
  if (!filters) decoded.set(manifest, (filters = new Map(Object.entries(manifest.names ?? {}).map(([id, f]) => [id, Buffer.from(f, 'base64')]))));
  return filters;
}

/**
 * A token's row, checked: against the cache when it is current (a string comparison), else through its shard. What a
 * secret read needs, since the secret's AAD names `secret_rev` from that row.
 */
export function checkedRow(core: VaultCore, row: TokenRow): void {
  const canon = canonOf(row);
  if (cachedTokens(core) && core.tokenCache?.canon.get(row[0]) === canon) return;
  if (checkedCanons(core).get(row[0]) === canon) return;
  const entry = readShard(core, row[ROW.shardId]).content[row[0]];
  if (!entry || entry[8] !== canon) throw tamperedToken(row[0]);
}

/** The canonical rows verified one by one since another connection last wrote (core.checkedCanon). */
function checkedCanons(core: VaultCore): Map<string, string> {
  const version = core.dataVersion();
  if (core.checkedCanon?.version !== version) core.checkedCanon = { canon: new Map(), version };
  return core.checkedCanon.canon;
}

/** Shard ids for `n` new tokens: fill partly used shards first, then open new ones. Inside a write. */
export function pickShard(core: VaultCore, n: number): number[] {
  const { db } = core;
  const open = db.prepare(`SELECT id, count FROM ${SHARDS} WHERE count < ? ORDER BY count DESC, id`).all(SHARD_SIZE) as { id: number; count: number }[];
  let nextId = ((db.prepare(`SELECT max(id) FROM ${SHARDS}`).pluck().get() as number | null) ?? 0) + 1;
  const out: number[] = [];
  for (const s of open) {
    for (let c = s.count; c < SHARD_SIZE && out.length < n; c++) out.push(s.id);
    if (out.length >= n) return out;
  }
  while (out.length < n) {
    for (let c = 0; c < SHARD_SIZE && out.length < n; c++) out.push(nextId);
    nextId++;
  }
  return out;
}

/**
 * The token writes of one transaction. Each shard is read and checked (`fields`) BEFORE any of its rows changes, so
 * an edit made outside Token Vault is refused instead of being sealed into a fresh shard; `flush` re-seals every
 * shard whose rows changed, with each row's new canonical text and the next generation (recorded in the manifest).
 */
export class ShardWrite {
  private readonly shards = new Map<number, Map<string, SealedFields>>();
  private readonly touched = new Set<number>();

  constructor(private readonly core: VaultCore) {}

  /** The fields of a shard's tokens, checked; call it before changing any row of the shard. */
  fields(shardId: number): Map<string, SealedFields> {
    let fields = this.shards.get(shardId);
    if (!fields) {
      const { content } = readShard(this.core, shardId);
      fields = new Map(Object.entries(content).map(([id, e]) => [id, fieldsOfEntry(e)]));
      this.shards.set(shardId, fields);
    }
    return fields;
  }

  /** A re-key: a shard's fields, read and checked under the old key, to be sealed again under the new one. */
  adopt(shardId: number, fields: Map<string, SealedFields>): void {
    this.shards.set(shardId, fields);
    this.touched.add(shardId);
  }

  /** A token's new sealed fields (null: it was deleted). */
  set(shardId: number, id: string, fields: SealedFields | null): void {
    const all = this.fields(shardId);
    if (fields === null) all.delete(id);
    else all.set(id, fields);
    this.touched.add(shardId);
  }

  /** A token's clear row changed, its fields did not. */
  touch(shardId: number): void {
    this.fields(shardId);
    this.touched.add(shardId);
  }

  /** Re-seals the touched shards; returns the canonical text of each of their rows (for the cache). */
  flush(): Map<string, string> {
    const { core } = this;
    const canon = new Map<string, string>();
    const rowsOf = core.prepared(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE shard_id = ?`).raw();
    for (const shardId of this.touched) {
      const fields = this.fields(shardId);
      const content: ShardContent = {};
      const refs: string[] = [];
      let unhashed = false;
      for (const row of rowsOf.all(shardId) as TokenRow[]) {
        const f = fields.get(row[0]);
        if (!f) throw new Error(`ShardWrite: token ${row[0]} has no fields in block ${shardId}`);
        const text = canonOf(row);
        content[row[0]] = [...f, text];
        canon.set(row[0], text);
        const ref = row[ROW.nameRef];
        if (ref === null) unhashed = true;
        else refs.push(ref);
      }
      const names = (core.changedManifest().names ??= {});
      const count = Object.keys(content).length;
      if (count === 0) {
        core.prepared(`DELETE FROM ${SHARDS} WHERE id = ?`).run(shardId);
        core.dropRev(SHARDS, shardId);
        delete names[shardId];
        continue;
      }
      // The block's name filter goes with it (tokens/name-filter.ts); a row without a hash yet leaves it out.
      if (unhashed) delete names[shardId];
      else names[shardId] = nameFilterOf(refs);
      const gen = core.nextRev(SHARDS, shardId);
      core
        .prepared(`INSERT INTO ${SHARDS} (id, gen, count, blob) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET gen = excluded.gen, count = excluded.count, blob = excluded.blob`)
        .run(shardId, gen, count, sealShard(core.key(), shardId, gen, content));
    }
    this.touched.clear();
    return canon;
  }
}

// Built once: an import inserts thousands of rows, and a statement's text is its key in the connection's cache.
const INSERT_TOKEN_SQL = `INSERT INTO tokens (${CLEAR_COLUMNS.join(', ')}, id, workspace_id, shard_id, secret_rev, secret) VALUES (${CLEAR_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)`;

/** The clear row of a new token (its fields go to the shard through a ShardWrite). Inside a write. */
export function insertTokenRow(core: VaultCore, s: TokenSummary, shardId: number, secret: string | null): void {
  const secretRev = secret === null ? 0 : 1;
  core
    .prepared(INSERT_TOKEN_SQL)
    .run(...rowValues(core, s), s.id, s.workspaceId, shardId, secretRev, secret === null ? null : sealSecret(core.key(), s.id, secretRev, secret));
}

/** Patches the cache after a write: new summaries and the canonical rows `flush` returned. */
export function cacheWritten(core: VaultCore, summaries: Iterable<TokenSummary>, canon: Map<string, string>, removed: Iterable<string> = []): void {
  const cache = core.tokenCache;
  for (const s of summaries) {
    cache?.tokens.set(s.id, s);
    core.touch(s.id);
  }
  for (const id of removed) {
    cache?.tokens.delete(id);
    cache?.canon.delete(id);
    core.touch(id);
  }
  if (cache) for (const [id, text] of canon) cache.canon.set(id, text);
}

/**
 * A re-key (issue 10 item 9), inside its write: reads every token and secret now, checked, under the current key; the
 * function it returns writes them again under the key the core holds by then (secrets, the keyed `remote_ref`, and
 * every shard with its rows' new canonical text).
 */
export function rekeyTokens(core: VaultCore): () => void {
  const key = core.key();
  const tokens = freshTokens(core);
  const rows = core.prepared(`SELECT ${TOKEN_COLUMNS}, secret FROM tokens`).raw().all() as [...TokenRow, Buffer | null][];
  const secrets = new Map<string, string | null>();
  for (const found of rows) {
    const row = found.slice(0, -1) as TokenRow;
    checkedRow(core, row);
    const blob = found[found.length - 1] as Buffer | null;
    secrets.set(row[ROW.id], blob ? openSecret(key, row[ROW.id], row[ROW.secretRev], blob) : null);
  }
  return () => {
    const newKey = core.key();
    const update = core.prepared('UPDATE tokens SET secret = ?, remote_ref = ?, name_ref = ? WHERE id = ?');
    const byShard = new Map<number, Map<string, SealedFields>>();
    for (const found of rows) {
      const [id, , shardId, , , , , , , , , , , , , , , rev] = found;
      const s = tokens.get(id);
      if (!s) throw tamperedToken(id);
      const secret = secrets.get(id) ?? null;
      update.run(secret === null ? null : sealSecret(newKey, id, rev, secret), remoteRefOf(core, s.workspaceId, s.remoteId), nameRefOf(core, s.workspaceId, s.name), id);
      let fields = byShard.get(shardId);
      if (!fields) byShard.set(shardId, (fields = new Map()));
      fields.set(id, fieldsOf(s));
    }
    const shards = new ShardWrite(core);
    for (const [shardId, fields] of byShard) shards.adopt(shardId, fields);
    shards.flush();
  };
}
