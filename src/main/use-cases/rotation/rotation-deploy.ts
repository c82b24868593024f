import { targetHoldsSecret, type TargetResult } from '../../../shared/deployment-targets';
import type { RotationDeploy, RotationMode, StepOf, WaitReason } from '../../../shared/ipc/rotation-channels';
import type { SecretCheck } from '../../../shared/secret-check';
import { AppFailure } from '../../errors';
import { createLogger } from '../../log/redacting-logger';
import { deployTarget, vaultTargetDeps } from '../targets';
import { writeStep, type RotationContext } from './rotation-context';
import type { DeployState, PayloadOf } from './rotation-journal';

const log = createLogger('rotation');

// The steps after the new secret is stored: write it to each deployment target (one journal step each, durable
// before the write), check it at the issuer, and say whether the old token may go. The secret is read from the
// token record each time, never kept in the journal.

/** The deploy steps' first state, or null when the token has no targets (then nothing is written anywhere). */
export function startDeploy(rc: RotationContext, secretTokenId: string): DeployState | null {
  const targetIds = rc.vault.targets.list(secretTokenId).map((t) => t.id);
  return targetIds.length > 0 ? { tokenId: secretTokenId, targetIds, next: 0, failed: [] } : null;
}

type WithDeploy<M extends RotationMode> = PayloadOf<M> & { deploy: DeployState };

/**
 * Runs (or, after a crash, finishes) the deploy steps of rotation `id`, whose journal entry hangs on `entryTokenId`.
 * Each target is written and read back after its step is durable; a target that fails is noted and the others are
 * still written (the new secret should reach every place it can). Returns the payload as last written.
 */
export async function runDeploy<M extends RotationMode>(rc: RotationContext, id: string, entryTokenId: string, start: WithDeploy<M>): Promise<{ payload: WithDeploy<M>; deploy: RotationDeploy }> {
  let payload = start;
  let state = start.deploy;
  const secret = rc.vault.tokens.readSecret(state.tokenId);
  if (secret === null) throw new AppFailure('internal', 'The new secret is not in the vault; the rotation journal still holds where it stopped.', { next: 'resume' });
  const deps = vaultTargetDeps(rc.vault, rc.connect, { now: () => rc.clock.now() });
  const step = (name: StepOf<M>) => {
    payload = { ...payload, deploy: state };
    writeStep<M>(rc, id, entryTokenId, name, payload);
  };
  for (let i = state.next; i < state.targetIds.length; i++) {
    state = { ...state, next: i };
    step('deploy-requested' as StepOf<M>);
    rc.checkpoint(`journal:deploy-requested:${i}`);
    const target = rc.vault.targets.find(state.targetIds[i] as string);
    // Removed (or handed to another token) since the steps began: it no longer takes this secret.
    if (!target || target.tokenId !== state.tokenId) continue;
    const at = { tokenId: state.tokenId, targetId: target.id, index: i, total: state.targetIds.length };
    rc.progress({ tokenId: entryTokenId, step: 'target', target: { ...at, phase: 'pushing' } });
    const r = await deployTarget(rc.vault.targets, target, secret, deps, (phase) => rc.progress({ tokenId: entryTokenId, step: 'target', target: { ...at, phase } }));
    rc.checkpoint('target:deployed');
    rc.progress({ tokenId: entryTokenId, step: 'target', target: { ...at, phase: 'done', ok: targetHoldsSecret(r) } });
    if (r.push !== null && !targetHoldsSecret(r)) state = { ...state, failed: [...state.failed, target.id] };
  }
  state = { ...state, next: state.targetIds.length };
  step('issuer-check-requested' as StepOf<M>);
  rc.progress({ tokenId: entryTokenId, step: 'checking-issuer' });
  const issuer = await checkAtIssuer(rc, state.tokenId, secret);
  rc.checkpoint('remote:check-secret');
  const targets = resultsOf(rc, state);
  const token = rc.vault.tokens.get(state.tokenId);
  rc.vault.audit.append({
    action: 'deployed',
    tokenId: token.id,
    workspaceId: token.workspaceId,
    actor: rc.actor,
    detail: `rotation: ${targets.filter(targetHoldsSecret).length} of ${targets.length} targets hold the new secret; the service says ${issuer.state}`,
  });
  return { payload, deploy: { tokenId: state.tokenId, targets, issuer } };
}

/** Each target's last push and verify as recorded (a resumed rotation reports the targets written before the crash too). */
export function resultsOf(rc: RotationContext, state: DeployState): TargetResult[] {
  return state.targetIds.flatMap((targetId) => {
    const r = rc.vault.targets.find(targetId);
    if (!r || r.tokenId !== state.tokenId) return [];
    return [{ targetId, spec: r.spec, push: r.lastPush, verify: r.lastPush?.status === 'written' ? r.lastVerify : null }];
  });
}

/** One cheap authenticated call with the new secret. Never throws: what cannot be told is `unknown`. */
async function checkAtIssuer(rc: RotationContext, tokenId: string, secret: string): Promise<SecretCheck> {
  const token = rc.vault.tokens.get(tokenId);
  try {
    const { provider, ctx } = rc.connect(rc.vault, rc.vault.workspaces.get(token.workspaceId));
    if (!provider.checkSecret) return { state: 'unknown', reason: 'not-checkable' };
    return await provider.checkSecret(ctx, secret, { type: token.type, remoteId: token.remoteId });
  } catch (error) {
    log.warn('checking the new secret failed', { tokenId, error: error instanceof Error ? error.name : 'unknown' });
    return { state: 'unknown', reason: 'unexpected-answer' };
  }
}

/**
 * Why the old token must wait for the user, or null when it may go: every target holds the new secret and the
 * service accepted it. Unknown is not valid.
 */
export function waitReason(state: DeployState, deploy: RotationDeploy): WaitReason | null {
  if (state.failed.length > 0) return 'targets-failed';
  if (deploy.issuer?.state === 'invalid') return 'issuer-refused';
  if (deploy.issuer?.state !== 'valid') return 'issuer-unknown';
  return null;
}
