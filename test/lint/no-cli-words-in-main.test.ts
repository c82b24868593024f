import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands';

/**
 * The presenter chooses the words: src/main returns codes, structured outcomes and next steps, and the command line
 * names its own commands and flags (src/cli/cli-words.ts). This keeps it true: no file under src/main, code or
 * comment, names the program, a two-word command, or a flag of the command line.
 */
const GLOBAL_FLAGS = ['vault', 'json', 'help'];
/** Lines that speak to another program or to crypto, not to a user: git's own flags, key-derivation and signature labels. */
const NOT_WORDS = [/\brunGit\(/, /\bmust\(\['/, /\bhkdfSync\(/, /_DOMAIN = '/];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

async function cliWords(): Promise<{ phrases: string[]; flags: string[] }> {
  const flags = new Set(GLOBAL_FLAGS);
  for (const load of Object.values(commands)) for (const flag of Object.keys((await load()).options ?? {})) flags.add(flag);
  // One-word commands (`list`, `get`...) are ordinary words; the program name and two-word commands are not.
  const phrases = ['token-vault', ...Object.keys(commands).filter((name) => name.includes(' '))];
  return { phrases, flags: [...flags] };
}

describe('no command-line words in src/main', () => {
  it('knows the command line it guards (the list is read from src/cli, not written here)', async () => {
    const { phrases, flags } = await cliWords();
    expect(phrases).toEqual(expect.arrayContaining(['token-vault', 'token resume', 'token rotate', 'workspace add']));
    expect(flags).toEqual(expect.arrayContaining(['confirm', 'paste', 'url', 'user', 'expires', 'vault', 'json']));
  });

  it('finds none of them in any file under src/main', async () => {
    const { phrases, flags } = await cliWords();
    const patterns = [...phrases.map((p) => new RegExp(`\\b${p.replace(/[-\s]/g, (c) => (c === ' ' ? '\\s+' : '\\-'))}\\b`, 'i')), ...flags.map((f) => new RegExp(`(^|[^\\w-])--${f}\\b`))];
    const hits: string[] = [];
    for (const file of filesUnder('src/main')) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (NOT_WORDS.some((re) => re.test(line))) return;
          for (const re of patterns) if (re.test(line)) hits.push(`${file}:${i + 1}: ${re.source}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('would catch one', () => {
    const re = new RegExp(`(^|[^\\w-])--confirm\\b`);
    expect(re.test('confirm it (--confirm) or run "token resume"')).toBe(true);
    expect(re.test('a long---confirmed line')).toBe(false);
  });
});
