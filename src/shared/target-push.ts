import type { DeploymentTargetRecord, PushOutcome } from './deployment-targets';

/**
 * The record after a push: lastReceipt follows successful pushes only, so a failed retry keeps the verify baseline.
 * Apart from deployment-targets.ts because the vault applies it, and the vault loads no zod.
 */
export function withPush(record: DeploymentTargetRecord, outcome: PushOutcome): DeploymentTargetRecord {
  return { ...record, lastPush: outcome, lastReceipt: outcome.status === 'written' ? outcome.receipt : record.lastReceipt };
}
