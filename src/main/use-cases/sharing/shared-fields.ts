import { z } from 'zod';
import { PROVIDER_KINDS } from '../../../shared/provider-capabilities';
import { TOKEN_STATUSES } from '../../../shared/token-status';
import type { SharedRecordKind, SharedTokenFields, SharedWorkspaceFields } from '../../vault';

// What a shared record's fields must be when they come from a remote (a git repository other members write to). The
// vault defines their shape (vault/sharing/share-records.ts); these schemas are checked below to be exactly it.
// Built when a sync first parses with them (z.lazy).

const rotationPolicySchema = z.lazy(() => z.object({ rotateEveryDays: z.number().int().positive(), basis: z.enum(['issue', 'last-rotation']) }));
const text = (max: number) => z.string().max(max);
const isoDate = () => z.string().max(40);

/** The fields of a workspace that travel with a share. Its secret is the admin credential. */
export const sharedWorkspaceFieldsSchema = z.lazy(() =>
  z.object({
    kind: z.enum(PROVIDER_KINDS),
    name: text(200).min(1),
    baseUrl: text(2000).nullable(),
    username: text(500).nullable(),
    tokenPageUrl: text(2000).nullable(),
    rotationPolicy: rotationPolicySchema.nullable(),
  }),
);

/** The fields of a token that travel with a share. Its secret is the token itself. */
export const sharedTokenFieldsSchema = z.lazy(() =>
  z.object({
    workspaceId: text(100).min(1),
    remoteId: text(500).nullable(),
    name: text(500).min(1),
    description: text(10_000).nullable(),
    prefix: text(100).nullable(),
    type: text(200).nullable(),
    scopes: z.array(text(500)).max(500),
    url: text(2000).nullable(),
    notes: text(100_000).nullable(),
    status: z.enum(TOKEN_STATUSES),
    createdAt: isoDate(),
    expiresAt: isoDate().nullable(),
    lastUsedAt: isoDate().nullable(),
    usageCount: z.number().int().nonnegative().nullable(),
    rotationPolicy: rotationPolicySchema.nullable(),
    lastRotatedAt: isoDate().nullable(),
    warningDays: z.array(z.number().int().nonnegative()).max(20).nullable(),
    replacedById: text(100).nullable(),
    replacesId: text(100).nullable(),
  }),
);

// The schemas parse to exactly the vault's shapes, no more and no less (a compile error otherwise): the same keys
// (mutual assignability alone lets an optional key on one side through) and each side assignable to the other.
type Same<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? ([A] extends [B] ? ([B] extends [A] ? true : false) : false) : false) : false;
const shapesMatch: [Same<z.infer<typeof sharedWorkspaceFieldsSchema>, SharedWorkspaceFields>, Same<z.infer<typeof sharedTokenFieldsSchema>, SharedTokenFields>] = [true, true];
void shapesMatch;

let fieldNames: Record<SharedRecordKind, readonly string[]> | undefined;
/** The fields of each kind of record, in schema order. */
export const sharedFieldNames = (kind: SharedRecordKind): readonly string[] =>
  (fieldNames ??= {
    workspace: Object.keys(sharedWorkspaceFieldsSchema._zod.innerType.shape),
    token: Object.keys(sharedTokenFieldsSchema._zod.innerType.shape),
  })[kind];
