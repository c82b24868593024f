import type { HttpClient } from '../../providers/http/http-client';
import type { WorkspaceConnection } from '../../providers/provider-types';
import type { DeploymentTargetRecord, DeploymentTargetSpec, PushOutcome, PushReceipt, VerifyOutcome } from '../../../shared/deployment-targets';
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
 * What the target use cases need from the vault; the vault keeps each record as the JSON of DeploymentTargetRecord
 * (encrypted, since paths and names say where secrets live).
 */
export interface TargetStore {
  listTargets(tokenId: string): DeploymentTargetRecord[];
  addTarget(tokenId: string, spec: DeploymentTargetSpec): DeploymentTargetRecord;
  removeTarget(targetId: string): void;
  /** Records the outcome; a successful push also replaces lastReceipt. */
  recordPush(targetId: string, outcome: PushOutcome): void;
  recordVerify(targetId: string, outcome: VerifyOutcome): void;
}

/** The record after a push: lastReceipt follows successful pushes only, so a failed retry keeps the verify baseline. */
export function withPush(record: DeploymentTargetRecord, outcome: PushOutcome): DeploymentTargetRecord {
  const receipt: PushReceipt | null = outcome.status === 'written' ? outcome.receipt : record.lastReceipt;
  return { ...record, lastPush: outcome, lastReceipt: receipt };
}

export function adminSecretOf(conn: TargetConnection, what: string): string {
  const secret = conn.workspace.adminSecret;
  if (!secret) throw new AppFailure('bad-credential', `The workspace "${conn.workspace.name}" has no ${what}; it is needed to write this target.`);
  return secret;
}
