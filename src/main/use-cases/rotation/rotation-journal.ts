import { z } from 'zod';
import { ROTATION_STEPS, WAIT_REASONS, type RotationMode, type StepOf } from '../../../shared/ipc/rotation-channels';
import { RemoteTokenSchema } from '../../providers/remote-token';
import type { JournalEntry } from '../../vault';

/**
 * The rotation journal's payloads. One journal entry per rotation (its id is the rotation id, its tokenId the token
 * being rotated); each step replaces the entry with a FULL-sync write BEFORE the remote call it announces, so after a
 * crash the last written step says exactly where the rotation stood. Payloads are encrypted by the vault: `secret`
 * sits in them only between "the service answered" and "the token record holds it".
 */

// Built when a journal entry is first read or written (z.lazy below): every rotation command loads this module.
const base = () => ({
  v: z.literal(1),
  workspaceId: z.string(),
  startedAt: z.string(),
});

/**
 * Where a rotation's deploy steps stand (after the new secret is stored): the targets to write, taken once when the
 * steps begin, the one being written (each is its own journal step, durable before the write), and those that did
 * not end holding the secret. The secret itself is read from the token record, never kept here.
 */
export const DeployState = z.lazy(() =>
  z.object({
    /** The token whose secret goes out and whose targets are written (the replacement, when one was created). */
    tokenId: z.string(),
    targetIds: z.array(z.string()),
    /** Index into targetIds of the target being written; targetIds.length once every target is done. */
    next: z.number().int().min(0),
    failed: z.array(z.string()),
  }),
);
export type DeployState = z.infer<typeof DeployState>;

/** What the service issued, kept until the token record holds it. */
const Issued = z.lazy(() => z.object({ secret: z.string(), token: RemoteTokenSchema }));

/** Native renew (regenerate / rotate / roll). */
export const NativePayload = z.lazy(() =>
  z.object({
    ...base(),
    mode: z.literal('native'),
    method: z.enum(['regenerate', 'rotate', 'roll']),
    /** The remote id the renew call targets (after a lost GitLab rotate: the successor's). */
    targetRemoteId: z.string(),
    requestedExpiresAt: z.string().nullable().optional(),
    /** Set at `renew-issued`. */
    issued: Issued.optional(),
    deploy: DeployState.optional(),
  }),
);
export type NativePayload = z.infer<typeof NativePayload>;

/** Create new -> confirm -> revoke old. */
export const ReplacePayload = z.lazy(() =>
  z.object({
    ...base(),
    mode: z.literal('replace'),
    oldRemoteId: z.string(),
    /** The new token's vault id, chosen before anything is stored so a resumed store cannot insert it twice. */
    newTokenId: z.string(),
    remoteName: z.string(),
    /** Remote ids the service listed before the create: after a crash, a new id not in here is ours. */
    knownRemoteIds: z.array(z.string()),
    input: z.object({
      name: z.string(),
      description: z.string().optional(),
      expiresAt: z.string().nullable().optional(),
      type: z.string().optional(),
      scopes: z.array(z.string()).optional(),
    }),
    /** Set at `created`, dropped again at `awaiting-confirmation` (then the token record holds it). */
    issued: Issued.optional(),
    /**
     * The earliest the old token may be revoked: set when the rotation starts with a grace period, or by a
     * confirmation with one.
     */
    revokeAt: z.string().nullable().optional(),
    deploy: DeployState.optional(),
    /** Set at `awaiting-confirmation`: why the old token was not revoked on its own. */
    waiting: z.enum(WAIT_REASONS).optional(),
  }),
);
export type ReplacePayload = z.infer<typeof ReplacePayload>;

/** Manual workspace: the user creates the token on the service's page and pastes it. */
export const ManualPayload = z.lazy(() =>
  z.object({
    ...base(),
    mode: z.literal('manual'),
    tokenPageUrl: z.string().nullable(),
    newTokenId: z.string(),
    issued: z.object({ secret: z.string(), expiresAt: z.string().nullable() }).optional(),
    deploy: DeployState.optional(),
    waiting: z.enum(WAIT_REASONS).optional(),
  }),
);
export type ManualPayload = z.infer<typeof ManualPayload>;

export const JournalPayload = z.lazy(() => z.discriminatedUnion('mode', [NativePayload, ReplacePayload, ManualPayload]));
export type JournalPayload = z.infer<typeof JournalPayload>;

export type PayloadOf<M extends RotationMode> = Extract<JournalPayload, { mode: M }>;

/** A journal entry read back and typed: its step is one of its mode's steps, its payload that mode's payload. */
export type RotationEntry = {
  [M in RotationMode]: { id: string; tokenId: string; mode: M; step: StepOf<M>; payload: PayloadOf<M> };
}[RotationMode];

/** The entry, typed; undefined when its payload or step cannot be read (a damaged or foreign entry). */
export function readEntry(entry: JournalEntry): RotationEntry | undefined {
  const parsed = JournalPayload.safeParse(entry.payload);
  if (!parsed.success) return undefined;
  const payload = parsed.data;
  if (!(ROTATION_STEPS[payload.mode] as readonly string[]).includes(entry.step)) return undefined;
  return { id: entry.id, tokenId: entry.tokenId, mode: payload.mode, step: entry.step, payload } as RotationEntry;
}

/**
 * Test-only crash points: the rotation calls `checkpoint(name)` right after each durable journal write
 * (`journal:<step>`) and right after each remote call returns (`remote:<call>`), so a test can SIGKILL the process
 * at every step and resume it in a fresh one.
 */
export type Checkpoint = (point: string) => void;
