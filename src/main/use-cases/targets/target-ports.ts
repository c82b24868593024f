import type { HttpClient } from '../../providers/http/http-client';
import type { WorkspaceConnection } from '../../providers/provider-types';
import type { DeploymentTargetRecord, DeploymentTargetSpec, PushOutcome, VerifyOutcome } from '../../../shared/deployment-targets';
import { AppFailure } from '../../errors';

/** A remote target's workspace: its address and admin credential, and the one HTTP client for it (rate limit included). */
export interface TargetConnection {
  workspace: WorkspaceConnection;
  http: HttpClient;
}

/** What pushing and verifying need from the rest of the app. File targets need nothing. */
export interface TargetDeps {
  connect(workspaceId: string): TargetConnection | Promise<TargetConnection>;
  now?: () => Date;
  signal?: AbortSignal;
}

/**
 * What the target use cases need from the vault (`vault.targets` is one): the vault keeps each record sealed, since
 * paths and names say where secrets live.
 */
export interface TargetStore {
  list(tokenId: string): DeploymentTargetRecord[];
  find(targetId: string): DeploymentTargetRecord | undefined;
  add(tokenId: string, spec: DeploymentTargetSpec, actor?: string): DeploymentTargetRecord;
  remove(targetId: string, actor?: string): void;
  /** Records the outcome (a successful push also replaces lastReceipt, see withPush); undefined when it is gone. */
  recordPush(targetId: string, outcome: PushOutcome): DeploymentTargetRecord | undefined;
  recordVerify(targetId: string, outcome: VerifyOutcome): DeploymentTargetRecord | undefined;
}

export function adminSecretOf(conn: TargetConnection, what: string): string {
  const secret = conn.workspace.adminSecret;
  if (!secret) throw new AppFailure('bad-credential', `The workspace "${conn.workspace.name}" has no ${what}; it is needed to write this target.`);
  return secret;
}
