import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { listOf } from '../lib/plural';
import { buildTimeline, TIMELINE_DAYS, type TimelineMark } from '../lib/timeline';
import { ProviderMark } from './provider-mark';

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dateOf = (day: number, now: number) => {
  const d = new Date(now);
  d.setHours(12, 0, 0, 0);
  d.setDate(d.getDate() + day);
  return dayFormat.format(d);
};

function markLabel(mark: TimelineMark, now: number): string {
  const names = mark.tokens.slice(0, 3).map((t) => t.name);
  const more = mark.tokens.length > 3 ? `${mark.tokens.length - 3} more` : null;
  const who = listOf([...names, more]);
  const when = mark.day === 0 ? 'today' : `on ${dateOf(mark.day, now)} (in ${mark.day} ${mark.day === 1 ? 'day' : 'days'})`;
  const one = mark.tokens.length === 1;
  return mark.kind === 'expiry' ? `${who} ${one ? 'expires' : 'expire'} ${when}` : `${who}: rotation due ${when}`;
}

/**
 * The next 90 days, one track per workspace: a dot where tokens expire (red within a week, amber later), a square
 * where a rotation falls due. Each mark is a button named in words; choosing it opens the first of its tokens.
 */
export function ExpiryTimeline({ tokens, now, providerLabel, onOpen }: { tokens: readonly TokenDto[]; now: number; providerLabel(kind: string): string; onOpen(token: TokenDto): void }) {
  const rows = buildTimeline(tokens, now);
  return (
    <section className="card-section" aria-labelledby="timeline-title">
      <h2 id="timeline-title" className="section-title">
        The next {TIMELINE_DAYS} days
      </h2>
      {rows.length === 0 ? (
        <p className="hint">Nothing expires or falls due for rotation in the next {TIMELINE_DAYS} days.</p>
      ) : (
        <div className="timeline">
          <div className="timeline-scale" aria-hidden="true">
            <span />
            <div className="ticks">
              {[0, 30, 60, 90].map((d) => (
                <span key={d} style={{ left: `${(d / TIMELINE_DAYS) * 100}%` }}>
                  {d === 0 ? 'Today' : dateOf(d, now)}
                </span>
              ))}
            </div>
          </div>
          {rows.map((row) => (
            <div key={row.workspaceId} className="timeline-row" role="group" aria-label={row.workspaceName}>
              <span className="timeline-label">
                <ProviderMark kind={row.providerKind} label={providerLabel(row.providerKind)} size="small" />
                <span title={row.workspaceName}>{row.workspaceName}</span>
              </span>
              <div className="timeline-track">
                {row.marks.map((mark) => {
                  const first = mark.tokens[0];
                  return (
                    <button
                      key={`${mark.kind}-${mark.day}`}
                      type="button"
                      className={`timeline-dot ${mark.kind === 'rotation' ? 'rotation' : `urgency-${mark.urgency}`}`}
                      style={{ left: `calc((100% - 16px) * ${mark.day / TIMELINE_DAYS})` }}
                      aria-label={markLabel(mark, now)}
                      title={markLabel(mark, now)}
                      onClick={() => first && onOpen(first)}
                    />
                  );
                })}
              </div>
            </div>
          ))}
          <p className="timeline-legend">
            <span>
              <i className="legend-swatch soon" aria-hidden="true" /> expires within a week
            </span>
            <span>
              <i className="legend-swatch later" aria-hidden="true" /> expiry warning
            </span>
            <span>
              <i className="legend-swatch quiet" aria-hidden="true" /> expires later
            </span>
            <span>
              <i className="legend-swatch rotation" aria-hidden="true" /> rotation due
            </span>
          </p>
        </div>
      )}
    </section>
  );
}
