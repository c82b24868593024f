import type { RotationFinding, RotationReport, RotationReportState } from '../../../shared/ipc/rotation-channels';
import type { NextStep } from '../../../shared/result';
import { isAppFailure } from '../../errors';
import { createLogger } from '../../log/redacting-logger';
import type { Provider, ProviderContext } from '../../providers/provider-types';
import type { JournalEntry, TokenSummary } from '../../vault';
import { revokeOld } from './rotation-confirm';
import { nowIso, writeStep, type RotationContext } from './rotation-context';
import { readEntry, type NativePayload, type RotationEntry } from './rotation-journal';
import { applyManual } from './rotation-manual';
import { applyNative, runNative } from './rotation-native';
import { applyCreated, startReplace } from './rotation-replace';

const log = createLogger('rotation');

// After a crash: finish each journaled rotation from the step it last recorded, or explain what the user must do.
// Reports are structured (what was found, what is next); the command line and the window word them.

/** A token created this long before the interrupted call (clock skew) still counts as its successor. */
const SKEW_MS = 5 * 60_000;

type Base = Pick<RotationReport, 'rotationId' | 'tokenId' | 'step'>;
const report = (base: Base, state: RotationReportState, finding: RotationFinding, next: NextStep | null, extra: Pick<RotationReport, 'secret' | 'newTokenId'> = {}): RotationReport => ({
  ...base,
  state,
  finding,
  next,
  ...(extra.secret !== undefined ? { secret: extra.secret } : {}),
  ...(extra.newTokenId !== undefined ? { newTokenId: extra.newTokenId } : {}),
});

/** What is unfinished, explained; changes nothing. */
export function listPending(rc: RotationContext): RotationReport[] {
  return rc.vault.journal.list().map((e) => explain(e));
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
  if (!entry) return explain(raw);
  const base = { rotationId: entry.id, tokenId: entry.tokenId, step: entry.step };
  switch (entry.mode) {
    case 'native':
      return resumeNative(rc, entry, base);
    case 'replace':
      return resumeReplace(rc, entry, base);
    case 'manual':
      if (entry.step === 'secret-received') {
        const out = applyManual(rc, entry.id, entry.tokenId, entry.payload);
        return report(base, 'awaiting-confirmation', { what: 'stored-pasted-secret' }, 'confirm', { newTokenId: out.newTokenId });
      }
      return explain(raw);
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
      const out = applyNative(rc, entry.id, token.id, payload, provider);
      return report(base, 'completed', { what: 'stored-issued-secret' }, null, { secret: out.secret });
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
      return report(base, 'completed', { what: 'renewed-again', method: payload.method, successorRemoteId: target.successor }, null, { secret: out.secret });
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
      const out = await startReplace(rc, old, workspace, provider, ctx, payload.input.expiresAt);
      const extra = out.kind === 'awaiting-confirmation' ? { secret: out.secret, newTokenId: out.newTokenId } : {};
      return report(base, 'awaiting-confirmation', { what: 'created-again', revokedRemoteId: orphan?.remoteId ?? null }, 'confirm', extra);
    }
    case 'created': {
      const out = applyCreated(rc, entry.id, old.id, payload);
      return report(base, 'awaiting-confirmation', { what: 'stored-created-token' }, 'confirm', { secret: out.secret, newTokenId: out.newTokenId });
    }
    case 'revoke-requested': {
      const out = await revokeOld(rc, entry.id, old, payload);
      return report(base, 'completed', { what: 'revoked-old', service: out.service, afterGrace: false }, null, { newTokenId: out.newTokenId });
    }
    case 'revoke-scheduled': {
      if (payload.revokeAt && Date.parse(payload.revokeAt) <= rc.clock.now().getTime()) {
        const out = await revokeOld(rc, entry.id, old, payload);
        return report(base, 'completed', { what: 'revoked-old', service: out.service, afterGrace: true }, null, { newTokenId: out.newTokenId });
      }
      return explainEntry(entry);
    }
    case 'awaiting-confirmation':
      return explainEntry(entry);
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

/** Why an entry waits (nothing is changed). */
function explain(raw: JournalEntry): RotationReport {
  const entry = readEntry(raw);
  if (!entry) return report({ rotationId: raw.id, tokenId: raw.tokenId, step: raw.step }, 'needs-attention', { what: 'unreadable' }, null);
  return explainEntry(entry);
}

function explainEntry(entry: RotationEntry): RotationReport {
  const base = { rotationId: entry.id, tokenId: entry.tokenId, step: entry.step };
  const newTokenId = entry.mode === 'native' ? {} : { newTokenId: entry.payload.newTokenId };
  switch (entry.step) {
    case 'awaiting-confirmation':
      return report(base, 'awaiting-confirmation', { what: 'waiting-for-confirmation' }, 'confirm', newTokenId);
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
    default:
      return entry satisfies never;
  }
}
