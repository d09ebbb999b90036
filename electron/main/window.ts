// The board window. Every renderer is sandboxed and context-isolated; the only door to the core is
// the preload's `window.heroDesk` verbs (electron/preload/index.ts).
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { join } from 'node:path';
import { APP_ENTRY_URL } from './app-protocol.ts';
import type { AppLocation } from './app-url.ts';
import type { Placement, WindowState } from './shell/window-state.ts';

/**
 * Sandboxed preloads cannot load ES modules or anything but `electron`, so the preload is bundled
 * into one CommonJS file (electron.vite.config.ts: preload output format `cjs`, `[name].cjs`).
 */
export function preloadPath(mainDir: string): string {
  return join(mainDir, '../preload/index.cjs');
}

export const DEFAULT_WINDOW_SIZE = { width: 1440, height: 900 };

export interface WindowOptions {
  /** Where to open (shell/window-state.ts); default size, centred, without it. */
  placement?: Placement;
  /** Unpackaged runs only: shipped builds cannot open DevTools at all. */
  developer?: boolean;
}

export function mainWindowOptions(preload: string, options: WindowOptions = {}): BrowserWindowConstructorOptions {
  return {
    ...DEFAULT_WINDOW_SIZE,
    ...options.placement?.bounds,
    minWidth: 960,
    minHeight: 600,
    title: 'Hero Desk',
    show: false, // shown on ready-to-show, so the window never flashes blank
    backgroundColor: '#111318',
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: options.developer ?? false,
    },
  };
}

export async function createMainWindow(location: AppLocation, preload: string, options: WindowOptions = {}): Promise<BrowserWindow> {
  const window = new BrowserWindow(mainWindowOptions(preload, options));
  window.once('ready-to-show', () => {
    if (options.placement?.maximized) window.maximize();
    window.show();
  });
  // the built board comes from app://board/ (app-protocol.ts), never file://
  await window.loadURL(location.devServerUrl ?? APP_ENTRY_URL);
  return window;
}

/** Saves the window's normal (unmaximised) bounds as it moves and resizes, and once more on close. */
export function rememberWindowState(window: BrowserWindow, save: (state: WindowState) => void, delayMs = 500): void {
  let timer: NodeJS.Timeout | undefined;
  const capture = (): void => {
    clearTimeout(timer);
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    try {
      save({ ...bounds, maximized: window.isMaximized() });
    } catch {
      // a full or read-only disk: the next launch uses defaults, nothing worse
    }
  };
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(capture, delayMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', later);
  window.on('close', capture);
}
