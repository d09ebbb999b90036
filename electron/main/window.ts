// The board window. Every renderer is sandboxed and context-isolated; the only door to the core is
// the preload's `window.heroDesk` verbs (electron/preload/index.ts).
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { AppLocation } from './app-url.ts';

/**
 * Sandboxed preloads cannot load ES modules or anything but `electron`, so the preload is bundled
 * into one CommonJS file (electron.vite.config.ts: preload output format `cjs`, `[name].cjs`).
 */
export function preloadPath(mainDir: string): string {
  return join(mainDir, '../preload/index.cjs');
}

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
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
    },
  };
}

export async function createMainWindow(location: AppLocation, preload: string): Promise<BrowserWindow> {
  const window = new BrowserWindow(mainWindowOptions(preload));
  window.once('ready-to-show', () => window.show());
  if (location.devServerUrl !== null) {
    await window.loadURL(location.devServerUrl);
  } else {
    await window.loadFile(join(location.rendererDir, 'index.html'));
  }
  return window;
}
