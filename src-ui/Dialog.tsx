import type { ReactNode } from 'react';
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

/**
 * A modal dialog (react-aria-components): focus moves in and stays in, Escape closes it, focus
 * goes back where it was, and screen readers announce it with its title.
 */
export function Dialog({
  title,
  onClose,
  children,
  wide = false,
  dismissable = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  /** A click outside closes it too (the back office's); the app's dialogs close by their buttons and Escape only. */
  dismissable?: boolean;
}) {
  return (
    <ModalOverlay isOpen isDismissable={dismissable} onOpenChange={(open) => !open && onClose()} className="overlay">
      <Modal className={wide ? 'modal wide' : 'modal'}>
        <AriaDialog className="dialog">
          <Heading slot="title" className="dialog-title">
            {title}
          </Heading>
          {children}
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}
