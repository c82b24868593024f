import type { RotationFinding, RotationOutcome, RotationReport, RotationReportState } from '../../../shared/ipc/rotation-channels';
import type { NextStep } from '../../../shared/result';
import { isAppFailure } from '../../errors';
import { createLogger } from '../../log/redacting-logger';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { JournalEntry, TokenSummary } from '../../vault';
import { revokeOld } from './rotation-confirm';
import { nowIso, writeStep, type RotationContext } from './rotation-context';
import { resultsOf } from './rotation-deploy';
import { readEntry, type NativePayload, type RotationEntry } from './rotation-journal';
import { applyManual } from './rotation-manual';
import { applyNative, deployNative, runNative } from './rotation-native';
import { afterStore, applyCreated, startReplace } from './rotation-replace';

const log = createLogger('rotation');

// After a crash: finish each journaled rotation from the step it last recorded, or explain what the user must do.
// Reports are structured (what was found, what is next); the command line and the window word them.

/** A token created this long before the interrupted call (clock skew) still counts as its successor. */
const SKEW_MS = 5 * 60_000;

type Base = Pick<RotationReport, 'rotationId' | 'tokenId' | 'step'>;
type Extra = Pick<RotationReport, 'secret' | 'newTokenId' | 'deploy'>;
const report = (base: Base, state: RotationReportState, finding: RotationFinding, next: NextStep | null, extra: Extra = {}): RotationReport => ({
  ...base,
  state,
  finding,
  next,
  ...(extra.secret !== undefined ? { secret: extra.secret } : {}),
  ...(extra.newTokenId !== undefined ? { newTokenId: extra.newTokenId } : {}),
  ...(extra.deploy !== undefined ? { deploy: extra.deploy } : {}),
});

/**
 * A rotation that went on past its store: without deployment targets it reads as before (`stored`: what resume
 * found); with them, what the deploy steps led to. `secret`: shown once where the interruption kept it from the user.
 */
function settled(base: Base, out: RotationOutcome, stored: RotationFinding, secret?: string): RotationReport {
  const extra = (newTokenId?: string): Extra => ({ ...(secret !== undefined ? { secret } : {}), ...(newTokenId !== undefined ? { newTokenId } : {}), ...(out.kind !== 'manual' && out.deploy ? { deploy: out.deploy } : {}) });
  const deployed = (then: Extract<RotationFinding, { what: 'deployed' }>['then'], more: { waitingBecause?: Extract<RotationFinding, { what: 'deployed' }>['waitingBecause']; revokeAt?: string } = {}): RotationFinding =>
    out.kind !== 'manual' && out.deploy ? { what: 'deployed', then, waitingBecause: more.waitingBecause ?? null, revokeAt: more.revokeAt ?? null } : stored;
  switch (out.kind) {
    case 'renewed':
      return report(base, 'completed', deployed('renewed'), null, extra());
    case 'awaiting-confirmation':
      return report(base, 'awaiting-confirmation', deployed('waiting', { waitingBecause: out.waitingBecause }), out.waitingBecause === 'targets-failed' ? 'push' : 'confirm', extra(out.newTokenId));
    case 'replaced':
      switch (out.revoke.state) {
        case 'revoked':
          return report(base, 'completed', deployed('revoked'), null, extra(out.newTokenId));
        case 'scheduled':
          return report(base, 'scheduled', deployed('scheduled', { revokeAt: out.revoke.revokeAt }), null, extra(out.newTokenId));
        case 'failed':
          return report(base, 'needs-attention', deployed('revoke-failed'), out.revoke.next, extra(out.newTokenId));
        default:
          return out.revoke satisfies never;
      }
    case 'manual':
      return report(base, 'awaiting-secret', stored, 'paste');
    default:
      return out satisfies never;
  }
}

/** What is unfinished, explained; changes nothing. */
export function listPending(rc: RotationContext): RotationReport[] {
  return rc.vault.journal.list().map((e) => explain(rc, e));
}

/** Finishes every interrupted rotation that can be finished, and explains the rest. */
export async function resumeAll(rc: RotationContext): Promise<RotationReport[]> {
  const reports: RotationReport[] = [];
  for (const raw of rc.vault.journal.list()) {
    try {
      reports.push(await resumeOne(rc, raw));
    } catch (error) {
      if (!isAppFailure(error)) log.error('resume failed', { rotationId: raw.id, error: String(error) });
      const still = rc.vault.journal.get(raw.id);
      const finding: RotationFinding = isAppFailure(error)
        ? { what: 'failed', code: error.code, message: error.message }
        : { what: 'failed', code: 'internal', message: 'An unexpected error stopped it.' };
      const next = (isAppFailure(error) ? error.next : undefined) ?? (still ? 'resume' : null);
      const base = { rotationId: raw.id, tokenId: raw.tokenId, step: still?.step ?? raw.step };
      reports.push(report(base, 'needs-attention', finding, next, isAppFailure(error) && error.unsavedSecret ? { secret: error.unsavedSecret } : {}));
    }
  }
  return reports;
}

async function resumeOne(rc: RotationContext, raw: JournalEntry): Promise<RotationReport> {
  const entry = readEntry(raw);
  if (!entry) return explain(rc, raw);
  const base = { rotationId: entry.id, tokenId: entry.tokenId, step: entry.step };
  switch (entry.mode) {
    case 'native':
      return resumeNative(rc, entry, base);
    case 'replace':
      return resumeReplace(rc, entry, base);
    case 'manual':
      if (entry.step === 'secret-received') return settled(base, await applyManual(rc, entry.id, entry.tokenId, entry.payload), { what: 'stored-pasted-secret' });
      if (entry.step === 'deploy-requested' || entry.step === 'issuer-check-requested') return settled(base, await resumeAfterStore(rc, entry), { what: 'stored-pasted-secret' });
      return explain(rc, raw);
    default:
      return entry satisfies never;
  }
}

async function resumeNative(rc: RotationContext, entry: Extract<RotationEntry, { mode: 'native' }>, base: Base): Promise<RotationReport> {
  const { payload } = entry;
  const token = rc.vault.tokens.get(entry.tokenId);
  const { provider, ctx } = rc.connect(rc.vault, rc.vault.workspaces.get(payload.workspaceId));
  const step = entry.step;
  switch (step) {
    case 'renew-issued': {
      const out = await applyNative(rc, entry.id, token.id, payload, provider);
      return settled(base, out, { what: 'stored-issued-secret' }, out.secret);
    }
    case 'deploy-requested':
    case 'issuer-check-requested': {
      if (!payload.deploy) return explainEntry(rc, entry);
      const deploy = await deployNative(rc, entry.id, token.id, { ...payload, deploy: payload.deploy });
      return report(base, 'completed', { what: 'deployed', then: 'renewed', waitingBecause: null, revokeAt: null }, null, { deploy });
    }
    case 'renew-requested': {
      // The call may or may not have reached the service, and its answer is gone.
      const target = await nativeTarget(rc, token, payload, provider, ctx);
      if (target.kind === 'unknown') {
        rc.vault.journal.remove(entry.id);
        return report(base, 'needs-attention', { what: 'successor-unknown', tokenName: token.name }, 'create-new');
      }
      const next: NativePayload = { ...payload, targetRemoteId: target.remoteId, startedAt: nowIso(rc) };
      writeStep<'native'>(rc, entry.id, token.id, 'renew-requested', next);
      const out = await runNative(rc, entry.id, token, next, provider, ctx, true);
      return settled(base, out, { what: 'renewed-again', method: payload.method, successorRemoteId: target.successor }, out.secret);
    }
    default:
      return step satisfies never;
  }
}

async function resumeReplace(rc: RotationContext, entry: Extract<RotationEntry, { mode: 'replace' }>, base: Base): Promise<RotationReport> {
  const { payload } = entry;
  const old = rc.vault.tokens.get(entry.tokenId);
  const step = entry.step;
  switch (step) {
    case 'create-requested': {
      const workspace = rc.vault.workspaces.get(payload.workspaceId);
      const { provider, ctx } = rc.connect(rc.vault, workspace);
      const listed = await provider.list(ctx);
      const known = new Set([...payload.knownRemoteIds, ...rc.vault.tokens.list({ workspaceId: workspace.id }).map((t) => t.remoteId)]);
      const orphans = listed.filter((t) => !known.has(t.remoteId) && (!provider.capabilities.remoteNames || t.name === payload.remoteName));
      if (orphans.length > 1) {
        rc.vault.journal.remove(entry.id);
        return report(base, 'needs-attention', { what: 'orphans-found', service: provider.label, remoteIds: orphans.map((o) => o.remoteId) }, 'revoke-by-hand');
      }
      const orphan = orphans[0];
      // A token created before the interruption has no saved secret: nobody can use it, so it goes.
      if (orphan && provider.revoke) await provider.revoke(ctx, orphan.remoteId);
      rc.vault.journal.remove(entry.id);
      const out = await startReplace(rc, old, workspace, provider, ctx, payload.input.expiresAt, payload.revokeAt ?? null);
      return settled(base, out, { what: 'created-again', revokedRemoteId: orphan?.remoteId ?? null }, out.kind === 'manual' ? undefined : out.secret);
    }
    case 'created': {
      const out = await applyCreated(rc, entry.id, old.id, payload);
      return settled(base, out, { what: 'stored-created-token' }, out.secret);
    }
    case 'deploy-requested':
    case 'issuer-check-requested':
      return settled(base, await resumeAfterStore(rc, entry), { what: 'stored-created-token' });
    case 'revoke-requested': {
      const out = await revokeOld(rc, entry.id, old, payload);
      return report(base, 'completed', { what: 'revoked-old', service: out.service, afterGrace: false }, null, { newTokenId: out.newTokenId });
    }
    case 'revoke-scheduled': {
      if (payload.revokeAt && Date.parse(payload.revokeAt) <= rc.clock.now().getTime()) {
        const out = await revokeOld(rc, entry.id, old, payload);
        return report(base, 'completed', { what: 'revoked-old', service: out.service, afterGrace: true }, null, { newTokenId: out.newTokenId });
      }
      return explainEntry(rc, entry);
    }
    case 'awaiting-confirmation':
      return explainEntry(rc, entry);
    default:
      return step satisfies never;
  }
}

/** After a lost native renew: which remote token to renew now, or that nobody can know. */
async function nativeTarget(
  rc: RotationContext,
  token: TokenSummary,
  payload: NativePayload,
  provider: Provider,
  ctx: ProviderContext,
): Promise<{ kind: 'renew'; remoteId: string; successor: string | null } | { kind: 'unknown' }> {
  // Regenerate and roll keep the remote id: renewing it again simply makes the stored secret the current one.
  if (payload.method !== 'rotate') return { kind: 'renew', remoteId: payload.targetRemoteId, successor: null };
  // GitLab rotate revokes the old id and issues a new one; rotating a revoked token revokes the whole family.
  // So look before rotating again.
  const listed = await provider.list(ctx);
  const target = listed.find((t) => t.remoteId === payload.targetRemoteId);
  if (target && target.status === 'active') return { kind: 'renew', remoteId: target.remoteId, successor: null };
  const known = new Set(rc.vault.tokens.list({ workspaceId: token.workspaceId }).map((t) => t.remoteId));
  const successors = listed.filter(
    (t) => t.status === 'active' && !known.has(t.remoteId) && t.name === (target?.name ?? token.name) && (t.createdAt === null || Date.parse(t.createdAt) >= Date.parse(payload.startedAt) - SKEW_MS),
  );
  const only = successors.length === 1 ? successors[0] : undefined;
  return only ? { kind: 'renew', remoteId: only.remoteId, successor: only.remoteId } : { kind: 'unknown' };
}

/** A create-new or pasted rotation interrupted in its deploy steps: the new token is stored, the deploy goes on. */
async function resumeAfterStore(rc: RotationContext, entry: Extract<RotationEntry, { mode: 'replace' | 'manual' }>): Promise<RotationOutcome> {
  const old = rc.vault.tokens.get(entry.tokenId);
  const fresh = rc.vault.tokens.get(entry.payload.newTokenId);
  // The secret is only carried in the outcome here; the report leaves it out (it is stored and deployed).
  return afterStore(rc, entry.id, old, entry.payload, { secret: rc.vault.tokens.readSecret(fresh.id) ?? '', expiresAt: fresh.expiresAt, auditDetail: '' });
}

/** Why an entry waits (nothing is changed). */
function explain(rc: RotationContext, raw: JournalEntry): RotationReport {
  const entry = readEntry(raw);
  if (!entry) return report({ rotationId: raw.id, tokenId: raw.tokenId, step: raw.step }, 'needs-attention', { what: 'unreadable' }, null);
  return explainEntry(rc, entry);
}

function explainEntry(rc: RotationContext, entry: RotationEntry): RotationReport {
  const base = { rotationId: entry.id, tokenId: entry.tokenId, step: entry.step };
  const newTokenId = entry.mode === 'native' ? {} : { newTokenId: entry.payload.newTokenId };
  switch (entry.step) {
    case 'awaiting-confirmation': {
      const because = entry.payload.waiting ?? null;
      // A target that failed is named again: the user mends it, pushes, then confirms.
      const deploy = entry.payload.deploy ? { deploy: { tokenId: entry.payload.deploy.tokenId, targets: resultsOf(rc, entry.payload.deploy), issuer: null } } : {};
      return report(base, 'awaiting-confirmation', { what: 'waiting-for-confirmation', because }, because === 'targets-failed' ? 'push' : 'confirm', { ...newTokenId, ...deploy });
    }
    case 'awaiting-secret':
      return report(base, 'awaiting-secret', { what: 'waiting-for-secret', tokenPageUrl: entry.mode === 'manual' ? entry.payload.tokenPageUrl : null }, 'paste');
    case 'revoke-scheduled':
      return report(base, 'scheduled', { what: 'revoke-scheduled', revokeAt: entry.mode === 'replace' ? (entry.payload.revokeAt ?? null) : null }, null, newTokenId);
    case 'renew-requested':
      return report(base, 'needs-attention', { what: 'interrupted', at: 'renew' }, 'resume');
    case 'renew-issued':
    case 'created':
    case 'secret-received':
      return report(base, 'needs-attention', { what: 'interrupted', at: 'store' }, 'resume');
    case 'create-requested':
      return report(base, 'needs-attention', { what: 'interrupted', at: 'create' }, 'resume');
    case 'revoke-requested':
      return report(base, 'needs-attention', { what: 'interrupted', at: 'revoke' }, 'resume');
    case 'deploy-requested':
      return report(base, 'needs-attention', { what: 'interrupted', at: 'deploy' }, 'resume', newTokenId);
    case 'issuer-check-requested':
      return report(base, 'needs-attention', { what: 'interrupted', at: 'issuer-check' }, 'resume', newTokenId);
    default:
      return entry satisfies never;
  }
}
