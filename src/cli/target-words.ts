import { homedir } from 'node:os';
import type { DeploymentTargetRecord, DeploymentTargetSpec, PushOutcome, TargetResult, VerifyOutcome } from '../shared/deployment-targets';
import { targetHoldsSecret } from '../shared/deployment-targets';
import type { SecretCheck } from '../shared/secret-check';
import type { Vault } from '../main/vault';
import { displayPath } from './display-path';

/**
 * The command line's words for deployment targets: where a target is, what a push and a read-back did, what the
 * issuer said of a new secret. Never a secret: main's outcomes hold none.
 */

/** Workspace names by id, for remote targets ("gl" in "GitLab variable K in project team/app (gl)"). */
export type WorkspaceNames = ReadonlyMap<string, string>;

/** Each workspace's name by its id, for lines that name a target's or token's workspace. */
export const workspaceNames = (vault: Vault): WorkspaceNames => new Map(vault.workspaces.list().map((w) => [w.id, w.name]));

export function targetWhere(spec: DeploymentTargetSpec, workspaces: WorkspaceNames, home: string = homedir()): string {
  const ws = (id: string) => workspaces.get(id) ?? id;
  switch (spec.kind) {
    case 'dotenv':
    case 'npmrc':
    case 'json':
    case 'yaml':
      return `${displayPath(home)(spec.path)} (${spec.kind} ${spec.key})`;
    case 'docker':
      return `${displayPath(home)(spec.path)} (docker ${spec.key} as ${spec.user})`;
    case 'gitlab-variable':
      return `GitLab variable ${spec.key} in ${spec.level} ${spec.owner}${spec.environmentScope === '*' ? '' : ` [${spec.environmentScope}]`} (${ws(spec.workspaceId)})`;
    case 'gitea-secret':
      return `Actions secret ${spec.name} in ${spec.level === 'user' ? 'the user' : `${spec.level} ${spec.owner}`} (${ws(spec.workspaceId)})`;
    case 'github-secret':
      return `GitHub Actions secret ${spec.name} in ${spec.level} ${spec.owner} (${ws(spec.workspaceId)})`;
    case 'vault-kv':
      return `Vault KV ${spec.mount}/${spec.path} key ${spec.key} (${ws(spec.workspaceId)})`;
    default:
      return spec satisfies never;
  }
}

export function pushWords(push: PushOutcome): string {
  if (push.status === 'failed') return `not written: ${push.failure.message}`;
  const what = push.change === 'unchanged' ? 'already held it' : push.fileCreated ? 'file created (mode 0600)' : push.change === 'created' ? 'created' : 'written';
  return push.requoted ? `${what} (its quoting changed to keep the value intact)` : what;
}

export function verifyWords(verify: VerifyOutcome): string {
  switch (verify.status) {
    case 'verified':
      return verify.evidence === 'value-read-back' ? 'read back' : verify.evidence === 'present-since-push' ? 'present, not written since' : 'present (the service never shows the value)';
    case 'mismatch':
      return verify.problem === 'value-differs' ? 'read back: it holds another value' : verify.problem === 'missing' ? 'read back: missing' : 'written again by someone else since';
    case 'unverifiable':
      return 'the service hides the value: it cannot be read back';
    case 'failed':
      return `not read back: ${verify.failure.message}`;
    default:
      return verify satisfies never;
  }
}

/** `ok   ~/.npmrc (npmrc //registry/): written, read back` */
export function targetResultLine(r: TargetResult, workspaces: WorkspaceNames): string {
  const mark = targetHoldsSecret(r) ? 'ok  ' : 'FAIL';
  if (r.push === null) return `skip ${targetWhere(r.spec, workspaces)}: removed while it was written`;
  return `${mark} ${targetWhere(r.spec, workspaces)}: ${pushWords(r.push)}${r.verify ? `, ${verifyWords(r.verify)}` : ''}`;
}

/** The last push and verify of a stored target, for `use list`. */
export function lastPushWords(t: DeploymentTargetRecord): string {
  return t.lastPush ? `${t.lastPush.at.slice(0, 16).replace('T', ' ')} ${t.lastPush.status === 'written' ? 'written' : 'failed'}` : 'never';
}

export function lastVerifyWords(t: DeploymentTargetRecord): string {
  if (!t.lastVerify) return 'never';
  const at = t.lastVerify.at.slice(0, 16).replace('T', ' ');
  switch (t.lastVerify.status) {
    case 'verified':
      return `${at} ok`;
    case 'mismatch':
      return `${at} ${t.lastVerify.problem}`;
    case 'unverifiable':
      return `${at} hidden`;
    case 'failed':
      return `${at} failed`;
    default:
      return t.lastVerify satisfies never;
  }
}

export function issuerWords(check: SecretCheck): string {
  switch (check.state) {
    case 'valid':
      return check.limited ? 'The service accepts the new secret (its scope does not allow the check call itself).' : 'The service accepts the new secret.';
    case 'invalid':
      return check.reason === 'expired' ? 'The service says the new secret has expired.' : check.reason === 'inactive' ? 'The service says the new secret is switched off.' : 'The service refuses the new secret.';
    case 'unknown': {
      const why = {
        unreachable: 'it could not be reached',
        'rate-limited': 'it asked to slow down',
        'server-error': 'it answered with an error',
        'unexpected-answer': 'its answer could not be read',
        'not-checkable': 'it has no way to try a secret',
        'needs-setting': 'the workspace lacks a setting the check needs',
      }[check.reason];
      return `The service could not say whether the new secret works (${why}).`;
    }
    default:
      return check satisfies never;
  }
}
