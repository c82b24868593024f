import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { isEnded, urgencyOf, type Urgency } from './expiry-signal';

const DAY = 86_400_000;
export const TIMELINE_DAYS = 90;

/** One mark on the timeline: the tokens of one workspace that expire (or are due for rotation) on one day. */
export interface TimelineMark {
  /** Days from today (0 = today; overdue rotations sit at 0). */
  day: number;
  kind: 'expiry' | 'rotation';
  /** The most urgent level among its tokens (expiry marks). */
  urgency: Urgency;
  tokens: TokenDto[];
}

export interface TimelineRow {
  workspaceId: string;
  workspaceName: string;
  providerKind: TokenDto['providerKind'];
  marks: TimelineMark[];
}

const RANK: Record<Urgency, number> = { expired: 0, ended: 0, day: 1, week: 2, ladder: 3, ok: 4, never: 5 };

/** Local midnight of the day `ms` falls on. */
const startOfDay = (ms: number) => {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/**
 * The next `TIMELINE_DAYS` of expiries and rotations per workspace: live tokens only, grouped by local day so a
 * workspace with 500 tokens expiring the same week still shows a handful of marks. Workspaces with nothing ahead are
 * left out.
 */
export function buildTimeline(tokens: readonly TokenDto[], now: number): TimelineRow[] {
  const today = startOfDay(now);
  const end = today + (TIMELINE_DAYS + 1) * DAY;
  const rows = new Map<string, TimelineRow>();
  const markOf = (t: TokenDto, day: number, kind: TimelineMark['kind'], urgency: Urgency) => {
    let row = rows.get(t.workspaceId);
    if (!row) rows.set(t.workspaceId, (row = { workspaceId: t.workspaceId, workspaceName: t.workspaceName, providerKind: t.providerKind, marks: [] }));
    let mark = row.marks.find((m) => m.day === day && m.kind === kind);
    if (!mark) row.marks.push((mark = { day, kind, urgency, tokens: [] }));
    mark.tokens.push(t);
    if (RANK[urgency] < RANK[mark.urgency]) mark.urgency = urgency;
  };
  for (const t of tokens) {
    const urgency = urgencyOf(t, now);
    if (isEnded(urgency) || t.replacedById) continue;
    if (t.expiresAt !== null) {
      const at = Date.parse(t.expiresAt);
      if (at > now && at < end) markOf(t, Math.round((startOfDay(at) - today) / DAY), 'expiry', urgency);
    }
    if (t.rotationDueOn !== null) {
      const due = startOfDay(new Date(`${t.rotationDueOn}T00:00:00`).getTime());
      if (due < end) markOf(t, Math.max(0, Math.round((due - today) / DAY)), 'rotation', urgency);
    }
  }
  const out = [...rows.values()];
  for (const row of out) row.marks.sort((a, b) => a.day - b.day);
  return out.sort((a, b) => (a.marks[0]?.day ?? 0) - (b.marks[0]?.day ?? 0) || a.workspaceName.localeCompare(b.workspaceName));
}
