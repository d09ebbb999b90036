// Single-key shortcuts (A approve, R reject, G regenerate, E edit prompt, J/K and arrows to move),
// ignored while the editor is typing or holding a modifier, so they never eat real input.
import { useEffect } from 'react';
import type { Move } from './board/ordering.ts';
import type { BoardStore } from './store/board-store.ts';

const MOVES: Record<string, Move> = {
  j: 'down',
  k: 'up',
  ArrowDown: 'down',
  ArrowUp: 'up',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(store: BoardStore): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const state = store.getState();
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const move = MOVES[key];
      if (move) {
        event.preventDefault();
        state.move(move);
        return;
      }
      if (key === 'Escape') {
        state.select(null);
        return;
      }
      const id = state.selectedId;
      const card = id === null ? undefined : state.cards[id];
      if (!card || state.busy[card.articleId]) return;
      const press = (testId: string) => {
        // Go through the button so a disabled action stays disabled from the keyboard too.
        const button = document.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
        if (button && !button.disabled) button.click();
      };
      if (key === 'a') press('approve');
      else if (key === 'r') press('reject');
      else if (key === 'g') press('regenerate');
      else if (key === 'e') {
        event.preventDefault(); // keep the "e" out of the textarea we are about to focus
        document.querySelector<HTMLTextAreaElement>('[data-testid="prompt-input"]')?.focus();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
