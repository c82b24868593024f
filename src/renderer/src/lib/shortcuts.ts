/**
 * The window's keyboard shortcuts, defined once: the handler (use-shortcuts.ts), the help sheet and the hints in the
 * toolbar all read this list. `Mod` is Cmd on macOS and Ctrl elsewhere.
 */
export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
export const MOD_LABEL = IS_MAC ? '⌘' : 'Ctrl';

export type ShortcutAction = 'search' | 'new-token' | 'lock' | 'copy-secret' | 'copy-prefix' | 'palette' | 'help';

export interface Shortcut {
  action: ShortcutAction;
  /** Each way to press it, as the keys in order (`Mod` = Cmd/Ctrl). */
  keys: readonly (readonly string[])[];
  what: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'palette', keys: [['Mod', 'K']], what: 'Quick open: type a name, Enter copies its secret, Shift+Enter opens it' },
  { action: 'search', keys: [['Mod', 'F'], ['/']], what: 'Search the list' },
  { action: 'copy-secret', keys: [['Mod', 'C']], what: "Copy the selected token's secret (the clipboard clears itself)" },
  { action: 'copy-prefix', keys: [['Mod', 'Shift', 'C']], what: "Copy the selected token's prefix" },
  { action: 'new-token', keys: [['Mod', 'N']], what: 'New token' },
  { action: 'lock', keys: [['Mod', 'L']], what: 'Lock the vault' },
  { action: 'help', keys: [['?']], what: 'Show this list' },
];

/** "Ctrl+K" / "⌘K" for a hint beside a control. */
export function keyLabel(keys: readonly string[]): string {
  const parts = keys.map((k) => (k === 'Mod' ? MOD_LABEL : k === 'Shift' && IS_MAC ? '⇧' : k));
  return IS_MAC ? parts.join('') : parts.join('+');
}

/** The aria-keyshortcuts value of an action ("Control+K Meta+K"). */
export function ariaKeys(action: ShortcutAction): string {
  const shortcut = SHORTCUTS.find((s) => s.action === action);
  if (!shortcut) return '';
  return shortcut.keys
    .flatMap((keys) => (keys.includes('Mod') ? [keys.map((k) => (k === 'Mod' ? 'Control' : k)), keys.map((k) => (k === 'Mod' ? 'Meta' : k))] : [keys]))
    .map((keys) => keys.join('+'))
    .join(' ');
}

const isTextField = (el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement =>
  (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(el.type)) || el instanceof HTMLTextAreaElement;

/** Text the user selected on purpose: native copy wins over "copy the secret". */
function hasTextSelection(target: EventTarget | null): boolean {
  if (isTextField(target)) return target.selectionStart !== target.selectionEnd;
  return (window.getSelection()?.toString() ?? '') !== '';
}

/**
 * Which shortcut a key press is, or null. Shortcuts are off while a dialog or menu is open (they have their own keys)
 * and single keys (`/`, `?`) are off while the user types in a field.
 */
export function shortcutFor(e: KeyboardEvent): ShortcutAction | null {
  if (e.defaultPrevented || e.altKey) return null;
  if (document.querySelector('[role=dialog], [role=alertdialog], [role=menu]')) return null;
  const mod = IS_MAC ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod) {
    if (key === 'c') return hasTextSelection(e.target) ? null : e.shiftKey ? 'copy-prefix' : 'copy-secret';
    if (e.shiftKey) return null;
    if (key === 'f') return 'search';
    if (key === 'n') return 'new-token';
    if (key === 'l') return 'lock';
    if (key === 'k') return 'palette';
    return null;
  }
  if (e.ctrlKey || e.metaKey || isTextField(e.target)) return null;
  if (key === '/') return 'search';
  if (key === '?') return 'help';
  return null;
}
