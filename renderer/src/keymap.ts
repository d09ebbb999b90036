// The board's single-key shortcuts, remappable by the editor and kept in this browser. Arrow keys,
// Esc, Enter, Shift/Ctrl-click and Ctrl/⌘-A are fixed; everything else is a binding here.
export const KEY_ACTIONS = {
  next: { label: 'Next story', defaultKey: 'j' },
  previous: { label: 'Previous story', defaultKey: 'k' },
  approve: { label: 'Approve', defaultKey: 'a' },
  reject: { label: 'Reject (on a published story: pull it from readers, with a reason)', defaultKey: 'r' },
  regenerate: { label: 'Regenerate', defaultKey: 'g' },
  editPrompt: { label: 'Edit the prompt', defaultKey: 'e' },
  toggleSelect: { label: 'Add to / remove from the selection', defaultKey: 'x' },
  search: { label: 'Search', defaultKey: '/' },
  help: { label: 'Show this keyboard map', defaultKey: '?' },
} as const;

export type KeyAction = keyof typeof KEY_ACTIONS;
export type Keymap = Record<KeyAction, string>;
export const KEY_ACTION_NAMES = Object.keys(KEY_ACTIONS) as KeyAction[];

/** Shortcuts that cannot be rebound, listed in the map so the editor sees all of them. */
export const FIXED_KEYS: { keys: string; label: string }[] = [
  { keys: '↑ ↓ ← →', label: 'Move between stories and columns' },
  { keys: 'Enter', label: 'Open the focused story' },
  { keys: 'Esc', label: 'Close the story or this map' },
  { keys: 'Ctrl/⌘ A', label: 'Select every shown story in the column' },
  { keys: 'Shift click', label: 'Select a range in a column' },
  { keys: 'Ctrl/⌘ click', label: 'Add to / remove from the selection' },
];

/** Keys a binding may not take: they already do something fixed, or the browser needs them. */
const RESERVED = new Set([
  'Escape',
  'Enter',
  'Tab',
  ' ',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Shift',
  'Control',
  'Alt',
  'Meta',
]);

export const DEFAULT_KEYMAP: Keymap = Object.fromEntries(
  KEY_ACTION_NAMES.map((action) => [action, KEY_ACTIONS[action].defaultKey]),
) as Keymap;

/** The key as bindings store it: one character lower-cased (so Shift does not matter for letters). */
export function normalizeKey(key: string): string {
  return key.length === 1 ? key.toLowerCase() : key;
}

export function parseKeymap(raw: string | null): Keymap {
  if (!raw) return DEFAULT_KEYMAP;
  try {
    const stored = JSON.parse(raw) as Record<string, unknown>;
    const keymap = { ...DEFAULT_KEYMAP };
    for (const action of KEY_ACTION_NAMES) {
      const key = stored[action];
      if (typeof key === 'string' && key.length > 0 && !RESERVED.has(key)) keymap[action] = normalizeKey(key);
    }
    // a hand-edited file with one key twice falls back to the defaults rather than guess
    return new Set(Object.values(keymap)).size === KEY_ACTION_NAMES.length ? keymap : DEFAULT_KEYMAP;
  } catch {
    return DEFAULT_KEYMAP;
  }
}

export type Rebind = { ok: true; keymap: Keymap; swapped: KeyAction | null } | { ok: false; message: string };

/** Gives `action` the key; an action that had it takes the old key in exchange (no key does two things). */
export function rebind(keymap: Keymap, action: KeyAction, rawKey: string): Rebind {
  if (RESERVED.has(rawKey)) return { ok: false, message: `${keyLabel(rawKey)} is fixed; choose a letter, digit or sign` };
  if (rawKey.length !== 1) return { ok: false, message: `${rawKey} cannot be a shortcut; choose a letter, digit or sign` };
  const key = normalizeKey(rawKey);
  const holder = KEY_ACTION_NAMES.find((other) => other !== action && keymap[other] === key) ?? null;
  const next = { ...keymap, [action]: key };
  if (holder) next[holder] = keymap[action];
  return { ok: true, keymap: next, swapped: holder };
}

/** What a key cap shows: letters in capitals. */
export function keyLabel(key: string): string {
  if (key === ' ') return 'Space';
  return key.length === 1 ? key.toUpperCase() : key;
}

export function actionForKey(keymap: Keymap, key: string): KeyAction | null {
  const pressed = normalizeKey(key);
  return KEY_ACTION_NAMES.find((action) => keymap[action] === pressed) ?? null;
}
