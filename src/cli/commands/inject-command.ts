import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync, fchmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppFailure } from '../../main/errors';
import { resolveSecrets } from '../../main/use-cases/references/reference-resolver';
import { findTemplatePlaceholders, parseReference } from '../../main/use-cases/references/secret-reference';
import { UsageError, type CliCommand } from '../cli-command';
import { withVault } from '../open-vault';
import { referenceProblemWords } from '../reference-words';
import { printData } from '../output';

export const injectCommand: CliCommand = {
  summary:
    'Fill {{ tv://W/N }} in a template: to stdout, or -o FILE (a new one gets mode 0600; an existing one needs --force).',
  usage: 'inject -i TEMPLATE [-o FILE] [--force]',
  options: {
    'in-file': { type: 'string', short: 'i' },
    'out-file': { type: 'string', short: 'o' },
    force: { type: 'boolean' },
  },
  async run(ctx, { values }) {
    const input = values['in-file'];
    const output = values['out-file'];
    if (typeof input !== 'string' || input === '') throw new UsageError('-i TEMPLATE is required (- for stdin).');
    if (output === '') throw new UsageError('-o needs a file name.');
    const force = values['force'] === true;
    // Refuse early, before anything is read from the vault; the write itself refuses again (no race).
    if (typeof output === 'string' && !force && existsSync(output))
      throw new AppFailure('already-exists', `${output} already exists; add --force to replace it.`);
    let template: string;
    try {
      template = input === '-' ? await readAllStdin() : readFileSync(input, 'utf8');
    } catch (error) {
      throw new AppFailure('not-found', `Cannot read template ${input} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const placeholders = findTemplatePlaceholders(template);
    const problems: string[] = [];
    for (const p of placeholders) {
      if (p.text === null) problems.push(`line ${p.line}: a {{ tv://... placeholder is not closed with }} on its line.`);
      else {
        const parsed = parseReference(p.text);
        if (!parsed.ok) problems.push(`line ${p.line}: ${referenceProblemWords(p.text, { ok: false, problem: parsed.problem, reference: null, candidates: [] })}`);
      }
    }
    if (problems.length > 0) throw new AppFailure('invalid-argument', `${input}, ${problems.join(`\ntoken-vault: ${input}, `)}\ntoken-vault: Nothing was written.`);

    let rendered = template;
    if (placeholders.length > 0) {
      const where = output === undefined ? 'stdout' : basename(String(output));
      const resolved = await withVault(ctx, (vault) =>
        resolveSecrets(
          vault,
          placeholders.map((p) => ({ name: String(p.start), text: p.text as string })),
          { actor: 'cli', detail: `inject: ${basename(input)} -> ${where}` },
        ),
      );
      if (!resolved.ok) {
        const lines = resolved.failures.map((f) => `${input}, line ${placeholders.find((p) => String(p.start) === f.name)?.line ?? '?'}: ${referenceProblemWords(f.text, f)}`);
        throw new AppFailure(resolved.failures.some((f) => f.problem.startsWith('unknown')) ? 'not-found' : 'invalid-argument', `${lines.join('\ntoken-vault: ')}\ntoken-vault: Nothing was written.`);
      }
      const parts: string[] = [];
      let at = 0;
      for (const p of placeholders) {
        parts.push(template.slice(at, p.start), resolved.values.get(String(p.start)) ?? '');
        at = p.end;
      }
      parts.push(template.slice(at));
      rendered = parts.join('');
    }
    if (output === undefined) printData(ctx.stdout, rendered);
    else writeOutput(String(output), rendered, force);
  },
};

/** stdin exactly as given (input.ts's readStdin drops a trailing newline, which a template must keep). */
async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes the filled template so that no other user can ever read it: the content goes into a temporary file in the
 * same folder that is created with its final mode (0600 for a new file, the old file's mode under --force), flushed
 * to disk, and then put in place in one step - `link` for a new file (which refuses if one appeared meanwhile),
 * `rename` over the old one. A crash leaves either nothing or the whole file.
 */
function writeOutput(path: string, content: string, force: boolean): void {
  let target = path;
  let mode = 0o600;
  let replacing = false;
  try {
    target = realpathSync(path); // through a symlink (dotfiles) to the file it names
    const st = statSync(target);
    if (!st.isFile()) throw new AppFailure('invalid-argument', `${path} is not a regular file.`);
    if (!force) throw new AppFailure('already-exists', `${path} already exists; add --force to replace it.`);
    mode = st.mode & 0o7777;
    replacing = true;
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new AppFailure('invalid-argument', `Cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const temp = join(dirname(target), `.${basename(target)}.tv-${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch (error) {
    throw new AppFailure('invalid-argument', `Cannot write in ${dirname(target)} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    try {
      // The umask may only take bits away; an old file's wider mode is given back before any content is written.
      if (replacing && (fstatSync(fd).mode & 0o7777) !== mode) fchmodSync(fd, mode);
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (replacing) renameSync(temp, target);
    else placeNew(temp, target, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Puts a finished temporary file at `target` only if nothing is there. */
function placeNew(temp: string, target: string, shown: string): void {
  try {
    linkSync(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new AppFailure('already-exists', `${shown} already exists; add --force to replace it.`);
    // A file system without hard links: a rename, after one last look.
    if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') && !existsSync(target)) return renameSync(temp, target);
    throw new AppFailure('invalid-argument', `Cannot create ${shown} (${code ?? 'error'}).`);
  }
}
