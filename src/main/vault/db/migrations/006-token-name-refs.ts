import type { Migration } from './migration';

/**
 * A keyed hash of each token's name (issue 13): `name_ref`, lookupRef(workspace, "name", the name in lower case), as
 * `remote_ref` is of its service id. Each block of names' filter of these hashes (tokens/name-filter.ts, sealed in the
 * manifest) lets a reference (`tv://W/N`, `get W/N`) open only the block its token is in, not all of them: `run` at
 * 10,000 tokens no longer decrypts 10,000 names for three references. Lookups go by the filters, not by this column,
 * so it has no index of its own; it is what each filter is rebuilt from when its block is written.
 * Rows written before this step keep NULL until the first unlock fills them (tokens/token-name-refs.ts); a block
 * holding such a row has no filter and is always read. The partial index finds such rows at once (it is empty once
 * they are filled), so the check at each unlock costs nothing at 10,000 tokens.
 */
export const migration006TokenNameRefs: Migration = {
  version: 6,
  name: 'token-name-refs',
  up(db) {
    db.exec(`
      ALTER TABLE tokens ADD COLUMN name_ref TEXT;
      CREATE INDEX tokens_without_name_ref ON tokens (id) WHERE name_ref IS NULL;
    `);
  },
};
