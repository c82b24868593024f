import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../../src/main/use-cases/transfer/formats/csv-readers';
import { csvText, type PlainToken } from '../../../../src/main/use-cases/transfer/formats/plaintext-writers';

const hostile: PlainToken = {
  workspace: "=cmd|' /c calc'!A1",
  name: '+evil',
  secret: '=SECRET+stays-exact',
  description: '@SUM(1)',
  url: '-2+3',
  notes: "'=already quoted",
  tags: ['-neg', 'plain'],
  createdAt: '2026-01-02T03:04:05.000Z',
  expiresAt: null,
};
const plain: PlainToken = { ...hostile, workspace: 'acme', name: "'quoted name", description: 'ok', url: 'https://x.test', notes: '\rcr', tags: [] };

describe('CSV export against formula injection', () => {
  it('no cell but the secret starts with = + - @ TAB CR; the secret is written exactly', () => {
    const rows = parse(csvText([hostile, plain])) as string[][];
    for (const row of rows.slice(1))
      row.forEach((cell, i) => {
        if (rows[0]?.[i] === 'secret') expect(cell).toBe('=SECRET+stays-exact');
        else expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      });
    expect(rows[1]?.[0]).toBe("'=cmd|' /c calc'!A1");
  });

  it('the CSV import reads our own export back exactly (the defusing quote undone, a real leading quote kept)', () => {
    const back = readCsv(csvText([hostile, plain]));
    expect(back.skipped).toEqual([]);
    expect(back.entries.map((e) => [e.groups, e.title, e.secret, e.username, e.url, e.notes, e.tags])).toEqual([
      [["=cmd|' /c calc'!A1"], '+evil', '=SECRET+stays-exact', '@SUM(1)', '-2+3', "'=already quoted", ['-neg', 'plain']],
      [['acme'], "'quoted name", '=SECRET+stays-exact', 'ok', 'https://x.test', '\rcr', []],
    ]);
  });

  it('a CSV that is not ours keeps a leading quote as it is', () => {
    const back = readCsv('Title,Password,Notes\n"\'=x","s3cret","\'+y"\n');
    expect(back.entries.map((e) => [e.title, e.notes])).toEqual([["'=x", "'+y"]]);
  });
});
