import { z } from 'zod';
import { HISTORY_LIMIT, type RecordPayload } from './record-file';
import {
  sharedFieldNames,
  sharedTokenFieldsSchema,
  sharedWorkspaceFieldsSchema,
  type HistoryEntry,
  type LocalRecord,
  type SecretCandidate,
  type SharedRecordKind,
  type SharedRecordValues,
} from './sharing-port';
import { isStamp, stampDevice, stampTime, valueDigest, type DeviceClock, type Stamp } from './version-stamp';

/**
 * The per-record, per-field three-way merge. Pure: no git, no vault, no clock but the one passed in.
 *
 * Each field, the secret and the "deleted" flag is a register with a version stamp. The base is what this device
 * recorded at its last sync (stamps, and keyed digests of the values). A side "changed" a register when its stamp
 * (remote) or its value (local) differs from the base.
 * - Only one side changed: that side's value.
 * - Both changed: the higher stamp wins and the lower one goes to the record's history; the same answer on every
 *   device, whichever merges. A remote version written by this very device is in our past, so never concurrent.
 * - The secret is never resolved by dropping one: both values are kept as candidates ("two secrets: pick one")
 *   until someone picks, which is itself an edit that then wins like any other.
 * - An edit beats a concurrent delete (a token somebody changed is not silently gone).
 * - A remote register older than the base (a replayed old file) loses to what we have and is reported.
 */

export interface VersionState {
  /** Digest of the whole local record as it stood after the last sync: the fast "nothing changed here" test. */
  whole: string;
  fields: Record<string, [Stamp, string]>;
  secret: [Stamp, string][];
  deleted: [Stamp, boolean];
}

const versionStateSchema = z.lazy(() =>
  z.object({
    whole: z.string(),
    fields: z.record(z.string(), z.tuple([z.string().refine(isStamp), z.string()])),
    secret: z.array(z.tuple([z.string().refine(isStamp), z.string()])),
    deleted: z.tuple([z.string().refine(isStamp), z.boolean()]),
  }),
);

export function parseVersionState(json: string): VersionState | null {
  try {
    const parsed = versionStateSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface MergeContext {
  me: string;
  clock: DeviceClock;
  digestKey: Buffer;
  /** ms; the stamp time of a local delete (the vault no longer has the record to say when). */
  now: number;
  /** A member's name for a device id (for "set by" on secret candidates). */
  memberName: (deviceId: string) => string;
}

export type RemoteSide = { kind: 'same' } | { kind: 'absent' } | { kind: 'payload'; payload: RecordPayload };

export interface MergeInput {
  id: string;
  kind: SharedRecordKind;
  local: LocalRecord | null;
  base: { state: VersionState; history: HistoryEntry[] } | null;
  remote: RemoteSide;
}

export interface MergeResult {
  /** What the repository should hold for this record. */
  payload: RecordPayload;
  /** The repository's file must be (re)written. */
  repoChanged: boolean;
  /** What to do to the local record. */
  local: { put: SharedRecordValues } | { remove: true } | null;
  /** The new base. */
  state: VersionState;
  history: HistoryEntry[];
  /** The record shows two (or more) secrets after this merge. */
  conflict: boolean;
  /** A remote register older than the base was ignored (a replayed old version). */
  rolledBack: boolean;
  /** The merged fields failed the schema (a member wrote a record this version cannot use). */
  invalid: boolean;
}

interface Reg<T> {
  v: T;
  s: Stamp;
  /** Local only: differs from the base. */
  changed?: boolean;
}
type SecretReg = { cands: { v: string | null; s: Stamp }[]; changed?: boolean };

const UNKNOWN = Symbol('unknown value');

export function wholeDigest(key: Buffer, record: Pick<SharedRecordValues, 'fields' | 'secret' | 'secretConflict'>): string {
  return valueDigest(key, { f: record.fields, s: record.secret, c: record.secretConflict?.map((c) => c.secret) ?? null });
}

const sortedStamps = (cands: readonly { s: Stamp }[]) => cands.map((c) => c.s).sort();
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const maxOf = (stamps: readonly Stamp[]): Stamp | null => stamps.reduce<Stamp | null>((m, s) => (m === null || s > m ? s : m), null);

export function mergeRecord(ctx: MergeContext, input: MergeInput): MergeResult {
  const { local, base, remote } = input;
  const names = sharedFieldNames(input.kind);
  // Values flow from the local record to the output unchanged, so one digest per value object is enough.
  const memo = new Map<unknown, string>();
  const digest = (v: unknown) => {
    let d = memo.get(v);
    if (d === undefined) {
      d = valueDigest(ctx.digestKey, v);
      memo.set(v, d);
    }
    return d;
  };
  // A record this device has never had (a join, or a record another member just created): take it as it is.
  if (!local && !base && remote.kind === 'payload') return adopt(ctx, input.kind, remote.payload, digest);
  const editMs = local ? Date.parse(local.updatedAt) || ctx.now : ctx.now;
  const b = base?.state ?? null;
  let rolledBack = false;
  const losers: HistoryEntry[] = [];

  // ---- the local side, as registers (stamps issued for what changed since the base)
  const lFields = new Map<string, Reg<unknown>>();
  let lSecret: SecretReg | null = null;
  let lDeleted: Reg<boolean> | null = null;
  if (local) {
    const fields = local.fields as unknown as Record<string, unknown>;
    for (const name of names) {
      const v = fields[name] ?? null;
      const bf = b?.fields[name];
      lFields.set(name, bf && bf[1] === digest(v) ? { v, s: bf[0] } : { v, s: ctx.clock.issue(editMs, bf?.[0] ?? null), changed: true });
    }
    const values = local.secretConflict ? local.secretConflict.map((c) => c.secret) : [local.secret];
    const byDigest = new Map(values.map((v) => [digest(v), v]));
    const unchanged = b !== null && sameList([...byDigest.keys()].sort(), b.secret.map(([, d]) => d).sort());
    lSecret = unchanged
      ? { cands: (b as VersionState).secret.map(([s, d]) => ({ v: byDigest.get(d) ?? null, s })) }
      : { cands: [{ v: local.secret, s: ctx.clock.issue(editMs, maxOf(b?.secret.map(([s]) => s) ?? [])) }], changed: true };
    lDeleted = b && !b.deleted[1] ? { v: false, s: b.deleted[0] } : { v: false, s: ctx.clock.issue(editMs, b?.deleted[0] ?? null), changed: true };
  } else if (b) {
    lDeleted = b.deleted[1] ? { v: true, s: b.deleted[0] } : { v: true, s: ctx.clock.issue(ctx.now, b.deleted[0]), changed: true };
    for (const [name, [s]] of Object.entries(b.fields)) lFields.set(name, { v: UNKNOWN, s });
    lSecret = { cands: b.secret.map(([s]) => ({ v: null, s })) };
  }

  // ---- the remote side
  const rFields = new Map<string, Reg<unknown>>();
  let rSecret: SecretReg | null = null;
  let rDeleted: Reg<boolean> | null = null;
  let rHistory: HistoryEntry[] = [];
  if (remote.kind === 'payload') {
    const p = remote.payload;
    for (const [name, reg] of Object.entries(p.fields)) rFields.set(name, { v: reg.v, s: reg.s });
    rSecret = { cands: p.secret.map((c) => ({ v: c.v, s: c.s })) };
    rDeleted = { v: p.deleted.v, s: p.deleted.s };
    rHistory = p.history;
  } else if (remote.kind === 'same' && b) {
    for (const [name, [s]] of Object.entries(b.fields)) rFields.set(name, { v: UNKNOWN, s });
    rSecret = { cands: b.secret.map(([s]) => ({ v: null, s })) };
    rDeleted = { v: b.deleted[1], s: b.deleted[0] };
  }

  function pick<T>(field: string, l: Reg<T> | null | undefined, r: Reg<T> | null | undefined, baseStamp: Stamp | null): Reg<T> | null {
    if (!r) return l ?? null;
    if (!l) return r;
    if (r.s === baseStamp) return l;
    if (!l.changed) {
      if (baseStamp && r.s < baseStamp) {
        rolledBack = true;
        return l;
      }
      return r;
    }
    if (stampDevice(r.s) === ctx.me) return l;
    if (l.v !== UNKNOWN && r.v !== UNKNOWN && digest(l.v) === digest(r.v)) return l.s > r.s ? l : r;
    const [win, lose] = l.s > r.s ? [l, r] : [r, l];
    if (lose.v !== UNKNOWN) losers.push({ field, value: lose.v, at: stampTime(lose.s), by: stampDevice(lose.s), stamp: lose.s });
    return win;
  }

  function pickSecret(l: SecretReg | null, r: SecretReg | null): SecretReg {
    if (!r) return l ?? { cands: [] };
    if (!l) return r;
    const baseStamps = b ? b.secret.map(([s]) => s).sort() : null;
    if (baseStamps && sameList(sortedStamps(r.cands), baseStamps)) return l;
    if (!l.changed) {
      const rMax = maxOf(r.cands.map((c) => c.s));
      const bMax = maxOf(baseStamps ?? []);
      if (bMax && rMax && rMax < bMax) {
        rolledBack = true;
        return l;
      }
      return r;
    }
    // Both changed: keep every distinct value (a cleared secret never beats a set one), newest last.
    const union = [...l.cands, ...r.cands.filter((c) => stampDevice(c.s) !== ctx.me)];
    const set = union.some((c) => c.v !== null) ? union.filter((c) => c.v !== null) : union;
    const byValue = new Map<string | null, { v: string | null; s: Stamp }>();
    for (const c of set) {
      const had = byValue.get(c.v);
      if (!had || c.s > had.s) byValue.set(c.v, c);
    }
    return { cands: [...byValue.values()].sort((x, y) => (x.s < y.s ? -1 : 1)) };
  }

  const deletedReg = pick('deleted', lDeleted, rDeleted, b?.deleted[0] ?? null) ?? { v: false, s: ctx.clock.issue(ctx.now) };
  const lChangedSomething = [...lFields.values()].some((r) => r.changed) || Boolean(lSecret?.changed);
  const rChangedSomething =
    remote.kind === 'payload' &&
    (!b ||
      Object.entries(remote.payload.fields).some(([n, r]) => b.fields[n]?.[0] !== r.s) ||
      !sameList(sortedStamps(remote.payload.secret), b.secret.map(([s]) => s).sort()));

  let deleted = deletedReg;
  let fieldsOut = new Map<string, Reg<unknown>>();
  let secretOut: SecretReg = { cands: [] };
  if (deleted.v) {
    // An edit beats a concurrent delete: resurrect from the side that edited.
    const localDeleted = lDeleted?.changed && lDeleted.v;
    if (localDeleted && rChangedSomething && remote.kind === 'payload' && !remote.payload.deleted.v) {
      deleted = { v: false, s: ctx.clock.issue(ctx.now, deleted.s) };
      fieldsOut = rFields;
      secretOut = rSecret ?? { cands: [] };
    } else if (!localDeleted && local && lChangedSomething) {
      deleted = { v: false, s: ctx.clock.issue(ctx.now, deleted.s) };
      fieldsOut = lFields;
      secretOut = lSecret ?? { cands: [] };
    }
  } else if (!local) {
    fieldsOut = rFields;
    secretOut = rSecret ?? { cands: [] };
  } else {
    for (const name of names) {
      const out = pick(name, lFields.get(name), rFields.get(name), b?.fields[name]?.[0] ?? null);
      if (out) fieldsOut.set(name, out);
    }
    secretOut = pickSecret(lSecret, rSecret);
  }

  const history = mergeHistory(base?.history ?? [], rHistory, losers);
  const payload: RecordPayload = {
    v: 1,
    id: input.id,
    kind: input.kind,
    fields: deleted.v ? {} : Object.fromEntries([...fieldsOut].map(([n, r]) => [n, { v: r.v, s: r.s }])),
    secret: deleted.v ? [] : secretOut.cands,
    deleted: { v: deleted.v, s: deleted.s },
    history: deleted.v ? [] : history,
  };

  // A value we cannot know (a register we only have a stamp for) must never reach the output.
  const unknownLeft = Object.values(payload.fields).some((r) => r.v === UNKNOWN);
  const values = deleted.v || unknownLeft ? null : toValues(input.kind, input.id, payload, ctx);
  const invalid = !deleted.v && values === null;

  const state: VersionState = {
    whole: values ? wholeDigest(ctx.digestKey, values) : '',
    fields: Object.fromEntries(Object.entries(payload.fields).map(([n, r]) => [n, [r.s, digest(r.v)]])),
    secret: payload.secret.map((c) => [c.s, digest(c.v)]),
    deleted: [payload.deleted.s, payload.deleted.v],
  };

  let localAction: MergeResult['local'] = null;
  if (values) {
    if (!local || wholeDigest(ctx.digestKey, local) !== state.whole || conflictLabels(local) !== conflictLabels(values)) localAction = { put: values };
  } else if (deleted.v && local) {
    localAction = { remove: true };
  }

  return {
    payload,
    repoChanged: remote.kind !== 'payload' ? remote.kind === 'absent' || stateDiffers(state, b) || historyDiffers(history, base?.history ?? []) : payloadDiffers(payload, remote.payload, digest),
    local: localAction,
    state,
    history: payload.history,
    conflict: payload.secret.filter((c) => c.v !== null).length > 1,
    rolledBack,
    invalid,
  };
}

function adopt(ctx: MergeContext, kind: SharedRecordKind, payload: RecordPayload, digest: (v: unknown) => string): MergeResult {
  const values = payload.deleted.v ? null : toValues(kind, payload.id, payload, ctx);
  return {
    payload,
    repoChanged: false,
    local: values ? { put: values } : null,
    state: {
      whole: values ? wholeDigest(ctx.digestKey, values) : '',
      fields: Object.fromEntries(Object.entries(payload.fields).map(([n, r]) => [n, [r.s, digest(r.v)]])),
      secret: payload.secret.map((c) => [c.s, digest(c.v)]),
      deleted: [payload.deleted.s, payload.deleted.v],
    },
    history: payload.history,
    conflict: payload.secret.filter((c) => c.v !== null).length > 1,
    rolledBack: false,
    invalid: !payload.deleted.v && values === null,
  };
}

const conflictLabels = (r: Pick<SharedRecordValues, 'secretConflict'>) =>
  r.secretConflict ? r.secretConflict.map((c) => `${c.setAt}/${c.setBy}`).join(',') : '';

function toValues(kind: SharedRecordKind, id: string, payload: RecordPayload, ctx: MergeContext): SharedRecordValues | null {
  const raw = Object.fromEntries(Object.entries(payload.fields).map(([n, r]) => [n, r.v]));
  const set = payload.secret.filter((c) => c.v !== null) as { v: string; s: Stamp }[];
  const newest = payload.secret.at(-1)?.v ?? null;
  const secretConflict: SecretCandidate[] | null =
    set.length > 1 ? set.map((c) => ({ secret: c.v, setAt: stampTime(c.s), setBy: ctx.memberName(stampDevice(c.s)) })) : null;
  const secret = set.length > 1 ? (set.at(-1)?.v ?? null) : newest;
  switch (kind) {
    case 'workspace': {
      const fields = sharedWorkspaceFieldsSchema.safeParse(raw);
      return fields.success ? { kind, id, fields: fields.data, secret, secretConflict } : null;
    }
    case 'token': {
      const fields = sharedTokenFieldsSchema.safeParse(raw);
      return fields.success ? { kind, id, fields: fields.data, secret, secretConflict } : null;
    }
  }
}

function mergeHistory(...lists: HistoryEntry[][]): HistoryEntry[] {
  const byKey = new Map<string, HistoryEntry>();
  for (const list of lists) for (const e of list) byKey.set(`${e.field}\0${e.stamp}`, e);
  return [...byKey.values()].sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.field < b.field ? -1 : 1)).slice(-HISTORY_LIMIT);
}

const historyKeys = (h: readonly HistoryEntry[]) => h.map((e) => `${e.field}\0${e.stamp}`);
const historyDiffers = (a: readonly HistoryEntry[], b: readonly HistoryEntry[]) => !sameList(historyKeys(a), historyKeys(b));

function stateDiffers(next: VersionState, base: VersionState | null): boolean {
  if (!base) return true;
  if (next.deleted[0] !== base.deleted[0] || next.deleted[1] !== base.deleted[1]) return true;
  if (!sameList(next.secret.map((c) => c.join('|')), base.secret.map((c) => c.join('|')))) return true;
  const names = new Set([...Object.keys(next.fields), ...Object.keys(base.fields)]);
  for (const n of names) if (next.fields[n]?.join('|') !== base.fields[n]?.join('|')) return true;
  return false;
}

function payloadDiffers(next: RecordPayload, remote: RecordPayload, digest: (v: unknown) => string): boolean {
  if (next.deleted.s !== remote.deleted.s || next.deleted.v !== remote.deleted.v) return true;
  if (!sameList(next.secret.map((c) => `${c.s}|${digest(c.v)}`), remote.secret.map((c) => `${c.s}|${digest(c.v)}`))) return true;
  const names = new Set([...Object.keys(next.fields), ...Object.keys(remote.fields)]);
  for (const n of names) {
    const a = next.fields[n];
    const r = remote.fields[n];
    if (!a || !r || a.s !== r.s || digest(a.v) !== digest(r.v)) return true;
  }
  return historyDiffers(next.history, remote.history);
}
