import { AppFailure } from '../../errors';
import { createLogger } from '../../log/redacting-logger';
import type { DeploymentTargetSpec, PushOutcome, PushReceipt, VerifyOutcome } from '../../../shared/deployment-targets';
import { failureInfo } from './target-failure';
import type { TargetDeps } from './target-ports';

// Each kind's module is loaded when a target of that kind is written or read: the file formats bring YAML, JSONC and
// ini parsers, GitHub's sealed box brings libsodium, and most processes that load the rotation flow (resuming with
// nothing to resume, a rotation of a token deployed nowhere) use none of them.
const fileTargets = () => import('./file-targets');
const giteaSecret = () => import('./gitea-secret-target');
const githubSecret = () => import('./github-secret-target');
const gitlabVariable = () => import('./gitlab-variable-target');
const vaultKv = () => import('./vault-kv-target');

const log = createLogger('targets');

const NO_RECEIPT: PushReceipt = { remoteUpdatedAt: null, version: null };

/** Every spelling of the secret this target could show: Docker stores `user:secret`. */
const secretsOf = (target: DeploymentTargetSpec, secret: string) => (target.kind === 'docker' ? [secret, `${target.user}:${secret}`] : [secret]);

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) throw new AppFailure('invalid-argument', 'There is no secret to deploy.');
}

type Written = Omit<Extract<PushOutcome, { status: 'written' }>, 'status' | 'at'>;

async function write(target: DeploymentTargetSpec, secret: string, deps: TargetDeps): Promise<Written> {
  const remote = { fileCreated: false, requoted: false, occurrences: 1 };
  switch (target.kind) {
    case 'dotenv':
    case 'npmrc':
    case 'json':
    case 'yaml':
    case 'docker': {
      const w = await (await fileTargets()).writeFileTarget(target, secret);
      return { ...w, receipt: NO_RECEIPT };
    }
    case 'gitlab-variable':
      return { ...remote, change: await (await gitlabVariable()).writeGitlabVariable(target, secret, await deps.connect(target.workspaceId), deps.signal), receipt: NO_RECEIPT };
    case 'gitea-secret':
      return { ...remote, change: await (await giteaSecret()).writeGiteaSecret(target, secret, await deps.connect(target.workspaceId), deps.signal), receipt: NO_RECEIPT };
    case 'github-secret': {
      const w = await (await githubSecret()).writeGithubSecret(target, secret, await deps.connect(target.workspaceId), deps.signal);
      return { ...remote, change: w.change, receipt: { remoteUpdatedAt: w.updatedAt, version: null } };
    }
    case 'vault-kv': {
      const w = await (await vaultKv()).writeVaultKv(target, secret, await deps.connect(target.workspaceId), deps.signal);
      return { ...remote, change: w.change, receipt: { remoteUpdatedAt: null, version: w.version } };
    }
  }
}

/**
 * Writes the secret to the target (creating what is missing) and reports what happened. Safe to repeat: a target
 * that already holds the secret reports `unchanged` where the service lets us see that, and a repeated write of a
 * write-only secret writes the same value again. Never throws; never puts the secret in the outcome.
 */
export async function pushToTarget(target: DeploymentTargetSpec, secret: string, deps: TargetDeps): Promise<PushOutcome> {
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  try {
    assertSecret(secret);
    const w = await write(target, secret, deps);
    log.info('deployment target written', { kind: target.kind, change: w.change });
    return { status: 'written', at: now(), ...w };
  } catch (e) {
    const failure = failureInfo(e, secretsOf(target, secret));
    // a refusal is an answer (the presenters word it), not a fault of ours
    (failure.code === 'target-refused' ? log.info : log.warn)('deployment target not written', { kind: target.kind, code: failure.code, reason: failure.reason });
    return { status: 'failed', at: now(), failure };
  }
}

type Checked = { status: 'verified'; evidence: 'value-read-back' | 'present-since-push' | 'present' } | { status: 'mismatch'; problem: 'value-differs' | 'missing' | 'changed-since-push' } | { status: 'unverifiable'; why: 'hidden-value' };

async function check(target: DeploymentTargetSpec, secret: string, deps: TargetDeps, since: PushReceipt | null): Promise<Checked> {
  const readBack = (r: 'value-read-back' | 'missing' | 'value-differs'): Checked => (r === 'value-read-back' ? { status: 'verified', evidence: r } : { status: 'mismatch', problem: r });
  switch (target.kind) {
    case 'dotenv':
    case 'npmrc':
    case 'json':
    case 'yaml':
    case 'docker':
      return readBack(await (await fileTargets()).checkFileTarget(target, secret));
    case 'gitlab-variable': {
      const r = await (await gitlabVariable()).checkGitlabVariable(target, secret, await deps.connect(target.workspaceId), deps.signal);
      return r === 'hidden-value' ? { status: 'unverifiable', why: r } : readBack(r);
    }
    case 'gitea-secret': {
      const r = await (await giteaSecret()).checkGiteaSecret(target, await deps.connect(target.workspaceId), deps.signal);
      return r === 'present' ? { status: 'verified', evidence: 'present' } : { status: 'mismatch', problem: 'missing' };
    }
    case 'github-secret': {
      const r = await (await githubSecret()).checkGithubSecret(target, await deps.connect(target.workspaceId), since?.remoteUpdatedAt ?? null, deps.signal);
      return r === 'missing' || r === 'changed-since-push' ? { status: 'mismatch', problem: r } : { status: 'verified', evidence: r };
    }
    case 'vault-kv':
      return readBack((await (await vaultKv()).checkVaultKv(target, secret, await deps.connect(target.workspaceId), deps.signal)).result);
  }
}

/**
 * Reads the target back and compares it with the secret where the service allows; for write-only secrets, checks
 * the secret exists and (given the receipt of our last push) that nobody wrote it after us. Never throws.
 */
export async function verifyTarget(target: DeploymentTargetSpec, secret: string, deps: TargetDeps, since: PushReceipt | null = null): Promise<VerifyOutcome> {
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  try {
    assertSecret(secret);
    return { ...(await check(target, secret, deps, since)), at: now() };
  } catch (e) {
    const failure = failureInfo(e, secretsOf(target, secret));
    (failure.code === 'target-refused' ? log.info : log.warn)('deployment target not verified', { kind: target.kind, code: failure.code, reason: failure.reason });
    return { status: 'failed', at: now(), failure };
  }
}
