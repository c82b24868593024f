import { z } from 'zod';
import type { MemberList } from './member-list';
import type { Stamp } from './version-stamp';

/** The structured outcomes of the engine's operations are defined once, in src/shared (the window shows them too). */
export type {
  IdentityView,
  MemberChangeOutcome,
  MembersView,
  MemberView,
  RejectedFile,
  ShareStatus,
  SyncOutcome,
} from '../../../shared/ipc/share-channels';

/** The engine's own bookkeeping inside ShareState.engine. */
export const engineStateSchema = z.lazy(() =>
  z.object({
    v: z.literal(1),
    members: z.custom<MemberList>((x) => typeof x === 'object' && x !== null).nullable(),
    lastCommit: z.string().nullable(),
    clock: z.string().nullable(),
    /** The founding member list file (base64) until the first push landed. */
    founding: z.string().nullable(),
  }),
);
export type EngineState = z.infer<typeof engineStateSchema> & { members: MemberList | null; clock: Stamp | null };
