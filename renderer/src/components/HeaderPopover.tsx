// A header button that opens a popover panel below it; Esc returns focus to the button.
import { useCallback, useRef, useState, type ComponentPropsWithoutRef, type ComponentType, type ReactNode } from 'react';
import type { PopoverProps } from './popover.ts';

interface HeaderPopoverProps {
  wrapperClass: string;
  buttonClass: string;
  testId: string;
  panelId: string;
  title: string;
  button: ReactNode;
  panel: ComponentType<PopoverProps>;
  /** Further attributes for the button (data-*, animation handlers); the popover's own ones win. */
  buttonProps?: ComponentPropsWithoutRef<'button'> & Record<`data-${string}`, string | undefined>;
}

export function HeaderPopover({
  wrapperClass,
  buttonClass,
  testId,
  panelId,
  title,
  button,
  panel: Panel,
  buttonProps,
}: HeaderPopoverProps) {
  const [open, setOpen] = useState(false);
  const within = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const onClose = useCallback(({ restoreFocus = false } = {}) => {
    setOpen(false);
    if (restoreFocus) opener.current?.focus();
  }, []);
  return (
    <div className={wrapperClass} ref={within}>
      <button
        {...buttonProps}
        ref={opener}
        type="button"
        className={buttonClass}
        data-testid={testId}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        title={title}
        onClick={() => setOpen((value) => !value)}
      >
        {button}
      </button>
      {open && <Panel within={within} onClose={onClose} />}
    </div>
  );
}
