import * as Menu from '@radix-ui/react-dropdown-menu';
import { memo } from 'react';
import { TOKEN_STATUSES } from '../../../shared/token-status';
import type { SortKey, StatusFilter, TokenQuery } from '../lib/token-query';
import { STATUS_LABELS } from '../lib/token-query';

export const STATUS_FILTERS: readonly StatusFilter[] = ['all', ...TOKEN_STATUSES];
export const statusFilterLabel = (s: StatusFilter): string => (s === 'all' ? 'Any status' : STATUS_LABELS[s]);

export const EXPIRY_WINDOWS: readonly (number | null)[] = [null, 1, 7, 30, 90];
export const expiryWindowLabel = (days: number | null): string => (days === null ? 'Any expiry' : days === 1 ? 'Expiring within a day' : `Expiring within ${days} days`);

export const SORT_LABELS: Record<SortKey, string> = { expiry: 'Expiry', name: 'Name', created: 'Created', 'last-used': 'Last used' };

/** How many filters of the menu are on (the workspace is the sidebar's). */
export const activeFilterCount = (q: TokenQuery): number => (q.status !== 'all' ? 1 : 0) + (q.expiringWithinDays !== null ? 1 : 0) + (q.rotationDue ? 1 : 0);

function Check() {
  return (
    <Menu.ItemIndicator className="menu-indicator" aria-hidden="true">
      ✓
    </Menu.ItemIndicator>
  );
}

/**
 * Status, expiry window and "rotation due" in one menu (Radix: keyboard, focus and roles done right). Both menus are
 * non-modal: a modal Radix menu locks scrolling with an injected <style> element, which the app's
 * Content-Security-Policy (style-src 'self') blocks; Escape, outside clicks and arrow keys work the same.
 */
export interface FilterMenuProps {
  query: TokenQuery;
  onChange(patch: Partial<TokenQuery>): void;
}

function FilterMenuImpl({ query, onChange }: FilterMenuProps) {
  const active = activeFilterCount(query);
  return (
    <Menu.Root modal={false}>
      <Menu.Trigger asChild>
        <button type="button" className="secondary menu-trigger" aria-label={active ? `Filter, ${active} on` : 'Filter'}>
          Filter
          {active > 0 && (
            <span className="menu-count" aria-hidden="true">
              {active}
            </span>
          )}
          <span aria-hidden="true">▾</span>
        </button>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content className="menu" align="end" sideOffset={4} collisionPadding={8}>
          <Menu.Label className="menu-label">Status</Menu.Label>
          <Menu.RadioGroup value={query.status} onValueChange={(v) => onChange({ status: v as StatusFilter })}>
            {STATUS_FILTERS.map((s) => (
              <Menu.RadioItem key={s} value={s} className="menu-item">
                <Check />
                {statusFilterLabel(s)}
              </Menu.RadioItem>
            ))}
          </Menu.RadioGroup>
          <Menu.Separator className="menu-separator" />
          <Menu.Label className="menu-label">Expiry</Menu.Label>
          <Menu.RadioGroup value={String(query.expiringWithinDays ?? '')} onValueChange={(v) => onChange({ expiringWithinDays: v ? Number(v) : null })}>
            {EXPIRY_WINDOWS.map((d) => (
              <Menu.RadioItem key={String(d)} value={String(d ?? '')} className="menu-item">
                <Check />
                {expiryWindowLabel(d)}
              </Menu.RadioItem>
            ))}
          </Menu.RadioGroup>
          <Menu.Separator className="menu-separator" />
          <Menu.CheckboxItem className="menu-item" checked={query.rotationDue} onCheckedChange={(on) => onChange({ rotationDue: on === true })}>
            <Check />
            Rotation due
          </Menu.CheckboxItem>
          <Menu.Separator className="menu-separator" />
          <Menu.Item className="menu-item" disabled={active === 0} onSelect={() => onChange({ status: 'all', expiringWithinDays: null, rotationDue: false })}>
            Clear filters
          </Menu.Item>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}

/**
 * Re-rendered only when one of its own filters changes: the query changes at every search keystroke, and a Radix menu
 * is many components deep.
 */
export const FilterMenu = memo(
  FilterMenuImpl,
  (a, b) => a.onChange === b.onChange && a.query.status === b.query.status && a.query.expiringWithinDays === b.query.expiringWithinDays && a.query.rotationDue === b.query.rotationDue,
);

/** The list order, as a menu beside the filter (memoized like the filter; give it a stable onChange). */
export const SortMenu = memo(function SortMenu({ sort, onChange }: { sort: SortKey; onChange(sort: SortKey): void }) {
  return (
    <Menu.Root modal={false}>
      <Menu.Trigger asChild>
        <button type="button" className="secondary menu-trigger">
          <span>Sort: {SORT_LABELS[sort]}</span>
          <span aria-hidden="true">▾</span>
        </button>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content className="menu" align="end" sideOffset={4} collisionPadding={8}>
          <Menu.Label className="menu-label">Sort by</Menu.Label>
          <Menu.RadioGroup value={sort} onValueChange={(v) => onChange(v as SortKey)}>
            {(Object.keys(SORT_LABELS) as SortKey[]).map((k) => (
              <Menu.RadioItem key={k} value={k} className="menu-item">
                <Check />
                {SORT_LABELS[k]}
              </Menu.RadioItem>
            ))}
          </Menu.RadioGroup>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
});
