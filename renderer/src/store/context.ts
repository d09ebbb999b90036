// The one board store, handed down through context; components read it with selector hooks.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { BoardState, BoardStore } from './board-store.ts';

export const BoardContext = createContext<BoardStore | null>(null);

export function useBoard<T>(selector: (state: BoardState) => T): T {
  const store = useContext(BoardContext);
  if (!store) throw new Error('useBoard outside BoardContext');
  return useStore(store, selector);
}
