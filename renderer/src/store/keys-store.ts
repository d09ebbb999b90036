// The editor's shortcut bindings (kept in this browser's localStorage) and whether the keyboard map
// is open. Separate from the board store: it changes rarely and outlives any board connection.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { DEFAULT_KEYMAP, parseKeymap, rebind, type KeyAction, type Keymap } from '../keymap.ts';

const STORAGE_KEY = 'hero-desk.keymap';

export interface KeysState {
  keymap: Keymap;
  mapOpen: boolean;
  setMapOpen(open: boolean): void;
  /** Null when the key was taken (the message says why). */
  bind(action: KeyAction, key: string): { swapped: KeyAction | null } | { error: string };
  reset(): void;
}

function load(): Keymap {
  try {
    return parseKeymap(localStorage.getItem(STORAGE_KEY));
  } catch {
    return DEFAULT_KEYMAP; // storage blocked: the defaults still work
  }
}

function save(keymap: Keymap): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(keymap));
  } catch {
    // storage blocked: the binding lasts for this page only
  }
}

export const keysStore: StoreApi<KeysState> = createStore<KeysState>()((set, get) => ({
  keymap: typeof localStorage === 'undefined' ? DEFAULT_KEYMAP : load(),
  mapOpen: false,
  setMapOpen: (mapOpen) => set({ mapOpen }),
  bind(action, key) {
    const result = rebind(get().keymap, action, key);
    if (!result.ok) return { error: result.message };
    save(result.keymap);
    set({ keymap: result.keymap });
    return { swapped: result.swapped };
  },
  reset() {
    save(DEFAULT_KEYMAP);
    set({ keymap: DEFAULT_KEYMAP });
  },
}));

export function useKeys<T>(selector: (state: KeysState) => T): T {
  return useStore(keysStore, selector);
}

/** The key bound to an action, for hints on buttons ("Approve A"). */
export function useKeyFor(action: KeyAction): string {
  return useKeys((s) => s.keymap[action]);
}
