import * as Dialog from '@radix-ui/react-dialog';
import { useRef, type ReactNode } from 'react';

export interface ModalProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  /** One sentence under the title; read by screen readers when the dialog opens. */
  description?: ReactNode;
  children: ReactNode;
  /**
   * False for dialogs that close only through their own buttons (the one-time reveal): Escape and clicks outside do
   * nothing, so a secret cannot be dismissed by accident.
   */
  dismissible?: boolean;
  wide?: boolean;
}

/** Radix's dialog (focus trap, Escape, aria wiring) with the app's look. */
export function Modal({ open, onOpenChange, title, description, children, dismissible = true, wide = false }: ModalProps) {
  // Dialogs here open from state, not from a Radix Trigger: give focus back to whatever opened them.
  const opener = useRef<HTMLElement | null>(null);
  if (open && opener.current === null && document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
  const block = (event: Event) => {
    if (!dismissible) event.preventDefault();
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          className={wide ? 'dialog wide' : 'dialog'}
          onEscapeKeyDown={block}
          onPointerDownOutside={block}
          onInteractOutside={block}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            const target = opener.current;
            opener.current = null;
            if (target?.isConnected) target.focus();
          }}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          {description && <Dialog.Description className="dialog-description">{description}</Dialog.Description>}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

