import { resolve } from 'node:path';
import {
  failedTargets,
  FILE_TARGET_KINDS,
  fileTargetKindOf,
  npmRegistryPrefix,
  targetHoldsSecret,
  type DeploymentTargetInput,
  type FileTargetKind,
} from '../../shared/deployment-targets';
import { AppFailure } from '../../main/errors';
import { TargetService } from '../../main/use-cases/targets';
import { resolveToken, resolveWorkspace } from '../../main/use-cases/token-lookup';
import type { Vault, Workspace } from '../../main/vault';
import { UsageError, type CliCommand, type CliContext, type CliValues } from '../cli-command';
import { withVault } from '../open-vault';
import { printJson, say } from '../output';
import { lastPushWords, lastVerifyWords, targetResultLine, targetWhere, workspaceNames } from '../target-words';

// `token-vault use ...`: where a token is deployed. `add` records a place, `list` shows each with its last push and
// read-back, `remove` forgets one (the place itself is left as it is), `push` writes the current secret everywhere.

const str = (values: CliValues, key: string): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
const shortId = (id: string) => id.slice(0, 8);

const FORMAT_RULE = 'the format follows the file name when --format is left out: .npmrc npmrc, .docker/config.json docker, *.json json, *.yaml/*.yml yaml, .env, .env.* and *.env dotenv';

function fileTarget(values: CliValues, file: string, key: string): DeploymentTargetInput {
  const path = resolve(file);
  const given = str(values, 'format');
  if (given !== undefined && !(FILE_TARGET_KINDS as readonly string[]).includes(given)) throw new UsageError(`--format is one of ${FILE_TARGET_KINDS.join(', ')}.`);
  const format = (given as FileTargetKind | undefined) ?? fileTargetKindOf(path);
  if (!format) throw new UsageError(`--format: the name of ${file} does not say its format; add --format ${FILE_TARGET_KINDS.join('|')}.`);
  const user = str(values, 'user');
  if (format === 'docker' && user === undefined) throw new UsageError('--user: a Docker config entry holds USER:SECRET; name the user.');
  if (format !== 'docker' && user !== undefined) throw new UsageError('--user goes with --format docker only.');
  switch (format) {
    case 'docker':
      return { kind: 'docker', path, key, user: user ?? '' };
    case 'npmrc':
      // A registry URL is welcome: npm's own prefix rule turns it into //host/path/.
      return { kind: 'npmrc', path, key: npmRegistryPrefix(key) ?? key };
    case 'dotenv':
    case 'json':
    case 'yaml':
      return { kind: format, path, key };
    default:
      return format satisfies never;
  }
}

function remoteTarget(values: CliValues, ws: Workspace, key: string): DeploymentTargetInput {
  const project = str(values, 'project');
  const group = str(values, 'group');
  const path = str(values, 'path');
  const mount = str(values, 'mount');
  if (ws.kind === 'vault') {
    if (path === undefined) throw new UsageError('--path: name the secret\'s path in the KV mount (e.g. --path ci/deploy).');
    if (project !== undefined || group !== undefined) throw new UsageError('A HashiCorp Vault target takes --path and --key, not --project or --group.');
    return { kind: 'vault-kv', workspaceId: ws.id, path, key, ...(mount !== undefined ? { mount } : {}) };
  }
  if (path !== undefined || mount !== undefined) throw new UsageError('--path and --mount are for HashiCorp Vault targets.');
  if ((project === undefined) === (group === undefined)) throw new UsageError('Name the owner: --project P (a project or repository) or --group G (a GitLab group, an organisation).');
  const owner = (project ?? group) as string;
  switch (ws.kind) {
    case 'gitlab':
      return { kind: 'gitlab-variable', workspaceId: ws.id, level: project !== undefined ? 'project' : 'group', owner, key };
    case 'gitea':
      return { kind: 'gitea-secret', workspaceId: ws.id, level: project !== undefined ? 'repo' : 'org', owner, name: key };
    case 'github':
      return { kind: 'github-secret', workspaceId: ws.id, level: project !== undefined ? 'repo' : 'org', owner, name: key };
    default:
      throw new AppFailure('invalid-argument', `"${ws.name}" cannot hold deployment targets: they go to GitLab (CI/CD variables), Gitea or GitHub (Actions secrets) and HashiCorp Vault (KV) workspaces.`);
  }
}

export const useAddCommand: CliCommand = {
  summary: `Record a place the token is deployed to (written by use push and by every rotation): a file, or a remote secret. ${FORMAT_RULE}. KEY is the variable, the registry (//registry.npmjs.org/), the dotted path, or the registry host.`,
  usage:
    'use add W/N --file PATH [--format dotenv|npmrc|json|yaml|docker] --key KEY [--user U]\n  use add W/N --target WORKSPACE --project P --key KEY   (or --group G)\n  use add W/N --target WORKSPACE --path P --key K [--mount M]',
  positionals: [1, 1],
  options: {
    file: { type: 'string' },
    format: { type: 'string' },
    key: { type: 'string' },
    user: { type: 'string' },
    target: { type: 'string' },
    project: { type: 'string' },
    group: { type: 'string' },
    path: { type: 'string' },
    mount: { type: 'string' },
  },
  async run(ctx, { values, positionals }) {
    const file = str(values, 'file');
    const target = str(values, 'target');
    if ((file === undefined) === (target === undefined)) throw new UsageError('Say where: --file PATH, or --target WORKSPACE.');
    const key = str(values, 'key');
    if (key === undefined || key === '') throw new UsageError('--key: say which variable, registry, path or secret name holds the token.');
    if (file !== undefined && ['target', 'project', 'group', 'path', 'mount'].some((k) => values[k] !== undefined)) throw new UsageError('--file takes --format, --key and --user only.');
    if (target !== undefined && (values['format'] !== undefined || values['user'] !== undefined)) throw new UsageError('--format and --user are for --file targets.');
    const fileInput = file !== undefined ? fileTarget(values, file, key) : null;
    await withVault(ctx, (vault) => {
      const token = resolveToken(vault, positionals[0] ?? '');
      const input = fileInput ?? remoteTarget(values, resolveWorkspace(vault, target as string), key);
      const added = new TargetService({ vault, actor: 'cli' }).add(token.id, input);
      if (ctx.json) printJson(ctx, { id: added.id, tokenId: token.id, kind: added.spec.kind, spec: added.spec });
      else say(ctx.stdout, `Added target ${shortId(added.id)}: ${targetWhere(added.spec, workspaceNames(vault))}.`, 'Nothing was written yet: `token-vault use push W/N` writes the secret there, and so does every rotation.');
    });
  },
};

export const useListCommand: CliCommand = {
  summary: 'List where a token is deployed, each place with its last push and read-back.',
  usage: 'use list W/N [--json]',
  positionals: [1, 1],
  async run(ctx, { positionals }) {
    await withVault(ctx, (vault) => {
      const token = resolveToken(vault, positionals[0] ?? '');
      const targets = new TargetService({ vault, actor: 'cli' }).list(token.id);
      if (ctx.json) {
        printJson(ctx, targets.map((t) => ({ id: t.id, kind: t.spec.kind, spec: t.spec, createdAt: t.createdAt, lastPush: t.lastPush, lastVerify: t.lastVerify })));
        return;
      }
      if (targets.length === 0) {
        say(ctx.stderr, `${token.name} has no deployment targets; \`token-vault use add\` records one.`);
        return;
      }
      const ws = workspaceNames(vault);
      for (const t of targets)
        say(ctx.stdout, `${shortId(t.id)}  ${targetWhere(t.spec, ws)}`, `          pushed ${lastPushWords(t)}; read back ${lastVerifyWords(t)}`);
    });
  },
};

export const useRemoveCommand: CliCommand = {
  summary: 'Forget a deployment target (the file or remote secret itself is left as it is). TARGET_ID as use list shows it.',
  usage: 'use remove W/N TARGET_ID',
  positionals: [2, 2],
  async run(ctx, { positionals }) {
    await withVault(ctx, (vault) => {
      const token = resolveToken(vault, positionals[0] ?? '');
      const removed = new TargetService({ vault, actor: 'cli' }).remove(token.id, positionals[1] ?? '');
      if (ctx.json) printJson(ctx, { id: removed.id, removed: true });
      else say(ctx.stdout, `Removed target ${shortId(removed.id)}: ${targetWhere(removed.spec, workspaceNames(vault))}. What it holds was left as it is.`);
    });
  },
};

function printPush(ctx: CliContext, vault: Vault, tokenName: string, report: Awaited<ReturnType<TargetService['push']>>): number {
  const failed = failedTargets(report);
  if (ctx.json) {
    printJson(ctx, { tokenId: report.tokenId, targets: report.targets.map((t) => ({ id: t.targetId, ok: targetHoldsSecret(t), spec: t.spec, push: t.push, verify: t.verify })) });
    return failed.length > 0 ? 1 : 0;
  }
  const ws = workspaceNames(vault);
  if (report.targets.length === 0) say(ctx.stderr, `${tokenName} has no deployment targets; \`token-vault use add\` records one.`);
  else say(ctx.stdout, ...report.targets.map((t) => targetResultLine(t, ws)));
  if (failed.length === 0) return 0;
  say(ctx.stderr, `${failed.length} of ${report.targets.length} target${report.targets.length === 1 ? '' : 's'} did not take the secret:`, ...failed.map((t) => `  ${shortId(t.targetId)} ${targetWhere(t.spec, ws)}`));
  return 1;
}

export const usePushCommand: CliCommand = {
  summary: 'Write the token\'s current secret to every place it is deployed and read each back (exit 1 naming each that failed).',
  usage: 'use push W/N',
  positionals: [1, 1],
  async run(ctx, { positionals }) {
    return withVault(ctx, async (vault) => {
      const token = resolveToken(vault, positionals[0] ?? '');
      const report = await new TargetService({ vault, actor: 'cli' }).push(token.id);
      return printPush(ctx, vault, token.name, report);
    });
  },
};
