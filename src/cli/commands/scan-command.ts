import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { formatReference } from '../../main/use-cases/references/secret-reference';
import { MIN_SCANNED_SECRET_CHARS, SecretScanner, type ScanRoot, type ScanSecret } from '../../main/use-cases/scan/secret-scanner';
import { suggestTarget, type SuggestedTarget } from '../../main/use-cases/scan/target-suggestion';
import { TargetService } from '../../main/use-cases/targets';
import type { CliCommand, CliContext } from '../cli-command';
import { displayPath } from '../display-path';
import { withVault } from '../open-vault';
import { printJson, say } from '../output';
import { workspaceNames } from '../target-words';

/** The home files scanned when no PATH is given (besides the current folder's tree). */
export const WELL_KNOWN_HOME_FILES = ['.npmrc', '.docker/config.json', '.config/gh/hosts.yml', '.netrc', '.kube/config'];

export const scanCommand: CliCommand = {
  summary:
    `Find files holding stored secrets of ${MIN_SCANNED_SECRET_CHARS}+ characters (file:line and reference, never the secret) and likely tokens not in the vault.`,
  usage: 'scan [PATH...] [--add] [--json]',
  options: { add: { type: 'boolean' } },
  positionals: [0, Number.POSITIVE_INFINITY],
  async run(ctx, { values, positionals }) {
    const home = ctx.env['HOME'] || homedir();
    const roots: ScanRoot[] =
      positionals.length > 0
        ? positionals.map((path) => ({ path }))
        : [{ path: '.' }, ...WELL_KNOWN_HOME_FILES.map((f) => ({ path: join(home, f), optional: true }))];
    await withVault(ctx, async (vault) => {
      const workspaces = workspaceNames(vault);
      const tokens = vault.tokens.list().filter((t) => t.hasSecret);
      const stored = vault.tokens.readAllSecrets(); // compared, never shown: not a reveal
      const secrets: ScanSecret[] = [];
      tokens.forEach((t, key) => {
        const secret = stored.get(t.id);
        if (secret) secrets.push({ key, secret });
      });
      const report = new SecretScanner(secrets).scan(roots);
      const found = report.stored
        .map((h) => {
          const t = tokens[h.key] as (typeof tokens)[number];
          const workspace = workspaces.get(t.workspaceId) ?? t.workspaceId;
          return { file: h.file, line: h.line, reference: formatReference(workspace, t.name), tokenId: t.id, workspace, token: t.name, encoding: h.encoding };
        })
        .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
      const unknown = [...report.unknown].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
      const skipped = [...report.skipped].sort((a, b) => a.path.localeCompare(b.path));

      let linked: { file: string; line: number; reference: string; target: SuggestedTarget | null; outcome: string }[] | undefined;
      if (values['add'] === true) {
        const linker = new TargetService({ vault, actor: 'cli' }).scanLinker();
        linked = [];
        for (const f of found) {
          const secret = secrets.find((s) => tokens[s.key]?.id === f.tokenId)?.secret ?? '';
          let text = '';
          try {
            text = readFileSync(f.file, 'utf8');
          } catch {
            /* gone since the scan */
          }
          const target = suggestTarget(f.file, text, f.line, secret);
          if (!target) {
            linked.push({ ...f, target, outcome: 'not a known file format: link it with use add' });
            continue;
          }
          const r = await linker.link(f.tokenId, target);
          linked.push({ ...f, target, outcome: r.ok ? `linked as target ${r.targetId.slice(0, 8)}` : r.message });
        }
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

const SKIP_WORDS = { 'symlink-outside': 'a symlink out of the scanned tree: not followed', 'too-large': 'over 5 MB', unreadable: 'cannot be read' } as const;

function writeSummary(ctx: CliContext, files: number, found: number, unknown: number, binary: number, skipped: string[]): void {
  say(
    ctx.stderr,
    ...skipped.map((s) => `Skipped ${s}`),
    `${files} file${files === 1 ? '' : 's'} scanned: ${found} place${found === 1 ? '' : 's'} holding a stored secret, ${unknown} likely token${unknown === 1 ? '' : 's'} not in the vault${binary > 0 ? `; ${binary} binary file${binary === 1 ? '' : 's'} skipped` : ''}.`,
  );
}
