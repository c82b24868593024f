import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { TokenCard } from './token-card';

/** Keep in step with --row-height in styles/base.css: fixed rows are what lets 50,000 of them scroll smoothly. */
export const ROW_HEIGHT = 48;

export interface TokenListProps {
  tokens: readonly TokenDto[];
  selectedId: string | null;
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
export function TokenList({ tokens, selectedId, onSelect, onOpen, providerLabel, now }: TokenListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tokens.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (index) => tokens[index]?.id ?? index,
  });
  const selectedIndex = selectedId === null ? -1 : tokens.findIndex((t) => t.id === selectedId);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

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
      <div className="token-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const token = tokens[row.index];
          if (!token) return null;
          return (
            <div
              key={row.key}
              id={`token-row-${token.id}`}
              role="option"
              aria-selected={token.id === selectedId}
              className="token-row"
              style={{ transform: `translateY(${row.start}px)` }}
              onClick={() => onSelect(token.id)}
              onDoubleClick={() => onOpen(token.id)}
            >
              <TokenCard token={token} providerLabel={providerLabel(token.providerKind)} now={now} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
