// Saved views (a name and a filter), kept in this browser's localStorage, and the address bar kept
// in step with the current view: the query holds the view, the fragment never holds the token again.
import { useEffect, useState } from 'react';
import { filterToQuery, parseSavedViews, serializeSavedViews, type Filter, type SavedView } from './board/filter.ts';
import type { BoardStore } from './store/board-store.ts';

const STORAGE_KEY = 'hero-desk.views';

function readViews(): SavedView[] {
  try {
    return parseSavedViews(localStorage.getItem(STORAGE_KEY));
  } catch {
    return [];
  }
}

export function useSavedViews(): { views: SavedView[]; save(name: string, filter: Filter): void; remove(name: string): void } {
  const [views, setViews] = useState(readViews);
  const store = (next: SavedView[]) => {
    setViews(next);
    try {
      localStorage.setItem(STORAGE_KEY, serializeSavedViews(next));
    } catch {
      // storage blocked: the view lasts for this page only
    }
  };
  return {
    views,
    save: (name, filter) => store([...views.filter((view) => view.name !== name), { name, filter }]),
    remove: (name) => store(views.filter((view) => view.name !== name)),
  };
}

/** Mirrors the filter into the address bar's query (replaceState: no history entry per keystroke). */
export function useViewInUrl(store: BoardStore): void {
  useEffect(() => {
    let last = filterToQuery(store.getState().filter);
    return store.subscribe((state) => {
      const query = filterToQuery(state.filter);
      if (query === last) return;
      last = query;
      history.replaceState(history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
    });
  }, [store]);
}
