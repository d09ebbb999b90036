import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMainWindow, mainWindowOptions, preloadPath } from '../../electron/main/window.ts';
import * as electron from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

describe('main window', () => {
  beforeEach(() => electron.resetElectronMock());

  it('is 1440×900 with a sandboxed, context-isolated, Node-free renderer', () => {
    const options = mainWindowOptions('/app/out/preload/index.cjs');
    expect(options).toMatchObject({ width: 1440, height: 900, show: false });
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
  });

  it('opens DevTools only in developer runs, and where the saved placement says', () => {
    expect(mainWindowOptions('/p.cjs', { developer: true }).webPreferences?.devTools).toBe(true);
    const options = mainWindowOptions('/p.cjs', { placement: { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false } });
    expect(options).toMatchObject({ x: 10, y: 20, width: 1000, height: 700 });
  });

  it('finds the CommonJS preload next to out/main', () => {
    expect(preloadPath('/app/out/main')).toBe('/app/out/preload/index.cjs');
  });

  it('loads the built renderer from disk in packaged runs', async () => {
    const window = (await createMainWindow(
      { rendererDir: '/app/out/renderer', devServerUrl: null },
      '/app/out/preload/index.cjs',
    )) as unknown as electron.BrowserWindow;
    expect(window.webContents.url).toBe('app://board/index.html');
    expect(window.options).toEqual(mainWindowOptions('/app/out/preload/index.cjs'));
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('loads the dev server when electron-vite provides one', async () => {
    const window = (await createMainWindow(
      { rendererDir: '/app/out/renderer', devServerUrl: 'http://localhost:5173/' },
      '/p.cjs',
    )) as unknown as electron.BrowserWindow;
    expect(window.webContents.url).toBe('http://localhost:5173/');
  });
});
