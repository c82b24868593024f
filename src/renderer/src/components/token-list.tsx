import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { rowWindow, scrollTopFor } from '../lib/row-window';
import { TokenCard } from './token-card';

const OVERSCAN = 6;

/**
 * The scroll position and height of the list, followed on scroll and resize (one state update per change). Until the
 * list is laid out its height is taken to be the window's (more than it can be, so the first rows fill it): reading
 * the real height while the first rows are committed would lay the whole window out then, and again once they grew
 * (a third of the render after 10,000 tokens arrive). The ResizeObserver reports the real height after the layout
 * the browser does anyway, before that frame is painted.
 */
function useViewport(ref: RefObject<HTMLDivElement | null>): { scrollTop: number; height: number } {
  const [viewport, setViewport] = useState(() => ({ scrollTop: 0, height: window.innerHeight }));
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const read = () =>
      setViewport((v) => (v.scrollTop === el.scrollTop && v.height === el.clientHeight ? v : { scrollTop: el.scrollTop, height: el.clientHeight }));
    el.addEventListener('scroll', read, { passive: true });
    const resize = new ResizeObserver(read);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      resize.disconnect();
    };
  }, [ref]);
  return viewport;
}

/** Keep in step with --row-height in styles/base.css: fixed rows are what lets 50,000 of them scroll smoothly. */
export const ROW_HEIGHT = 48;

export interface TokenListProps {
  tokens: readonly TokenDto[];
  selectedId: string | null;
  /** The selected row's index in `tokens` (-1: none), when the caller already knows it; found by id otherwise. */
  selectedIndex?: number;
  onSelect(id: string): void;
  /** Enter on a row: move focus to its details. */
  onOpen(id: string): void;
  providerLabel(kind: string): string;
  now: number;
}

/**
 * A listbox of token rows, virtualized so only the rows on screen exist in the DOM (smooth at 50,000 tokens).
 * Arrow keys, Home/End and PageUp/PageDown move the selection; the active row is announced through
 * aria-activedescendant, so focus stays on the list itself.
 */
export function TokenList({ tokens, selectedId, selectedIndex: knownIndex, onSelect, onOpen, providerLabel, now }: TokenListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Rows are fixed height: the window on screen is arithmetic, the same cost at 50 rows or 50,000.
  const { scrollTop, height } = useViewport(scrollRef);
  const { start, end } = rowWindow(scrollTop, height, ROW_HEIGHT, tokens.length, OVERSCAN);
  const selectedIndex = selectedId === null ? -1 : (knownIndex ?? tokens.findIndex((t) => t.id === selectedId));

  useEffect(() => {
    const el = scrollRef.current;
    if (!el || selectedIndex < 0) return;
    const next = scrollTopFor(selectedIndex, el.scrollTop, el.clientHeight, ROW_HEIGHT);
    if (next !== el.scrollTop) el.scrollTop = next;
  }, [selectedIndex]);

  const move = (index: number) => {
    const clamped = Math.max(0, Math.min(tokens.length - 1, index));
    const token = tokens[clamped];
    if (token) onSelect(token.id);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT));
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selectedIndex + 1),
      ArrowUp: () => move(selectedIndex - 1),
      Home: () => move(0),
      End: () => move(tokens.length - 1),
      PageDown: () => move(selectedIndex + page),
      PageUp: () => move(selectedIndex - page),
      Enter: () => selectedId && onOpen(selectedId),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  return (
    <div
      ref={scrollRef}
      id="token-list"
      className="token-list"
      role="listbox"
      aria-label="Tokens"
      tabIndex={0}
      aria-activedescendant={selectedIndex >= 0 ? `token-row-${selectedId}` : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => selectedIndex < 0 && move(0)}
    >
      <div className="token-list-inner" style={{ height: tokens.length * ROW_HEIGHT }}>
        {tokens.slice(start, end).map((token, i) => (
          <div
            key={token.id}
            id={`token-row-${token.id}`}
            role="option"
            aria-selected={token.id === selectedId}
            className="token-row"
            style={{ transform: `translateY(${(start + i) * ROW_HEIGHT}px)` }}
            onClick={() => onSelect(token.id)}
            onDoubleClick={() => onOpen(token.id)}
          >
            <TokenCard token={token} providerLabel={providerLabel(token.providerKind)} now={now} />
          </div>
        ))}
      </div>
    </div>
  );
}
