// The board's keyboard: single-key actions as the editor has bound them (keymap.ts), arrows to move,
// Ctrl/⌘-A to select a column, Esc to close. Ignored while the editor is typing or holding a
// modifier, so they never eat real input. J/K move the focus, not just the selection, and the live
// region reads out where it landed.
import { useEffect } from 'react';
import type { Move } from './board/ordering.ts';
import { actionForKey } from './keymap.ts';
import type { BoardStore } from './store/board-store.ts';
import { keysStore } from './store/keys-store.ts';
import { columnHolding } from './store/selection.ts';

const ARROWS: Record<string, Move> = { ArrowDown: 'down', ArrowUp: 'up', ArrowLeft: 'left', ArrowRight: 'right' };

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The card the keyboard is on: the focused tile, else the open one. */
function currentCardId(store: BoardStore): string | null {
  const focused = document.activeElement?.closest<HTMLElement>('[data-testid^="card-"][data-status]');
  return focused?.dataset.testid?.slice('card-'.length) ?? store.getState().selectedId;
}

/** Go through the drawer's button, so a disabled action stays disabled from the keyboard too. */
function press(testId: string): void {
  const button = document.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
  if (button && !button.disabled) button.click();
}

export function useShortcuts(store: BoardStore): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.altKey || isTyping(event.target) || keysStore.getState().mapOpen) return;
      const state = store.getState();
      if (event.ctrlKey || event.metaKey) {
        const id = event.key.toLowerCase() === 'a' ? currentCardId(store) : null;
        const column = id === null ? null : columnHolding(state.view, id);
        if (column) {
          event.preventDefault();
          state.checkAllIn(column);
        }
        return;
      }
      const arrow = ARROWS[event.key];
      if (arrow) {
        event.preventDefault();
        state.move(arrow);
        return;
      }
      if (event.key === 'Escape') {
        if (Object.keys(state.checked).length > 0) state.clearChecked();
        else state.select(null);
        return;
      }
      const action = actionForKey(keysStore.getState().keymap, event.key);
      if (action === null) return;
      if (action === 'next' || action === 'previous') {
        event.preventDefault();
        state.move(action === 'next' ? 'down' : 'up');
        return;
      }
      if (action === 'help') {
        event.preventDefault();
        keysStore.getState().setMapOpen(true);
        return;
      }
      if (action === 'search') {
        event.preventDefault(); // keep the "/" out of the field
        document.querySelector<HTMLInputElement>('[data-testid="search"]')?.focus();
        return;
      }
      if (action === 'toggleSelect') {
        const id = currentCardId(store);
        if (id !== null && state.cards[id]) state.toggleChecked(id);
        return;
      }
      const id = state.selectedId;
      const card = id === null ? undefined : state.cards[id];
      if (!card || state.busy[card.articleId]) return;
      if (action === 'approve') {
        event.preventDefault(); // a failed image's A opens a dialog with a text field: keep the "a" out of it
        press('approve');
      } else if (action === 'reject') {
        // never one keystroke to pull an image from readers: open the form that asks why
        if (card.status === 'published') {
          event.preventDefault();
          press('retract');
        } else press('reject');
      } else if (action === 'regenerate') press('regenerate');
      else if (action === 'editPrompt') {
        event.preventDefault(); // keep the "e" out of the textarea we are about to focus
        document.querySelector<HTMLTextAreaElement>('[data-testid="prompt-input"]')?.focus();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
