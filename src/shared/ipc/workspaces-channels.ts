import { z } from 'zod';
import { PROVIDER_KINDS, type ProviderCapabilities, type ProviderKind, type WorkspaceFieldSpec } from '../provider-capabilities';
import { MUTATES, returns } from './define-channel';

/** A workspace as the renderer sees it: never the admin credential or the provider login. */
export interface WorkspaceDto {
  id: string;
  kind: ProviderKind;
  name: string;
  baseUrl: string | null;
  username: string | null;
  tokenPageUrl: string | null;
  hasAdminCredential: boolean;
  lastSyncAt: string | null;
  lastSyncError: { code: string; message: string } | null;
  /**
   * A shared change moved the workspace from the origin `from` to `to` and kept its admin credential: it is not sent
   * to `to` until the user confirms it here (workspaces:confirm-credential) or enters another.
   */
  credentialHold: { from: string | null; to: string | null; at: string } | null;
}

/** What a provider can do, so the UI shows only those actions (see src/main/providers/provider-types.ts). */
export interface ProviderInfo {
  kind: ProviderKind;
  label: string;
  capabilities: ProviderCapabilities;
  fields: WorkspaceFieldSpec;
}

export interface SyncResultDto {
  workspaceId: string;
  workspaceName: string;
  ok: boolean;
  added: number;
  updated: number;
  revokedRemote: number;
  total: number;
  error?: { code: string; message: string };
}

const Name = z.string().trim().min(1, 'Give the workspace a name.').max(120);
const Url = z.string().trim().max(2048);
const Secret = z.string().min(1).max(8192);

export const AddWorkspaceInput = z
  .object({
    kind: z.enum(PROVIDER_KINDS),
    name: Name,
    baseUrl: Url.nullish(),
    username: z.string().trim().max(320).nullish(),
    adminSecret: Secret.nullish(),
    tokenPageUrl: Url.nullish(),
  })
  .strict();

export const UpdateWorkspaceInput = z
  .object({
    id: z.string().min(1).max(100),
    name: Name.optional(),
    baseUrl: Url.nullish(),
    username: z.string().trim().max(320).nullish(),
    adminSecret: Secret.nullish(),
    tokenPageUrl: Url.nullish(),
  })
  .strict();

export const workspacesChannels = {
  'workspaces:list': returns<WorkspaceDto[]>().takes(z.undefined()),
  'workspaces:add': returns<WorkspaceDto>().takes(AddWorkspaceInput, MUTATES),
  /** Goes through the same URL checks as add. */
  'workspaces:update': returns<WorkspaceDto>().takes(UpdateWorkspaceInput, MUTATES),
  /** The user confirms the held credential for `origin`, the new address's origin they were shown. */
  'workspaces:confirm-credential': returns<WorkspaceDto>().takes(z.object({ id: z.string().min(1).max(100), origin: z.string().max(2048).nullable() }).strict(), MUTATES),
  /** Into the trash (with its tokens when `withTokens`; refused while it holds tokens otherwise). */
  'workspaces:remove': returns<{ removed: true; trashId: string }>().takes(z.object({ id: z.string().min(1).max(100), withTokens: z.boolean().optional() }).strict(), MUTATES),
  /** One workspace, or every one when `id` is omitted. Progress arrives as `sync:progress` events. */
  'workspaces:sync': returns<SyncResultDto[]>().takes(z.object({ id: z.string().min(1).max(100).optional() }).strict(), MUTATES),
  'providers:list': returns<ProviderInfo[]>().takes(z.undefined()),
} as const;

export interface WorkspacesEvents {
  /** One workspace finished syncing (ok or not). */
  'sync:progress': SyncResultDto;
}
