import type { TokenReminder } from '../../shared/ipc/reminders-channels';
import type { TokenDto } from '../../shared/ipc/tokens-channels';
import type { WorkspaceDto } from '../../shared/ipc/workspaces-channels';
import { visiblePrefix } from '../../shared/token-prefix';
import { evaluateTokens } from '../reminders/reminder-engine';
import type { ReminderPolicies } from '../reminders/reminder-types';
import type { TokenSummary, Vault, Workspace } from '../vault';
import type { HandlerContext } from './handler-context';

/**
 * The DTO mappers: what the window may see of a stored record. Fields are listed one by one, never spread from the
 * stored record, so a field added to the vault later cannot reach the window by accident. Never a secret, never a
 * credential.
 */

/** A token as the window shows it, from its summary, its workspace and its reminder state. */
export function toTokenDto(t: TokenSummary, ws: Workspace | undefined, reminder: TokenReminder | undefined): TokenDto {
  const rotation = reminder?.rotation;
  return {
    id: t.id,
    workspaceId: t.workspaceId,
    name: t.name,
    description: t.description,
    prefix: t.prefix === null ? null : visiblePrefix(t.prefix),
    type: t.type,
    scopes: t.scopes,
    hasSecret: t.hasSecret,
    status: t.status,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    usageCount: t.usageCount,
    workspaceName: ws?.name ?? '',
    providerKind: ws?.kind ?? 'manual',
    notes: t.notes,
    rotationPolicy: t.rotationPolicy,
    expiry: reminder?.expiry.kind ?? (t.expiresAt === null ? 'never' : 'ok'),
    rotationDue: rotation?.kind === 'due' && !reminder?.snoozedUntil,
    rotationDueOn: rotation && rotation.kind !== 'none' ? rotation.dueOn : null,
    snoozedUntil: t.snoozedUntil,
    replacedById: t.replacedById,
  };
}

/**
 * DTOs of many tokens in one pass of the reminder engine (one clock, one ladder), joined by id: the whole list, or
 * the few a change touched.
 */
export function tokenDtos(vault: Vault, tokens: readonly TokenSummary[], policies: ReminderPolicies, now: Date): TokenDto[] {
  const workspaces = new Map(vault.workspaces.list().map((w) => [w.id, w]));
  // A few tokens: read only their facts; the whole list: read them all at once.
  const facts = tokens.length <= 500 ? vault.tokens.reminderFacts(tokens.map((t) => t.id)) : vault.tokens.reminderFacts();
  const states = new Map<string, TokenReminder>();
  for (const r of evaluateTokens(facts, policies, now)) states.set(r.tokenId, r);
  return tokens.map((t) => toTokenDto(t, workspaces.get(t.workspaceId), states.get(t.id)));
}

/** The DTO of one token, with its reminder state: what a mutation returns so the window patches that one row. */
export function tokenDtoOf({ reminders, clock }: Pick<HandlerContext, 'reminders' | 'clock'>, vault: Vault, token: TokenSummary): TokenDto {
  return tokenDtos(vault, [token], reminders.policies(vault), clock.now())[0] as TokenDto;
}

/** Never the admin credential or the login: only whether one is stored. */
export const toWorkspaceDto = (w: Workspace): WorkspaceDto => ({
  id: w.id,
  kind: w.kind,
  name: w.name,
  baseUrl: w.baseUrl,
  username: w.username,
  tokenPageUrl: w.tokenPageUrl,
  hasAdminCredential: w.hasAdminCredential,
  lastSyncAt: w.lastSyncAt,
  lastSyncError: w.lastSyncError,
  credentialHold: w.credentialHold ? { from: w.credentialHold.from, to: w.credentialHold.to, at: w.credentialHold.at } : null,
});
