/**
 * Which rows of a fixed-height list are on screen, by arithmetic: O(1) whatever the row count. (A measuring
 * virtualizer keeps a per-row size table and rebuilds it, O(rows), whenever the count or its key function changes,
 * which a filter keystroke at 50,000 tokens does every time.)
 */
export interface RowWindow {
  /** First row index rendered (inclusive). */
  start: number;
  /** Last row index rendered (exclusive). */
  end: number;
}

export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end: Math.max(start, end) };
}

/** The scrollTop that brings row `index` into view with the least movement (nothing when it is already in view). */
export function scrollTopFor(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return scrollTop;
}
