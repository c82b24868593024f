import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  DeploymentTargetSpec,
  isFileTargetKind,
  REMOTE_TARGET_SERVICE,
  type DeployProgress,
  type DeployReport,
  type DeploymentTargetInput,
  type DeploymentTargetRecord,
  targetHoldsSecret,
} from '../../../shared/deployment-targets';
import { WAITING_STEPS } from '../../../shared/ipc/rotation-channels';
import { isRevokedStatus } from '../../../shared/token-status';
import { AppFailure, isAppFailure } from '../../errors';
import { getProvider } from '../../providers/provider-registry';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { TokenSummary, Vault, Workspace } from '../../vault';
import type { ScanTargetLinker, SuggestedTarget } from '../../../shared/scan';
import { connectWorkspace } from '../workspace-connection';
import { deployTargets } from './deploy-targets';
import { vaultTargetDeps } from './target-connection';

/** Rounds of "push, then look whether the secret changed meanwhile" before giving up the race to another writer. */
const MAX_ROUNDS = 3;

export interface TargetServiceOptions {
  vault: Vault;
  /** Who appears in the audit log: `app`, `cli`. */
  actor?: string;
  /** Builds a workspace's connection (tests may point it elsewhere; default: from the vault). */
  connect?: (vault: Vault, workspace: Workspace) => { provider: Provider; ctx: ProviderContext };
}

/**
 * Where a token is deployed: add, list and remove its targets, and write its current secret to all of them and read
 * it back (the command line's push, the window's "Push now"). The rotation writes them through its own journaled steps (rotation-deploy.ts).
 */
export class TargetService {
  private readonly vault: Vault;
  private readonly actor: string;
  private readonly connect: NonNullable<TargetServiceOptions['connect']>;

  constructor(options: TargetServiceOptions) {
    this.vault = options.vault;
    this.actor = options.actor ?? 'app';
    this.connect = options.connect ?? connectWorkspace;
  }

  list(tokenId: string): DeploymentTargetRecord[] {
    this.vault.tokens.get(tokenId);
    return this.vault.targets.list(tokenId);
  }

  /**
   * Adds a place the token is deployed to (nothing is written yet). Refuses a spec the format or the service would
   * not take, a remote target whose workspace is of another service or has no admin credential, a file whose folder
   * does not exist, and a place some token is already deployed to.
   */
  add(tokenId: string, input: DeploymentTargetInput): DeploymentTargetRecord {
    this.vault.tokens.get(tokenId);
    const parsed = DeploymentTargetSpec.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppFailure('invalid-argument', `${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'This is not a deployment target.'}`);
    }
    const spec = parsed.data;
    if (isFileTargetKind(spec.kind)) {
      const folder = dirname((spec as { path: string }).path);
      if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new AppFailure('invalid-argument', `The folder ${folder} does not exist.`);
    } else {
      const remote = spec as Extract<DeploymentTargetSpec, { workspaceId: string }>;
      const workspace = this.vault.workspaces.get(remote.workspaceId);
      const wanted = REMOTE_TARGET_SERVICE[remote.kind];
      if (workspace.kind !== wanted)
        throw new AppFailure('invalid-argument', `"${workspace.name}" is a ${getProvider(workspace.kind).label} workspace; this target needs a ${getProvider(wanted).label} workspace.`);
      if (!workspace.hasAdminCredential)
        throw new AppFailure('bad-credential', `The workspace "${workspace.name}" has no admin credential to write this target with.`, { field: 'adminSecret' });
    }
    return this.vault.targets.add(tokenId, spec, this.actor);
  }

  /** `targetRef`: the target's id, or the start of it when only one of the token's targets starts that way. */
  remove(tokenId: string, targetRef: string): DeploymentTargetRecord {
    const target = this.resolve(tokenId, targetRef);
    this.vault.targets.remove(target.id, this.actor);
    return target;
  }

  resolve(tokenId: string, targetRef: string): DeploymentTargetRecord {
    const targets = this.list(tokenId);
    const exact = targets.find((t) => t.id === targetRef);
    if (exact) return exact;
    const starts = targetRef.length >= 4 ? targets.filter((t) => t.id.startsWith(targetRef)) : [];
    if (starts.length === 1) return starts[0] as DeploymentTargetRecord;
    if (starts.length > 1) throw new AppFailure('invalid-argument', `Several targets of this token start with "${targetRef}"; give more of the id.`);
    throw new AppFailure('not-found', 'This token has no deployment target with that id.');
  }

  /**
   * Writes the token's current secret to every target and reads each back. If the secret changed while the push ran
   * (a rotation in another process stored a new one), pushes again, so the targets end with the newest secret.
   * Refused while a rotation of the token is writing its own targets.
   */
  async push(tokenId: string, options: { onProgress?: (p: DeployProgress) => void; signal?: AbortSignal } = {}): Promise<DeployReport> {
    const token = this.vault.tokens.get(tokenId);
    if (isRevokedStatus(token.status)) throw new AppFailure('invalid-argument', `"${token.name}" is revoked; its secret no longer works anywhere.`, token.replacedById ? {} : { next: 'rotate' });
    this.refuseDuringRotation(token);
    let secret = this.readSecret(token.id);
    const deps = vaultTargetDeps(this.vault, this.connect, options.signal ? { signal: options.signal } : {});
    let report: DeployReport = { tokenId, targets: [] };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const targets = this.vault.targets.list(tokenId);
      if (targets.length === 0) return report;
      report = await deployTargets(this.vault.targets, tokenId, targets, secret, deps, options.onProgress);
      const now = this.readSecret(token.id);
      if (now === secret) break;
      secret = now;
    }
    const held = report.targets.filter(targetHoldsSecret).length;
    this.vault.audit.append({ action: 'deployed', tokenId, workspaceId: token.workspaceId, actor: this.actor, detail: `${held} of ${report.targets.length} targets hold the secret` });
    return report;
  }

  /** The port `scan` links its findings through: a place already linked to this token is kept, not refused. */
  scanLinker(): ScanTargetLinker {
    return {
      link: async (tokenId, found: SuggestedTarget) => {
        try {
          return { ok: true, targetId: this.add(tokenId, suggestionInput(found)).id };
        } catch (error) {
          if (!isAppFailure(error)) throw error;
          const same = this.linkedTarget(tokenId, found);
          if (same) return { ok: true, targetId: same.id };
          return { ok: false, code: error.code, message: error.message };
        }
      },
    };
  }

  /** The token's target that a scan's suggestion names, when it has it already. */
  linkedTarget(tokenId: string, found: SuggestedTarget): DeploymentTargetRecord | undefined {
    const spec = DeploymentTargetSpec.safeParse(suggestionInput(found));
    return spec.success ? this.vault.targets.list(tokenId).find((t) => JSON.stringify(t.spec) === JSON.stringify(spec.data)) : undefined;
  }

  private readSecret(tokenId: string): string {
    const secret = this.vault.tokens.readSecret(tokenId);
    if (secret === null) throw new AppFailure('secret-not-stored', 'The vault holds no secret for this token, so there is nothing to deploy.');
    return secret;
  }

  /** A rotation between its store and its wait writes the targets itself; a second writer would race it. */
  private refuseDuringRotation(token: TokenSummary): void {
    const entries = [...this.vault.journal.list(token.id), ...(token.replacesId ? this.vault.journal.list(token.replacesId) : [])];
    if (entries.some((e) => !WAITING_STEPS.includes(e.step)))
      throw new AppFailure('rotation-in-progress', `A rotation of "${token.name}" is under way; it writes the targets itself.`, { next: 'resume' });
  }
}

function suggestionInput(found: SuggestedTarget): DeploymentTargetInput {
  const path = resolve(found.file);
  return found.format === 'docker' ? { kind: 'docker', path, key: found.key, user: found.user ?? '' } : { kind: found.format, path, key: found.key };
}
