// The one board store, handed down through context; components read it with selector hooks.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { BoardState, BoardStore } from './board-store.ts';

export const BoardContext = createContext<BoardStore | null>(null);

/** The store itself, for event handlers that read state when they run (no re-render on change). */
export function useBoardStore(): BoardStore {
  const store = useContext(BoardContext);
  if (!store) throw new Error('useBoard outside BoardContext');
  return store;
}

export function useBoard<T>(selector: (state: BoardState) => T): T {
  return useStore(useBoardStore(), selector);
}
