import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../../src/main/use-cases/references/dotenv-parser';
import { findTemplatePlaceholders, formatReference, parseReference } from '../../../../src/main/use-cases/references/secret-reference';

describe('secret references', () => {
  it('round-trips names with "/", "%", spaces, unicode and punctuation through the canonical form', () => {
    for (const [ws, token] of [
      ['acme', 'deploy-ci'],
      ['gitlab.com/group', 'ci/release bot'],
      ['50% off', "it's {odd}"],
      ['dépôt', 'clé ✓'],
      ['a+b=c', 'x!*()~'],
    ] as const) {
      const text = formatReference(ws, token);
      expect(text).toMatch(/^tv:\/\/[A-Za-z0-9%._~-]+\/[A-Za-z0-9%._~-]+$/);
      expect(parseReference(text)).toEqual({ ok: true, reference: { workspace: ws, token } });
    }
    expect(formatReference('acme', 'deploy')).toBe('tv://acme/deploy');
    expect(formatReference('ci/prod', 'a b')).toBe('tv://ci%2Fprod/a%20b');
  });

  it('accepts unencoded characters that are safe, and says what is wrong with the rest', () => {
    expect(parseReference('tv://acme/deploy+ci@2')).toEqual({ ok: true, reference: { workspace: 'acme', token: 'deploy+ci@2' } });
    expect(parseReference('tv://acme')).toEqual({ ok: false, problem: 'no-token-part' });
    expect(parseReference('tv://a/b/c')).toEqual({ ok: false, problem: 'too-many-parts' });
    expect(parseReference('tv:///b')).toEqual({ ok: false, problem: 'empty-part' });
    expect(parseReference('tv://a/')).toEqual({ ok: false, problem: 'empty-part' });
    expect(parseReference('tv://a/b%2')).toEqual({ ok: false, problem: 'bad-escape' });
    expect(parseReference('tv://a/%C3%28')).toEqual({ ok: false, problem: 'bad-escape' }); // not UTF-8
    expect(parseReference('tv://a/b c')).toEqual({ ok: false, problem: 'bad-character' });
    expect(parseReference('tv://a/b}')).toEqual({ ok: false, problem: 'bad-character' });
    expect(parseReference('tv://a/b\n')).toEqual({ ok: false, problem: 'bad-character' });
  });

  it('finds {{ tv://... }} placeholders with or without spaces, leaves other {{ }} alone, reports unclosed ones', () => {
    const t = 'a {{ .Values.x }}\nb={{tv://w/t}} c={{   tv://w/t%20u   }}\nd={{ tv://w/open\ne={{ tv://w/x }}';
    expect(findTemplatePlaceholders(t).map((p) => [p.line, p.text])).toEqual([
      [2, 'tv://w/t'],
      [2, 'tv://w/t%20u'],
      [3, null],
      [4, 'tv://w/x'],
    ]);
  });
});

describe('dotenv parser', () => {
  it('reads what the dotenv family writes', () => {
    const r = parseDotenv(
      '\ufeff# c\n\nexport A=1\nB = two words  # note\nC=\'x # y\'\nD="a\\nb\\t\\"q\\" \\\\ \\x"\nE=\nF=a#b\nG=`tick`\nH="multi\nline"\nI=\'still\nliteral\' # after\nA=again\r\nK.L-M=dots\n',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.fromEntries(r.entries.map((e) => [e.key, e.value]))).toEqual({
      A: 'again',
      B: 'two words',
      C: 'x # y',
      D: 'a\nb\t"q" \\ \\x',
      E: '',
      F: 'a#b',
      G: 'tick',
      H: 'multi\nline',
      I: 'still\nliteral',
      'K.L-M': 'dots',
    });
    expect(r.entries.find((e) => e.key === 'I')?.line).toBe(12);
    expect(r.entries.at(-1)?.line).toBe(15);
  });

  it('reports the line of what it cannot read', () => {
    expect(parseDotenv('A=1\nJUSTAKEY\n')).toEqual({ ok: false, line: 2, problem: 'expected-assignment' });
    expect(parseDotenv('A=1\nB="open\nC=2\n')).toEqual({ ok: false, line: 2, problem: 'unterminated-quote' });
    expect(parseDotenv('A="x" y\n')).toEqual({ ok: false, line: 1, problem: 'text-after-value' });
    expect(parseDotenv('A B=1\n')).toEqual({ ok: false, line: 1, problem: 'bad-key' });
    expect(parseDotenv('A$=1\n')).toEqual({ ok: false, line: 1, problem: 'bad-key' });
  });
});
