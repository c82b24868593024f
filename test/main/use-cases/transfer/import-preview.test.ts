import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, previewRead, readImportFile } from '../../../../src/main/use-cases/transfer/import-tokens';
import { FIXTURES, newVault, tempDir } from './transfer-support';

describe('the window\'s import preview', () => {
  it('decides exactly as the import does and writes nothing: no token, no workspace, no audit entry', async () => {
    const dir = tempDir('preview');
    const vault = await newVault(join(dir, 'vault.db'));
    try {
      const ws = vault.workspaces.create({ kind: 'manual', name: 'app' });
      vault.tokens.insert({ workspaceId: ws.id, name: 'KEPT', secret: 'kept-s3cret' });
      const file = join(dir, 'app.env');
      writeFileSync(file, 'KEPT=kept-s3cret\nNEW_ONE=new-s3cret-1\nNEW_ONE=new-s3cret-2\nOTHER=x-s3cret\nEMPTY=\n');
      const before = { tokens: vault.tokens.list().length, workspaces: vault.workspaces.list().length, audit: vault.audit.list().length };

      const intoNew = previewRead(vault, { format: 'dotenv', path: file, workspace: 'fresh' }, await readImportFile('dotenv', file));
      expect(intoNew.entries.every((e) => e.workspace === 'fresh' && e.newWorkspace)).toBe(true);
      expect(intoNew.workspacesCreated).toBe(1);

      const preview = previewRead(vault, { format: 'dotenv', path: file }, await readImportFile('dotenv', file));
      expect(preview.entries).toEqual([
        { name: 'NEW_ONE', workspace: 'app', newWorkspace: false },
        { name: 'OTHER', workspace: 'app', newWorkspace: false },
      ]);
      expect(preview.skipped.map((s) => [s.name, s.reason]).sort()).toEqual([['EMPTY', 'no-secret'], ['KEPT', 'already-stored']]);
      expect(JSON.stringify(preview)).not.toMatch(/s3cret/);
      expect({ tokens: vault.tokens.list().length, workspaces: vault.workspaces.list().length, audit: vault.audit.list().length }).toEqual(before);

      const report = await importFile(vault, { format: 'dotenv', path: file });
      const { entries: _names, ...decided } = preview;
      expect(report).toEqual(decided);
      expect(vault.tokens.list().length).toBe(before.tokens + 2);
      // Run again: the preview now says nothing is new.
      const again = previewRead(vault, { format: 'dotenv', path: file }, await readImportFile('dotenv', file));
      expect(again.inserted).toBe(0);
      expect(again.entries).toEqual([]);
    } finally {
      vault.close();
    }
  });

  it('a CSV file through the preview: nothing is written into an empty vault either', async () => {
    const dir = tempDir('preview-csv');
    const vault = await newVault(join(dir, 'vault.db'));
    try {
      const read = await readImportFile('csv', join(FIXTURES, 'tokens.csv'));
      const preview = previewRead(vault, { format: 'csv', path: join(FIXTURES, 'tokens.csv') }, read);
      expect(preview.inserted).toBe(preview.entries.length);
      expect(preview.entries.length).toBeGreaterThan(0);
      expect(vault.tokens.list()).toEqual([]);
      expect(vault.workspaces.list()).toEqual([]);
    } finally {
      vault.close();
    }
  });
});
