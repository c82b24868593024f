import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppFailure } from '../../main/errors';
import type { ImportRecord } from '../../main/vault';
import { UsageError, type CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import { printJson, say } from '../output';

// Built when an import runs. zod is imported by name, never as `await import('zod')`: that hands over the whole
// namespace, which kept all of zod (every locale, JSON Schema) in the chunk that every validating command loads.
const lineSchema = () =>
  z.object({
    id: z.string().optional(),
    workspace: z.string().min(1),
    name: z.string().min(1),
    secret: z.string().nullable().optional(),
    prefix: z.string().nullable().optional(),
    url: z.string().nullable().optional(),
    notes: z.string().nullable().optional(),
    createdAt: z.iso.datetime().optional(),
    expiresAt: z.iso.datetime().nullable().optional(),
  });

export const importCommand: CliCommand = {
  summary: 'Import tokens from a JSON-lines file (one transaction).',
  usage: 'import --format jsonl FILE',
  options: { format: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx, { values, positionals }) {
    if (values['format'] !== 'jsonl') throw new UsageError('--format jsonl is required (the only format so far).');
    let text: string;
    try {
      text = readFileSync(positionals[0] ?? '', 'utf8');
    } catch {
      throw new AppFailure('not-found', `Cannot read ${positionals[0]}.`);
    }
    const Line = lineSchema();
    const records: ImportRecord[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new AppFailure('invalid-argument', `Line ${i + 1} is not JSON. Nothing was imported.`);
      }
      const r = Line.safeParse(parsed);
      if (!r.success)
        throw new AppFailure('invalid-argument', `Line ${i + 1}: ${r.error.issues[0]?.path.join('.')} is invalid. Nothing was imported.`);
      records.push(r.data as ImportRecord);
    });
    await withVault(ctx, (vault) => {
      const outcome = vault.tokens.import(records, 'cli');
      if (ctx.json) printJson(ctx, outcome);
      else
        say(ctx.stdout, `Imported ${outcome.inserted} token(s); skipped ${outcome.skipped} already stored; created ${outcome.workspacesCreated} workspace(s).`);
    });
  },
};
