import type { Migration } from './migration';

/**
 * A keyed hash of each token's name (issue 13): `name_ref`, lookupRef(workspace, "name", the name in lower case), as
 * `remote_ref` is of its service id. A reference (`tv://W/N`, `get W/N`) then opens only the block of names its token
 * is in, not all of them: `run` at 10,000 tokens no longer decrypts 10,000 names for three references. The name
 * itself stays sealed in its shard; the hash says only which tokens of a workspace share a name, case aside.
 * Rows written before this step keep NULL until the first unlock fills them (tokens/token-name-refs.ts); a NULL row is
 * always a candidate, so a lookup never misses a token for want of its hash. The partial index finds such rows at
 * once (it is empty once they are filled), so the check at each unlock costs nothing at 10,000 tokens.
 */
export const migration006TokenNameRefs: Migration = {
  version: 6,
  name: 'token-name-refs',
  up(db) {
    db.exec(`
      ALTER TABLE tokens ADD COLUMN name_ref TEXT;
      CREATE INDEX tokens_by_name_ref ON tokens (workspace_id, name_ref);
      CREATE INDEX tokens_without_name_ref ON tokens (id) WHERE name_ref IS NULL;
    `);
  },
};
