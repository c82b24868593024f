import { randomUUID } from 'node:crypto';
import type { ConfirmOutcome, RotationOutcome, RotationReport } from '../../shared/ipc/rotation-channels';
import { AppFailure, isAppFailure } from '../errors';
import { createLogger } from '../log/redacting-logger';
import { isRemoteFailure } from '../providers/http-client';
import { isLostCreate, type CreateTokenInput, type Provider, type ProviderContext, type RemoteToken } from '../providers/provider-types';
import { systemClock, type Clock } from '../service/ports';
import type { Vault } from '../vault/vault';
import type { JournalEntry, NewToken, TokenSummary, Workspace } from '../vault/vault-types';
import { connectWorkspace } from '../service/workspace-connection';
import { JournalPayload, type Checkpoint, type ManualPayload, type NativePayload, type ReplacePayload } from './rotation-journal';

const log = createLogger('rotation');
const DAY_MS = 86_400_000;

export interface RotationServiceOptions {
  vault: Vault;
  clock?: Clock;
  /** Who appears in the audit log: `app`, `cli`. */
  actor?: string;
  /** Builds the provider and its context for a workspace (tests may point it elsewhere; default: from the vault). */
  connect?: (vault: Vault, workspace: Workspace) => { provider: Provider; ctx: ProviderContext };
  /** Test-only crash points; see rotation-journal.ts. */
  checkpoint?: Checkpoint;
}

/** ` (rotated 2026-11-23 18:55)`: the remote name of a replacement, unique where the service wants unique names. */
const ROTATED_SUFFIX = / \(rotated \d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?\)$/;
const OLD_SUFFIX = ' (replaced)';

/**
 * Rotation that never loses a secret.
 *
 * Every step is written to the vault's rotation journal (FULL sync) before the remote call it announces; a secret the
 * service returns is written to the journal before anything else, then moved into the token record. If that write
 * fails the secret is handed back in the error (AppFailure.unsavedSecret). After a crash at any point, `resumeAll`
 * finishes what can be finished and explains the rest. The old token is revoked only after the user confirms the new
 * one is deployed (where the service renews in place, it revokes the old secret itself, and the new one is already
 * stored when the call returns... or re-issued by resume when the answer was lost with the process).
 */
export class RotationService {
  private readonly vault: Vault;
  private readonly clock: Clock;
  private readonly actor: string;
  private readonly connect: NonNullable<RotationServiceOptions['connect']>;
  private readonly checkpoint: Checkpoint;

  constructor(options: RotationServiceOptions) {
    this.vault = options.vault;
    this.clock = options.clock ?? systemClock;
    this.actor = options.actor ?? 'app';
    this.connect = options.connect ?? connectWorkspace;
    this.checkpoint = options.checkpoint ?? (() => {});
  }

  // ------------------------------------------------------------------ rotate now

  async rotate(tokenId: string, options: { expiresAt?: string | null } = {}): Promise<RotationOutcome> {
    const token = this.vault.getToken(tokenId);
    if (token.status === 'revoked' || token.status === 'revoked-remote')
      throw new AppFailure('invalid-argument', 'This token is revoked; create a new one instead of rotating it.');
    if (token.replacedById) throw this.inProgress(token);
    if (this.vault.listJournal(token.id).length > 0) throw this.inProgress(token);
    const workspace = this.vault.getWorkspace(token.workspaceId);

    if (workspace.kind === 'manual') {
      const payload: ManualPayload = {
        v: 1,
        mode: 'manual',
        workspaceId: workspace.id,
        startedAt: this.nowIso(),
        tokenPageUrl: workspace.tokenPageUrl,
        newTokenId: randomUUID(),
      };
      this.write(undefined, token.id, 'awaiting-secret', payload);
      return {
        kind: 'manual',
        tokenId: token.id,
        tokenPageUrl: workspace.tokenPageUrl,
        notes: [
          workspace.tokenPageUrl
            ? `Create a new token on ${workspace.tokenPageUrl}, then paste it here. The old one stays stored until you confirm the new one is deployed.`
            : 'Create a new token on the service, then paste it here. The old one stays stored until you confirm the new one is deployed.',
        ],
      };
    }

    const { provider, ctx } = this.connect(this.vault, workspace);
    if (!token.remoteId)
      throw new AppFailure('unsupported', `This token has no id at ${provider.label}; sync the workspace first so Token Vault knows which token it is.`);
    const method = provider.capabilities.renew;
    if (method !== 'none' && provider.renew) {
      const payload: NativePayload = {
        v: 1,
        mode: 'native',
        workspaceId: workspace.id,
        startedAt: this.nowIso(),
        method,
        targetRemoteId: token.remoteId,
        requestedExpiresAt: options.expiresAt ?? null,
      };
      const entry = this.write(undefined, token.id, 'renew-requested', payload);
      return this.runNative(entry.id, token, payload, provider, ctx);
    }
    if (provider.capabilities.create && provider.capabilities.revoke && provider.revoke) {
      return this.startReplace(token, workspace, provider, ctx, options.expiresAt);
    }
    throw new AppFailure('unsupported', `${provider.label} can neither renew nor create and revoke tokens through its API; rotate it on the service and paste the new secret.`);
  }

  // ------------------------------------------------------------------ native renew

  private async runNative(
    id: string,
    token: TokenSummary,
    payload: NativePayload,
    provider: Provider,
    ctx: ProviderContext,
    resuming = false,
  ): Promise<RotationOutcome> {
    let issued;
    try {
      issued = await provider.renew!(ctx, payload.targetRemoteId, payload.requestedExpiresAt ? { expiresAt: payload.requestedExpiresAt } : undefined);
    } catch (error) {
      // When resuming, an earlier renew may have gone through: keep the journal so the next resume tries again.
      throw this.remoteFailed(id, token, error, 'renewing', resuming);
    }
    this.checkpoint('remote:renew');
    const next: NativePayload = { ...payload, issued: { secret: issued.secret, token: issued.token } };
    this.writeWithSecret(id, token.id, 'renew-issued', next, issued.secret);
    return this.applyNative(id, token.id, next, provider);
  }

  private applyNative(id: string, tokenId: string, payload: NativePayload, provider: Provider): RotationOutcome & { kind: 'renewed' } {
    const issued = payload.issued;
    if (!issued) throw new AppFailure('internal', 'The rotation journal has no issued secret to apply.');
    const old = this.vault.getToken(tokenId);
    // A renew that read the token back carries its real expiry; a bare answer (no createdAt) kept the old one.
    const readBack = issued.token.createdAt !== null;
    const keptExpiry = provider.capabilities.renewKeepsExpiry || !readBack;
    const expiresAt = keptExpiry ? old.expiresAt : issued.token.expiresAt;
    try {
      this.vault.setTokenSecret(tokenId, issued.secret, this.actor);
    } catch (error) {
      throw this.unsaved(error, issued.secret);
    }
    this.checkpoint('store:secret');
    this.vault.updateToken(tokenId, {
      remoteId: issued.token.remoteId,
      expiresAt,
      status: 'active',
      lastRotatedAt: this.nowIso(),
      snoozedUntil: null,
    });
    const method = payload.method;
    this.vault.appendAudit({ action: method === 'regenerate' ? 'regenerated' : 'rotated', tokenId, workspaceId: old.workspaceId, actor: this.actor, detail: `${method} at ${provider.label}` });
    this.vault.removeJournal(id);
    this.checkpoint('journal:done');
    const notes = ['The old secret stopped working at once.'];
    if (provider.capabilities.renewKeepsExpiry)
      notes.push(`${provider.label} keeps the old expiry when it regenerates${expiresAt ? ` (${expiresAt.slice(0, 10)})` : ''}; for a new lifetime, create a new token instead.`);
    return { kind: 'renewed', method, tokenId, secret: issued.secret, expiresAt, keptExpiry, notes };
  }

  // ------------------------------------------------------------------ create new -> confirm -> revoke old

  private async startReplace(token: TokenSummary, workspace: Workspace, provider: Provider, ctx: ProviderContext, expiresAt?: string | null): Promise<RotationOutcome> {
    // What exists before, so a create whose answer dies with the process can be told apart afterwards.
    let known: RemoteToken[];
    try {
      known = await provider.list(ctx);
    } catch (error) {
      throw this.remoteFailed(undefined, token, error, 'listing tokens before the rotation');
    }
    const base = token.name.replace(ROTATED_SUFFIX, '').replace(OLD_SUFFIX, '');
    const remoteName = provider.capabilities.remoteNames ? `${base} (rotated ${this.nowIso().slice(0, 16).replace('T', ' ')})` : base;
    const payload: ReplacePayload = {
      v: 1,
      mode: 'replace',
      workspaceId: workspace.id,
      startedAt: this.nowIso(),
      oldRemoteId: token.remoteId!,
      newTokenId: randomUUID(),
      remoteName,
      knownRemoteIds: known.map((t) => t.remoteId),
      input: {
        name: remoteName,
        ...(token.description ? { description: token.description } : {}),
        ...(provider.capabilities.expiry === 'none' ? {} : { expiresAt: expiresAt !== undefined ? expiresAt : this.sameLifetime(token) }),
        ...(token.type && provider.capabilities.types.includes(token.type) ? { type: token.type } : {}),
        ...(token.scopes.length ? { scopes: token.scopes } : {}),
      },
    };
    const entry = this.write(undefined, token.id, 'create-requested', payload);
    return this.runCreate(entry.id, token, payload, provider, ctx);
  }

  private async runCreate(id: string, token: TokenSummary, payload: ReplacePayload, provider: Provider, ctx: ProviderContext): Promise<RotationOutcome> {
    let outcome;
    try {
      outcome = await provider.create(ctx, payload.input as CreateTokenInput);
    } catch (error) {
      throw this.remoteFailed(id, token, error, 'creating the new token');
    }
    this.checkpoint('remote:create');
    if (isLostCreate(outcome)) {
      // The provider already reconciled by listing. A token nobody holds the secret of is useless: revoke it.
      if (outcome.token && provider.revoke) await provider.revoke(ctx, outcome.token.remoteId).catch(() => undefined);
      this.vault.removeJournal(id);
      throw new AppFailure('unexpected-response', `${outcome.message} The rotation did not happen; the old token is unchanged and still stored. Try again.`);
    }
    const next: ReplacePayload = { ...payload, issued: { secret: outcome.secret, token: outcome.token } };
    this.writeWithSecret(id, token.id, 'created', next, outcome.secret);
    return this.applyCreated(id, token.id, next);
  }

  private applyCreated(id: string, oldTokenId: string, payload: ReplacePayload): RotationOutcome & { kind: 'awaiting-confirmation' } {
    const issued = payload.issued;
    if (!issued) throw new AppFailure('internal', 'The rotation journal has no issued secret to apply.');
    const old = this.vault.getToken(oldTokenId);
    this.storeReplacement(old, payload.newTokenId, issued.secret, {
      remoteId: issued.token.remoteId,
      prefix: old.prefix && issued.secret.startsWith(old.prefix) ? old.prefix : null,
      type: issued.token.type ?? old.type,
      scopes: issued.token.scopes.length ? issued.token.scopes : old.scopes,
      createdAt: issued.token.createdAt ?? this.nowIso(),
      expiresAt: issued.token.expiresAt,
    });
    this.checkpoint('store:new-token');
    this.labelReplaced(old, payload.newTokenId, 'replacement created; waiting for "deployed" before revoking this one');
    const { issued: _dropped, ...withoutSecret } = payload;
    this.write(id, old.id, 'awaiting-confirmation', withoutSecret);
    return {
      kind: 'awaiting-confirmation',
      oldTokenId: old.id,
      newTokenId: payload.newTokenId,
      secret: issued.secret,
      expiresAt: issued.token.expiresAt,
      notes: [
        'A new token was created beside the old one; both work now.',
        'Deploy the new secret, then confirm: the old token is revoked then (it stays stored, marked "replaced", until you do).',
      ],
    };
  }

  /** Stores the new token (once: a resumed rotation finds it already there) with the old one's names and policies. */
  private storeReplacement(
    old: TokenSummary,
    newTokenId: string,
    secret: string,
    fromService: Pick<NewToken, 'remoteId' | 'prefix' | 'type' | 'scopes' | 'createdAt' | 'expiresAt'>,
  ): void {
    if (this.vault.findToken(newTokenId)) return;
    try {
      this.vault.storeIssuedToken(
        {
          id: newTokenId,
          workspaceId: old.workspaceId,
          name: old.name.replace(OLD_SUFFIX, ''),
          description: old.description,
          url: old.url,
          notes: old.notes,
          secret,
          status: 'active',
          rotationPolicy: old.rotationPolicy,
          warningDays: old.warningDays,
          lastRotatedAt: this.nowIso(),
          replacesId: old.id,
          ...fromService,
        },
        this.actor,
      );
    } catch (error) {
      throw this.unsaved(error, secret);
    }
  }

  /** The old token stays stored, named "(old)" and linked to its replacement, until the user confirms. */
  private labelReplaced(old: TokenSummary, newTokenId: string, auditDetail: string): void {
    if (old.replacedById === newTokenId) return;
    this.vault.updateToken(old.id, { replacedById: newTokenId, name: old.name.endsWith(OLD_SUFFIX) ? old.name : old.name + OLD_SUFFIX });
    this.vault.appendAudit({ action: 'rotated', tokenId: old.id, workspaceId: old.workspaceId, actor: this.actor, detail: auditDetail });
  }

  // ------------------------------------------------------------------ manual paste

  async pasteSecret(tokenId: string, secret: string, options: { expiresAt?: string | null } = {}): Promise<RotationOutcome> {
    const entry = this.findEntry(tokenId);
    const payload = entry ? JournalPayload.parse(entry.payload) : undefined;
    if (!entry || payload?.mode !== 'manual' || entry.step !== 'awaiting-secret')
      throw new AppFailure('invalid-argument', 'No manual rotation waits for a secret for this token. Start one with "rotate" first.');
    const next: ManualPayload = { ...payload, issued: { secret, expiresAt: options.expiresAt ?? null } };
    this.writeWithSecret(entry.id, entry.tokenId, 'secret-received', next, secret);
    return this.applyManual(entry.id, entry.tokenId, next);
  }

  private applyManual(id: string, oldTokenId: string, payload: ManualPayload): RotationOutcome & { kind: 'awaiting-confirmation' } {
    const issued = payload.issued;
    if (!issued) throw new AppFailure('internal', 'The rotation journal has no pasted secret to apply.');
    const old = this.vault.getToken(oldTokenId);
    this.storeReplacement(old, payload.newTokenId, issued.secret, {
      type: old.type,
      scopes: old.scopes,
      createdAt: this.nowIso(),
      expiresAt: issued.expiresAt,
    });
    this.labelReplaced(old, payload.newTokenId, 'replacement pasted; waiting for "deployed"');
    const { issued: _dropped, ...withoutSecret } = payload;
    this.write(id, old.id, 'awaiting-confirmation', withoutSecret);
    return {
      kind: 'awaiting-confirmation',
      oldTokenId: old.id,
      newTokenId: payload.newTokenId,
      secret: issued.secret,
      expiresAt: issued.expiresAt,
      notes: ['The pasted token is stored. Deploy it, then confirm; then revoke the old one on the service\'s token page.'],
    };
  }

  // ------------------------------------------------------------------ confirm deployed

  async confirm(tokenId: string, options: { graceDays?: number } = {}): Promise<ConfirmOutcome> {
    const entry = this.findEntry(tokenId);
    if (!entry) {
      const t = this.vault.getToken(tokenId);
      const hint = t.replacesId || t.replacedById ? ' It was confirmed already.' : '';
      throw new AppFailure('invalid-argument', `No rotation of this token waits for confirmation.${hint}`);
    }
    const payload = JournalPayload.parse(entry.payload);
    if (payload.mode === 'native') throw new AppFailure('invalid-argument', 'This rotation was done by the service itself; nothing to confirm. Run "token resume" if it was interrupted.');
    if (entry.step !== 'awaiting-confirmation' && entry.step !== 'revoke-scheduled')
      throw new AppFailure('rotation-in-progress', `This rotation stopped at "${entry.step}"; run "token resume" first.`);
    const old = this.vault.getToken(entry.tokenId);
    if (payload.mode === 'manual') {
      this.vault.updateToken(old.id, { status: 'revoked' });
      this.vault.appendAudit({ action: 'revoked', tokenId: old.id, workspaceId: old.workspaceId, actor: this.actor, detail: 'replaced (manual workspace): revoke it on the service' });
      this.vault.removeJournal(entry.id);
      const where = payload.tokenPageUrl ? ` on ${payload.tokenPageUrl}` : ' on the service';
      return { oldTokenId: old.id, newTokenId: payload.newTokenId, state: 'revoke-by-hand', revokeAt: null, message: `Marked the old token revoked in the vault. Revoke it${where} too: Token Vault cannot do it for a manual workspace.` };
    }
    const grace = options.graceDays ?? 0;
    if (grace > 0) {
      const revokeAt = new Date(this.clock.now().getTime() + grace * DAY_MS).toISOString();
      this.write(entry.id, old.id, 'revoke-scheduled', { ...payload, revokeAt });
      return { oldTokenId: old.id, newTokenId: payload.newTokenId, state: 'scheduled', revokeAt, message: `The old token keeps working until ${revokeAt}; it is revoked at the first start or "token resume" after that.` };
    }
    return this.revokeOld(entry.id, old, payload);
  }

  private async revokeOld(id: string, old: TokenSummary, payload: ReplacePayload): Promise<ConfirmOutcome> {
    this.write(id, old.id, 'revoke-requested', payload);
    const workspace = this.vault.getWorkspace(old.workspaceId);
    const { provider, ctx } = this.connect(this.vault, workspace);
    try {
      await provider.revoke!(ctx, payload.oldRemoteId);
    } catch (error) {
      // Already gone at the service is what we wanted.
      if (!(isAppFailure(error) && error.code === 'remote-not-found')) {
        const msg = isAppFailure(error) ? error.message : 'The service could not be reached.';
        throw new AppFailure(isAppFailure(error) ? error.code : 'network', `The new token is stored and active, but the old one could not be revoked yet: ${msg} Run "token resume" to try again.`);
      }
    }
    this.checkpoint('remote:revoke');
    this.vault.updateToken(old.id, { status: 'revoked' });
    this.vault.appendAudit({ action: 'revoked', tokenId: old.id, workspaceId: old.workspaceId, actor: this.actor, detail: 'revoked after the replacement was confirmed deployed' });
    this.vault.removeJournal(id);
    this.checkpoint('journal:done');
    return { oldTokenId: old.id, newTokenId: payload.newTokenId, state: 'revoked', revokeAt: null, message: `The old token is revoked at ${provider.label}; the new one is in use.` };
  }

  // ------------------------------------------------------------------ resume

  /** What is unfinished, explained; changes nothing. */
  listPending(): RotationReport[] {
    return this.vault.listJournal().map((e) => this.explain(e));
  }

  /** Finishes every interrupted rotation that can be finished, and explains the rest. */
  async resumeAll(): Promise<RotationReport[]> {
    const reports: RotationReport[] = [];
    for (const entry of this.vault.listJournal()) {
      try {
        reports.push(await this.resumeOne(entry));
      } catch (error) {
        const message = isAppFailure(error) ? error.message : 'An unexpected error stopped it.';
        if (!isAppFailure(error)) log.error('resume failed', { rotationId: entry.id, error: String(error) });
        const report: RotationReport = { rotationId: entry.id, tokenId: entry.tokenId, step: this.vault.getJournal(entry.id)?.step ?? entry.step, state: 'needs-attention', message };
        if (isAppFailure(error) && error.unsavedSecret) report.secret = error.unsavedSecret;
        reports.push(report);
      }
    }
    return reports;
  }

  private async resumeOne(entry: JournalEntry): Promise<RotationReport> {
    const payload = JournalPayload.parse(entry.payload);
    const base = { rotationId: entry.id, tokenId: entry.tokenId, step: entry.step };
    if (payload.mode === 'native') {
      const token = this.vault.getToken(entry.tokenId);
      const workspace = this.vault.getWorkspace(payload.workspaceId);
      const { provider, ctx } = this.connect(this.vault, workspace);
      if (entry.step === 'renew-issued') {
        const out = this.applyNative(entry.id, token.id, payload, provider);
        return { ...base, state: 'completed', secret: out.secret, message: 'The service had issued the new secret before the interruption; it is now stored in the vault and in use.' };
      }
      // renew-requested: the call may or may not have reached the service, and its answer is gone.
      const target = await this.nativeTarget(token, payload, provider, ctx);
      if (target.kind === 'explain') {
        this.vault.removeJournal(entry.id);
        return { ...base, state: 'needs-attention', message: target.message };
      }
      const next: NativePayload = { ...payload, targetRemoteId: target.remoteId, startedAt: this.nowIso() };
      this.write(entry.id, token.id, 'renew-requested', next);
      const out = await this.runNative(entry.id, token, next, provider, ctx, true);
      return {
        ...base,
        state: 'completed',
        secret: out.kind === 'renewed' ? out.secret : undefined,
        message: `The interrupted ${payload.method} may have reached the service without its answer being saved, so the secret was renewed again: the new one is stored and shown now once. ${target.note}`.trim(),
      };
    }
    if (payload.mode === 'replace') {
      const old = this.vault.getToken(entry.tokenId);
      switch (entry.step) {
        case 'create-requested': {
          const workspace = this.vault.getWorkspace(payload.workspaceId);
          const { provider, ctx } = this.connect(this.vault, workspace);
          const listed = await provider.list(ctx);
          const known = new Set([...payload.knownRemoteIds, ...this.vault.listTokens({ workspaceId: workspace.id }).map((t) => t.remoteId)]);
          const orphans = listed.filter((t) => !known.has(t.remoteId) && (!provider.capabilities.remoteNames || t.name === payload.remoteName));
          if (orphans.length > 1) {
            this.vault.removeJournal(entry.id);
            return { ...base, state: 'needs-attention', message: `The rotation was interrupted while creating the new token, and ${orphans.length} new tokens appeared at ${provider.label} since (ids ${orphans.map((o) => o.remoteId).join(', ')}). Nobody holds their secrets: revoke them on the service, then rotate again. The old token is unchanged.` };
          }
          let note = '';
          if (orphans[0]) {
            await provider.revoke!(ctx, orphans[0].remoteId);
            note = ` The token created before the interruption (id ${orphans[0].remoteId}) had no saved secret and was revoked.`;
          }
          this.vault.removeJournal(entry.id);
          const out = await this.startReplace(old, workspace, provider, ctx, payload.input.expiresAt);
          return {
            ...base,
            state: 'awaiting-confirmation',
            secret: out.kind === 'awaiting-confirmation' ? out.secret : undefined,
            newTokenId: out.kind === 'awaiting-confirmation' ? out.newTokenId : undefined,
            message: `The create was interrupted before its answer was saved, so a new token was created now and stored.${note} Deploy it, then confirm with --confirm to revoke the old one.`,
          };
        }
        case 'created': {
          const out = this.applyCreated(entry.id, old.id, payload);
          return { ...base, state: 'awaiting-confirmation', secret: out.secret, newTokenId: out.newTokenId, message: 'The new token had been created and its secret saved in the journal; it is now stored in the vault. Deploy it, then confirm with --confirm to revoke the old one.' };
        }
        case 'revoke-requested': {
          const out = await this.revokeOld(entry.id, old, payload);
          return { ...base, state: 'completed', newTokenId: out.newTokenId, message: `The interrupted revoke of the old token was finished. ${out.message}` };
        }
        case 'revoke-scheduled': {
          if (payload.revokeAt && Date.parse(payload.revokeAt) <= this.clock.now().getTime()) {
            const out = await this.revokeOld(entry.id, old, payload);
            return { ...base, state: 'completed', newTokenId: out.newTokenId, message: `The grace period ended. ${out.message}` };
          }
          return this.explain(entry);
        }
        default:
          return this.explain(entry);
      }
    }
    // manual
    if (entry.step === 'secret-received') {
      const out = this.applyManual(entry.id, entry.tokenId, payload);
      return { ...base, state: 'awaiting-confirmation', newTokenId: out.newTokenId, message: 'The pasted secret is now stored in the vault. Deploy it, then confirm.' };
    }
    return this.explain(entry);
  }

  /** After a lost native renew: which remote token to renew now, or what to tell the user. */
  private async nativeTarget(
    token: TokenSummary,
    payload: NativePayload,
    provider: Provider,
    ctx: ProviderContext,
  ): Promise<{ kind: 'renew'; remoteId: string; note: string } | { kind: 'explain'; message: string }> {
    // Regenerate and roll keep the remote id: renewing it again simply makes the stored secret the current one.
    if (payload.method !== 'rotate') return { kind: 'renew', remoteId: payload.targetRemoteId, note: '' };
    // GitLab rotate revokes the old id and issues a new one; rotating a revoked token revokes the whole family.
    // So look before rotating again.
    const listed = await provider.list(ctx);
    const target = listed.find((t) => t.remoteId === payload.targetRemoteId);
    if (target && target.status === 'active') return { kind: 'renew', remoteId: target.remoteId, note: '' };
    const skew = 5 * 60_000;
    const known = new Set(this.vault.listTokens({ workspaceId: token.workspaceId }).map((t) => t.remoteId));
    const successors = listed.filter(
      (t) => t.status === 'active' && !known.has(t.remoteId) && t.name === (target?.name ?? token.name) && (t.createdAt === null || Date.parse(t.createdAt) >= Date.parse(payload.startedAt) - skew),
    );
    if (successors.length === 1 && successors[0]) {
      return { kind: 'renew', remoteId: successors[0].remoteId, note: `The service had already rotated it to id ${successors[0].remoteId}; that one was rotated once more to get a secret the vault holds.` };
    }
    return {
      kind: 'explain',
      message: `The rotate was interrupted; the service no longer lists the old token as active and no single successor could be found. Its secret is unknown: create a new token for "${token.name}" on the service and revoke any unknown ones.`,
    };
  }

  private explain(entry: JournalEntry): RotationReport {
    const base = { rotationId: entry.id, tokenId: entry.tokenId, step: entry.step };
    const parsed = JournalPayload.safeParse(entry.payload);
    if (!parsed.success) return { ...base, state: 'needs-attention', message: 'This rotation step could not be read; the token records are unchanged.' };
    const p = parsed.data;
    switch (entry.step) {
      case 'awaiting-confirmation':
        return { ...base, state: 'awaiting-confirmation', newTokenId: 'newTokenId' in p ? p.newTokenId : undefined, message: 'The new token is stored. Deploy it, then confirm ("token rotate W/N --confirm") to revoke the old one.' };
      case 'awaiting-secret':
        return { ...base, state: 'awaiting-secret', message: `Waiting for the new secret: create it${p.mode === 'manual' && p.tokenPageUrl ? ` on ${p.tokenPageUrl}` : ' on the service'} and paste it.` };
      case 'revoke-scheduled':
        return { ...base, state: 'scheduled', newTokenId: 'newTokenId' in p ? p.newTokenId : undefined, message: `The old token will be revoked after ${p.mode === 'replace' ? p.revokeAt ?? 'its grace period' : 'its grace period'}.` };
      case 'renew-requested':
        return { ...base, state: 'needs-attention', message: 'A renew was sent but its answer was not saved; "token resume" renews it again so the vault holds the current secret.' };
      case 'renew-issued':
      case 'created':
      case 'secret-received':
        return { ...base, state: 'needs-attention', message: 'The new secret is saved in the rotation journal but not yet in the token; "token resume" finishes it.' };
      case 'create-requested':
        return { ...base, state: 'needs-attention', message: 'A create was sent but its answer was not saved; "token resume" checks the service, revokes a token nobody holds, and creates the replacement again.' };
      case 'revoke-requested':
        return { ...base, state: 'needs-attention', message: 'The old token\'s revoke was interrupted; "token resume" revokes it.' };
      default:
        return { ...base, state: 'needs-attention', message: `Unknown rotation step "${entry.step}".` };
    }
  }

  // ------------------------------------------------------------------ helpers

  private findEntry(tokenId: string): JournalEntry | undefined {
    const own = this.vault.listJournal(tokenId)[0];
    if (own) return own;
    // The new token of a rotation: the entry hangs on the old one.
    const t = this.vault.findToken(tokenId);
    if (t?.replacesId) return this.vault.listJournal(t.replacesId)[0];
    return undefined;
  }

  private write(id: string | undefined, tokenId: string, step: string, payload: unknown): JournalEntry {
    const entry = this.vault.putJournal({ ...(id ? { id } : {}), tokenId, step, payload });
    this.checkpoint(`journal:${step}`);
    return entry;
  }

  /** The first durable home of a fresh secret: if it fails, the secret goes back to the caller in the error. */
  private writeWithSecret(id: string, tokenId: string, step: string, payload: unknown, secret: string): void {
    try {
      this.vault.putJournal({ id, tokenId, step, payload });
    } catch (error) {
      throw this.unsaved(error, secret);
    }
    this.checkpoint(`journal:${step}`);
  }

  private unsaved(error: unknown, secret: string): AppFailure {
    if (isAppFailure(error) && error.unsavedSecret) return error;
    const why = isAppFailure(error) ? error.message : 'The vault could not be written.';
    return new AppFailure('secret-not-stored', `The new token could NOT be saved: ${why} Copy it now; it is shown only once.`, secret);
  }

  /** A remote error during a step: roll the journal back when the call surely did nothing, keep it when unsure. */
  private remoteFailed(id: string | undefined, token: TokenSummary, error: unknown, what: string, resuming = false): AppFailure {
    const maybeApplied = isRemoteFailure(error) && error.info.maybeApplied === true;
    const msg = isAppFailure(error) ? error.message : `An unexpected error happened while ${what}.`;
    if (!isAppFailure(error)) log.error('rotation step failed', { tokenId: token.id, what, error: String(error) });
    const code = isAppFailure(error) ? error.code : 'internal';
    if (resuming)
      return new AppFailure(code, `${msg} The rotation is still recorded; run "token resume" again once the service answers.`);
    if (id && !maybeApplied) this.vault.removeJournal(id);
    if (maybeApplied && id)
      return new AppFailure(code, `${msg} The service may have acted without answering; run "token resume" to settle it (the rotation journal remembers where it stopped).`);
    return new AppFailure(code, `${msg} Nothing changed: the old token is still stored and in use.`);
  }

  private inProgress(token: TokenSummary): AppFailure {
    return new AppFailure('rotation-in-progress', `A rotation of "${token.name}" is unfinished: confirm it (--confirm) or run "token resume".`);
  }

  private sameLifetime(token: TokenSummary): string | null {
    if (!token.expiresAt) return null;
    const life = Date.parse(token.expiresAt) - Date.parse(token.createdAt);
    if (!(life > 0)) return null;
    return new Date(this.clock.now().getTime() + life).toISOString();
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }
}
