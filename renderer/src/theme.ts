// Light, dark, or Auto (follow the OS's prefers-color-scheme, live): the editor's choice is kept in
// this browser's localStorage, and the resolved theme is set as data-theme on <html>, where
// tokens.css picks the colours. Applied before the first render, so the board never flashes light.
import { useSyncExternalStore } from 'react';

export const THEME_CHOICES = ['auto', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

const STORAGE_KEY = 'hero-desk.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';
const listeners = new Set<() => void>();

export function parseThemeChoice(value: string | null): ThemeChoice {
  return (THEME_CHOICES as readonly string[]).includes(value ?? '') ? (value as ThemeChoice) : 'auto';
}

function readChoice(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(STORAGE_KEY));
  } catch {
    return 'auto'; // storage blocked: follow the OS
  }
}

let choice: ThemeChoice = 'auto';

function apply(): void {
  const dark = choice === 'dark' || (choice === 'auto' && window.matchMedia(DARK_QUERY).matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Reads the kept choice, applies it and follows the OS while on Auto. Call once, before rendering. */
export function startTheme(): void {
  choice = readChoice();
  apply();
  window.matchMedia(DARK_QUERY).addEventListener('change', () => {
    if (choice === 'auto') apply();
  });
}

export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  try {
    if (next === 'auto') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not kept, but still applied for this page
  }
  apply();
  listeners.forEach((listener) => listener());
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => choice,
  );
}
