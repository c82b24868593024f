import { z } from 'zod';
import { DeploymentTargetSpec, type DeployProgress, type DeployReport, type DeploymentTargetRecord } from '../deployment-targets';
import { MUTATES, returns } from './define-channel';

/**
 * targets:* — where a token is deployed ("Used in" in the token's details): list, add, remove, and push the current
 * secret to every target now. Answers carry paths, keys and results, never a secret.
 */
const Id = z.string().min(1).max(200);

export const AddTargetInput = z.object({ tokenId: Id, spec: DeploymentTargetSpec }).strict();

export const targetsChannels = {
  'targets:list': returns<DeploymentTargetRecord[]>().takes(z.object({ tokenId: Id }).strict()),
  'targets:add': returns<DeploymentTargetRecord>().takes(AddTargetInput, MUTATES),
  'targets:remove': returns<DeploymentTargetRecord>().takes(z.object({ tokenId: Id, targetId: Id }).strict(), MUTATES),
  /** Writes the token's current secret to every target and reads each back; `targets:progress` events meanwhile. */
  'targets:push': returns<DeployReport>().takes(z.object({ tokenId: Id }).strict(), MUTATES),
} as const;

export interface TargetsEvents {
  /** A "Push now" while it runs: which target, which phase (never a secret). */
  'targets:progress': DeployProgress;
}
