import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SECRET_CHARS } from '../../../../src/shared/issued-secret';
import { AppFailure } from '../../../../src/main/errors';
import { writeKdbx } from '../../../../src/main/use-cases/transfer/formats/kdbx-writer';
import { readKeepassXml } from '../../../../src/main/use-cases/transfer/formats/kdbx-xml-reader';
import { MAX_XML_DEPTH } from '../../../../src/main/use-cases/transfer/formats/kdbx-xml-scanner';
import { importFile } from '../../../../src/main/use-cases/transfer/import-tokens';
import type { Vault } from '../../../../src/main/vault';
import { newVault, tempDir } from './transfer-support';

// The XML inside a KeePass file comes from whoever handed over the file (and its password): the reader's own scanner
// must refuse what only a hostile file holds, with the same typed error as any damaged file, and read what real
// writers produce exactly as an XML parser does.

const entry = (title: string, secret: string, extra = '') =>
  `<Entry><UUID>AAAAAAAAAAAAAAAAAAAAAA==</UUID>${extra}<String><Key>Title</Key><Value>${title}</Value></String>` +
  `<String><Key>Password</Key><Value>${secret}</Value></String></Entry>`;
const doc = (inside: string, prolog = '<?xml version="1.0" encoding="utf-8" standalone="yes"?>') =>
  `${prolog}<KeePassFile><Meta><Generator>test</Generator></Meta><Root><Group><UUID>AQEBAQEBAQEBAQEBAQEBAQ==</UUID><Name>Root</Name>` +
  `<Group><UUID>AgICAgICAgICAgICAgICAg==</UUID><Name>acme</Name>${inside}</Group></Group></Root></KeePassFile>`;

function refused(xml: string): AppFailure {
  try {
    readKeepassXml(xml, null);
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).code).toBe('invalid-argument');
    expect((error as AppFailure).message).toMatch(/damaged or not a KeePass database \(its XML does not parse/);
    return error as AppFailure;
  }
  throw new Error('the XML was read');
}

describe('the KeePass XML reader against hostile files', () => {
  it('refuses a document type declaration, so no defined entity is ever expanded (billion laughs)', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE KeePassFile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>';
    const started = performance.now();
    expect(refused(doc(entry('laugh', '&d;'), laughs)).message).toMatch(/document type/);
    expect(performance.now() - started).toBeLessThan(1000);
    // An external entity (XXE) is refused the same way, and never read.
    refused(doc(entry('xxe', '&xxe;'), '<?xml version="1.0"?><!DOCTYPE KeePassFile [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'));
  });

  it('refuses an entity that is not defined, or an "&" that starts none', () => {
    expect(refused(doc(entry('x', '&xxe;'))).message).toMatch(/entity that is not defined/);
    refused(doc(entry('x', 'a & b')));
    refused(doc(entry('x', '&#0;')));
  });

  it(`refuses nesting deeper than ${MAX_XML_DEPTH} levels, and reads a deep but sane tree`, () => {
    const nest = (n: number) => '<Group><Name>g</Name>'.repeat(n) + entry('deep', 's3cret') + '</Group>'.repeat(n);
    expect(refused(doc(nest(MAX_XML_DEPTH))).message).toMatch(/nested deeper/);
    const read = readKeepassXml(doc(nest(50)), null);
    expect(read.entries).toHaveLength(1);
    expect(read.entries[0]?.groups).toHaveLength(51);
  });

  it('refuses a file cut short, mismatched tags, text outside the root and a second root', () => {
    const whole = doc(entry('t', 's'));
    expect(refused(whole.slice(0, whole.indexOf('</Root>'))).message).toMatch(/never closed/);
    refused(whole.slice(0, whole.length - 20));
    refused(whole.slice(0, whole.indexOf('<String>') + 5));
    refused(whole.replace('</Name>', '</Nome>'));
    refused(`${whole}trailing`);
    refused(`${whole}<KeePassFile/>`);
    refused(whole.replace('<Entry>', '<Entry Protected="True>'));
    refused('');
    // An element inside a field's value or key would cut the text around it: refused, never read as "cret" (reviewer finding).
    expect(refused(doc(entry('t', 's3<X/>cret'))).message).toMatch(/<Value> holds an element <X>/);
    refused(doc(entry('t<B>x</B>', 's3cret')));
  });

  it('reads what an XML parser reads: references, CDATA, comments, CRLF, quoted ">" in attributes, empty elements', () => {
    const read = readKeepassXml(
      doc(
        '<!-- a comment --><Entry><UUID>AAAAAAAAAAAAAAAAAAAAAA==</UUID><Tags>a;b</Tags>' +
          '<String><Key>Title</Key><Value>A &amp; B &lt;prod&gt; &#x1F511; &#65;</Value></String>' +
          "<String><Key >Password</Key ><Value Note='x>y' Protected=\"False\"><![CDATA[p<&>ss]]></Value></String>" +
          '<String><Key>Notes</Key><Value>line 1\r\nline 2\rline 3</Value></String>' +
          '<String><Key>URL</Key><Value/></String></Entry>',
      ),
      null,
    );
    expect(read.entries).toHaveLength(1);
    expect(read.entries[0]).toMatchObject({ title: 'A & B <prod> \u{1F511} A', secret: 'p<&>ss', notes: 'line 1\nline 2\nline 3', url: null, tags: ['a', 'b'], groups: ['acme'] });
  });
});

describe('a huge secret in a KeePass file', () => {
  const dir = tempDir('kdbx-huge');
  let vault: Vault;
  beforeAll(async () => {
    vault = await newVault(join(dir, 'vault.db'));
  });
  afterAll(() => vault.close());

  it(`is refused whole (at most ${MAX_SECRET_CHARS} characters a secret), and nothing is imported`, async () => {
    const base = { username: null, url: null, notes: null, tags: [], createdAt: '2025-01-01T00:00:00.000Z', expiresAt: null, extra: [] };
    const file = join(dir, 'huge.kdbx');
    const { bytes } = await writeKdbx(
      [{ id: 'acme', name: 'acme', entries: [{ ...base, id: 'a', title: 'fine', password: 'ok-secret' }, { ...base, id: 'b', title: 'huge', password: 'x'.repeat(MAX_SECRET_CHARS + 1) }] }],
      'kdbx-password',
      { kdf: 'aes', rounds: 1000 },
    );
    writeFileSync(file, bytes);
    const run = importFile(vault, { format: 'kdbx', path: file, password: async () => 'kdbx-password', actor: 'test' });
    await expect(run).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/entry 2 \(huge\): the secret is 16385 characters; at most 16384/) });
    expect(vault.tokens.list({})).toHaveLength(0);
  });
});
