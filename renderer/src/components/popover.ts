// What the header's popover panels (spend, keys) share: loading where only the newest answer
// counts, and dismissal rules that keep the board's single-key shortcuts quiet while they are open.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { errorMessage } from '../../../shared/error-message.ts';

export interface PopoverProps {
  /** The popover and its opening button: clicks inside it do not close it. */
  within: RefObject<HTMLElement | null>;
  onClose(options?: { restoreFocus: boolean }): void;
}

/** Loads on mount; a slow reply never overwrites a fresher one, and late answers after closing are dropped. */
export function useLatestLoad<T>(loader: () => Promise<T>): { value: T | null; error: string | null; load: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);
  const load = useCallback(() => {
    const id = ++request.current;
    loader().then(
      (result) => {
        if (id !== request.current) return;
        setValue(result);
        setError(null);
      },
      (reason: unknown) => {
        if (id === request.current) setError(errorMessage(reason));
      },
    );
  }, [loader]);
  useEffect(() => {
    load();
    return () => {
      request.current += 1;
    };
  }, [load]);
  return { value, error, load };
}

/**
 * Esc and clicks outside close. Keys pressed in the popover (or on the page background) stop here,
 * in the capture phase, before the board's window listener; default actions (typing, Tab, Enter) still happen.
 */
export function usePopoverDismiss({ within, onClose }: PopoverProps): void {
  useEffect(() => {
    function onPointerDown(event: PointerEvent) {
      if (event.target instanceof Node && !within.current?.contains(event.target)) onClose({ restoreFocus: false });
    }
    function onKeyDown(event: KeyboardEvent) {
      const target = event.target instanceof Node ? event.target : null;
      const ours = target === null || target === document.body || !!within.current?.contains(target);
      if (!ours) return;
      event.stopPropagation();
      if (event.key === 'Escape') onClose({ restoreFocus: true });
    }
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('keydown', onKeyDown, true);
    };
  }, [within, onClose]);
}
