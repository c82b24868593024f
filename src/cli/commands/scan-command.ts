import { homedir } from 'node:os';
import { MIN_SCANNED_SECRET_CHARS, type ScanRoot } from '../../main/use-cases/scan/secret-scanner';
import type { SuggestedTarget } from '../../main/use-cases/scan/target-suggestion';
import { homeFileRoots, linkFindings, VaultScan, type LinkOutcome } from '../../main/use-cases/scan/vault-scan';
import type { CliCommand, CliContext } from '../cli-command';
import { displayPath } from '../display-path';
import { withVault } from '../open-vault';
import { printJson, say } from '../output';

export const scanCommand: CliCommand = {
  summary:
    `Find files holding stored secrets of ${MIN_SCANNED_SECRET_CHARS}+ characters (file:line and reference, never the secret) and likely tokens not in the vault.`,
  usage: 'scan [PATH...] [--add] [--json]',
  options: { add: { type: 'boolean' } },
  positionals: [0, Number.POSITIVE_INFINITY],
  async run(ctx, { values, positionals }) {
    const home = ctx.env['HOME'] || homedir();
    const roots: ScanRoot[] = positionals.length > 0 ? positionals.map((path) => ({ path })) : [{ path: '.' }, ...homeFileRoots(home)];
    await withVault(ctx, async (vault) => {
      const scan = new VaultScan(vault);
      const report = scan.run(roots);
      // Every path shown or printed goes through conceal (a file may be named with a token); the findings keep the
      // real paths for --add. The JSON keeps the fields it always had; an unknown token's offset stays main-side.
      const { conceal } = scan;
      const found = report.found.map((f) => ({ ...f, file: conceal(f.file) }));
      const skipped = report.skipped.map((s) => ({ ...s, path: conceal(s.path) }));
      const unknown = report.unknown.map(({ file, line, prefix, issuer, length }) => ({ file: conceal(file), line, prefix, issuer, length }));

      let linked: { file: string; line: number; reference: string; target: SuggestedTarget | null; outcome: string }[] | undefined;
      if (values['add'] === true) {
        const outcomes = await linkFindings(vault, report.found, 'cli');
        linked = found.map((f, i) => {
          const o = outcomes[i] as LinkOutcome;
          return { file: f.file, line: f.line, reference: f.reference, target: o.status === 'unknown-format' ? null : { ...o.target, file: conceal(o.target.file) }, outcome: linkWords(o) };
        });
      }

      if (ctx.json) {
        printJson(ctx, {
          found,
          unknown,
          skipped,
          ...(linked ? { linked: linked.map((l) => ({ file: l.file, line: l.line, reference: l.reference, target: l.target, outcome: l.outcome })) } : {}),
          filesScanned: report.filesScanned,
          bytesScanned: report.bytesScanned,
          binaryFiles: report.binaryFiles,
        });
        return;
      }
      const show = displayPath(home);
      // The tree's own files first (relative paths), then ~/..., then anything else: sorted as shown.
      const byShown = <T extends { file: string; line: number }>(list: T[]) =>
        list.map((x) => ({ x, shown: show(x.file) })).sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : a.x.line - b.x.line));
      // Paths, names and issuers come from the disk and the vault: every line leaves through say(), terminal-safe.
      const out: string[] = [];
      for (const { x: f } of byShown(found)) out.push(`${show(f.file)}:${f.line}  ${f.reference}${f.encoding === 'exact' ? '' : ` (${f.encoding})`}`);
      if (unknown.length > 0) {
        if (found.length > 0) out.push('');
        out.push('Likely tokens not in the vault:');
        for (const { x: u } of byShown(unknown)) out.push(`${show(u.file)}:${u.line}  ${u.prefix}…  ${u.length} chars  ${u.issuer}`);
      }
      if (linked) for (const l of linked) out.push(`${show(l.file)}:${l.line}  ${l.reference}: ${l.outcome}`);
      if (out.length > 0) say(ctx.stdout, ...out);
      writeSummary(ctx, report.filesScanned, found.length, unknown.length, report.binaryFiles, skipped.map((s) => `${show(s.path)} (${SKIP_WORDS[s.reason]})`));
    });
  },
};

function linkWords(o: LinkOutcome): string {
  switch (o.status) {
    case 'linked':
      return `linked as target ${o.targetId.slice(0, 8)}`;
    case 'unknown-format':
      return 'not a known file format: link it with use add';
    case 'failed':
      return o.message;
    default:
      return o satisfies never;
  }
}

const SKIP_WORDS = { 'symlink-outside': 'a symlink out of the scanned tree: not followed', 'too-large': 'over 5 MB', unreadable: 'cannot be read' } as const;

function writeSummary(ctx: CliContext, files: number, found: number, unknown: number, binary: number, skipped: string[]): void {
  say(
    ctx.stderr,
    ...skipped.map((s) => `Skipped ${s}`),
    `${files} file${files === 1 ? '' : 's'} scanned: ${found} place${found === 1 ? '' : 's'} holding a stored secret, ${unknown} likely token${unknown === 1 ? '' : 's'} not in the vault${binary > 0 ? `; ${binary} binary file${binary === 1 ? '' : 's'} skipped` : ''}.`,
  );
}
