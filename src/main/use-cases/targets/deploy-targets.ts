import type { DeployProgress, DeployReport, DeploymentTargetRecord, TargetResult } from '../../../shared/deployment-targets';
import { targetHoldsSecret } from '../../../shared/deployment-targets';
import { pushToTarget, verifyTarget } from './push-target';
import type { TargetDeps, TargetStore } from './target-ports';

/**
 * One target: write the secret, record the outcome, read it back, record that. Never throws (a failure is the
 * outcome); never puts the secret anywhere but the target. The verify compares with the receipt of this push.
 */
export async function deployTarget(store: TargetStore, target: DeploymentTargetRecord, secret: string, deps: TargetDeps, onPhase?: (phase: 'verifying') => void): Promise<TargetResult> {
  const push = await pushToTarget(target.spec, secret, deps);
  // Removed while it was written: nothing to record, and its result no longer counts.
  if (store.recordPush(target.id, push) === undefined) return { targetId: target.id, spec: target.spec, push: null, verify: null };
  if (push.status !== 'written') return { targetId: target.id, spec: target.spec, push, verify: null };
  onPhase?.('verifying');
  const verify = await verifyTarget(target.spec, secret, deps, push.receipt);
  store.recordVerify(target.id, verify);
  return { targetId: target.id, spec: target.spec, push, verify };
}

/**
 * Every given target of a token, one after another (a rate-limited service sees one writer; a file is written by one
 * editor at a time). `onProgress` hears each step, never the secret.
 */
export async function deployTargets(
  store: TargetStore,
  tokenId: string,
  targets: readonly DeploymentTargetRecord[],
  secret: string,
  deps: TargetDeps,
  onProgress?: (p: DeployProgress) => void,
): Promise<DeployReport> {
  const results: TargetResult[] = [];
  for (const [index, target] of targets.entries()) {
    const at = { tokenId, targetId: target.id, index, total: targets.length };
    onProgress?.({ ...at, phase: 'pushing' });
    const r = await deployTarget(store, target, secret, deps, (phase) => onProgress?.({ ...at, phase }));
    onProgress?.({ ...at, phase: 'done', ok: targetHoldsSecret(r) });
    results.push(r);
  }
  return { tokenId, targets: results };
}
