import { Command } from 'cmdk';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TokenDto } from '../../../shared/ipc/tokens-channels';
import { expiryGlance, urgencyOf } from '../lib/expiry-signal';
import { keyLabel } from '../lib/shortcuts';
import { paletteMatches, type TokenIndex } from '../lib/token-query';
import { Modal } from './modal';
import { ProviderMark } from './provider-mark';

export interface PaletteCommand {
  id: string;
  label: string;
  keys?: readonly string[];
  run(): void;
}

export interface CommandPaletteProps {
  index: TokenIndex;
  now: number;
  providerLabel(kind: string): string;
  commands: readonly PaletteCommand[];
  onCopy(token: TokenDto): void;
  onOpen(token: TokenDto): void;
  onClose(): void;
}

/**
 * Quick open (Ctrl/Cmd+K): type a name; Enter copies the secret (main copies and clears the clipboard later),
 * Shift+Enter opens the token in the list. cmdk gives the combobox its keyboard and screen-reader behaviour; the
 * matching is ours (`paletteMatches`), so cmdk only ever holds the few rows on screen.
 */
export function CommandPalette({ index, now, providerLabel, commands, onCopy, onOpen, onClose }: CommandPaletteProps) {
  const [text, setText] = useState('');
  const [selected, setSelected] = useState('');
  // Opening a token moves focus to its details: the opener must not take it back when the palette closes.
  const restoreFocus = useRef(true);
  const tokens = useMemo(() => paletteMatches(index, text, now), [index, text, now]);
  const q = text.trim().toLowerCase();
  const actions = commands.filter((c) => q === '' || c.label.toLowerCase().includes(q));
  const byId = useMemo(() => new Map(tokens.map((t) => [`token:${t.id}`, t])), [tokens]);

  const choose = (value: string, open: boolean) => {
    const token = byId.get(value);
    if (token) {
      if (open || !token.hasSecret) restoreFocus.current = false;
      onClose();
      if (open || !token.hasSecret) onOpen(token);
      else onCopy(token);
      return;
    }
    const command = commands.find((c) => `command:${c.id}` === value);
    if (command) {
      restoreFocus.current = false;
      onClose();
      command.run();
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.shiftKey && selected) {
      event.preventDefault();
      choose(selected, true);
    }
  };

  return (
    <Modal open onOpenChange={(open) => !open && onClose()} title="Quick open" hideTitle className="palette" returnFocus={() => restoreFocus.current}>
      <Command label="Quick open" shouldFilter={false} loop value={selected} onValueChange={setSelected} onKeyDown={onKeyDown}>
        <Command.Input value={text} onValueChange={setText} placeholder="Type a token name…" aria-label="Token name" aria-describedby="palette-help" data-autofocus />
        <Command.List aria-label="Matches">
          <Command.Empty>No token or action matches “{text}”.</Command.Empty>
          {tokens.length > 0 && (
            <Command.Group heading="Tokens">
              {tokens.map((t) => (
                <Command.Item key={t.id} value={`token:${t.id}`} onSelect={(v) => choose(v, false)}>
                  <ProviderMark kind={t.providerKind} label={providerLabel(t.providerKind)} size="small" />
                  <span className="palette-name">
                    {t.name}
                    <span className="palette-meta"> · {t.workspaceName}</span>
                  </span>
                  <span className={`palette-meta urgency-${urgencyOf(t, now)}`}>{expiryGlance(t, now)}</span>
                </Command.Item>
              ))}
            </Command.Group>
          )}
          {actions.length > 0 && (
            <Command.Group heading="Actions">
              {actions.map((c) => (
                <Command.Item key={c.id} value={`command:${c.id}`} onSelect={(v) => choose(v, false)}>
                  <span aria-hidden="true">›</span>
                  <span className="palette-name">{c.label}</span>
                  <span className="palette-meta">{c.keys ? keyLabel(c.keys) : ''}</span>
                </Command.Item>
              ))}
            </Command.Group>
          )}
        </Command.List>
      </Command>
      <p className="palette-foot" id="palette-help">
        <span>
          <kbd>Enter</kbd> copy secret
        </span>
        <span>
          <kbd>Shift</kbd>+<kbd>Enter</kbd> open
        </span>
        <span>
          <kbd>Esc</kbd> close
        </span>
      </p>
    </Modal>
  );
}
