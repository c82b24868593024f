import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';

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
  /** Replaces the dialog's look (the quick-open palette is a bar near the top, not a centred card). */
  className?: string;
  /** The title names the dialog for screen readers only (the palette's input says what it is for). */
  hideTitle?: boolean;
  /** Asked when the dialog goes: false when what it did moved focus somewhere on purpose (the palette opening a token). */
  returnFocus?(): boolean;
}

/**
 * The platform's modal <dialog> (showModal: the rest of the page is inert, focus moves in, Escape is a close
 * request) with the app's look. It needs no inline style: Radix's dialog locked scrolling with an injected
 * <style> element, which the app's Content-Security-Policy (style-src 'self') blocks.
 */
export function Modal({ open, onOpenChange, title, description, children, dismissible = true, wide = false, className, hideTitle = false, returnFocus }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // Dialogs here open from state: give focus back to whatever opened them, also when they unmount while open.
  const opener = useRef<HTMLElement | null>(null);
  const dismissibleRef = useRef(dismissible);
  dismissibleRef.current = dismissible;
  const onOpenChangeRef = useRef(onOpenChange);
  onOpenChangeRef.current = onOpenChange;
  const returnFocusRef = useRef(returnFocus);
  returnFocusRef.current = returnFocus;

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
      dialog.showModal();
      // showModal focuses the first focusable element; a dialog can name a better one. React's autoFocus cannot:
      // it runs before the dialog is shown, when nothing in it can take focus.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const requestClose = (event: Event) => {
      // Escape (and other close requests): React decides whether the dialog goes, never the browser alone.
      event.preventDefault();
      if (dismissibleRef.current) onOpenChangeRef.current(false);
    };
    // Canceling the keydown keeps Chromium from turning a second Escape into an uncancelable close.
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') requestClose(event);
    };
    const outside = (event: PointerEvent) => {
      if (event.target !== dialog) return;
      const r = dialog.getBoundingClientRect();
      const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
      if (!inside && dismissibleRef.current) onOpenChangeRef.current(false);
    };
    dialog.addEventListener('cancel', requestClose);
    dialog.addEventListener('keydown', escape);
    dialog.addEventListener('pointerdown', outside);
    return () => {
      dialog.removeEventListener('cancel', requestClose);
      dialog.removeEventListener('keydown', escape);
      dialog.removeEventListener('pointerdown', outside);
      const target = opener.current;
      opener.current = null;
      if (target?.isConnected && (returnFocusRef.current?.() ?? true)) target.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className={className ?? (wide ? 'dialog wide' : 'dialog')} aria-labelledby={titleId} aria-describedby={description ? descriptionId : undefined}>
      {open && (
        <>
          <h2 id={titleId} className={hideTitle ? 'visually-hidden' : 'dialog-title'}>
            {title}
          </h2>
          {description && (
            <p id={descriptionId} className="dialog-description">
              {description}
            </p>
          )}
          {children}
        </>
      )}
    </dialog>
  );
}
