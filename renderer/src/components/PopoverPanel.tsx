// The frame both header popovers use: a focusable dialog that closes when focus leaves it.
import { useEffect, useRef, type ReactNode } from 'react';
import type { PopoverProps } from './popover.ts';

interface PopoverPanelProps extends PopoverProps {
  id: string;
  title: ReactNode;
  /** Small text on the right of the title. */
  aside: ReactNode;
  children: ReactNode;
}

export function PopoverPanel({ id, title, aside, within, onClose, children }: PopoverPanelProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    panelRef.current?.focus();
  }, []);
  return (
    <div
      ref={panelRef}
      id={id}
      className={`popover ${id}`}
      data-testid={id}
      role="dialog"
      aria-labelledby={`${id}-title`}
      tabIndex={-1}
      onBlur={(event) => {
        // Tabbing out of the panel closes it, like a menu; clicks are handled by the pointer listener.
        const next = event.relatedTarget;
        if (next instanceof Node && !within.current?.contains(next)) onClose({ restoreFocus: false });
      }}
    >
      <div className="popover-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <span className="muted small">{aside}</span>
      </div>
      {children}
    </div>
  );
}
