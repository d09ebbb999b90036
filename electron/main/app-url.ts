// What counts as "the app's own page": the electron-vite dev server (unpackaged runs only) or a
// file inside out/renderer. IPC sender checks, navigation limits and the CSP all ask this one guard,
// so a page that is not ours never gets the bridge, never replaces the board and never gets our CSP.
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppLocation {
  /** Absolute path of the built renderer folder (out/renderer). */
  rendererDir: string;
  /** electron-vite's dev server URL; null in packaged builds. */
  devServerUrl: string | null;
}

export type AppUrlGuard = (url: string) => boolean;

/** Parses with URL and compares origins / contained paths; never substring matching (foolable). */
export function createAppUrlGuard(location: AppLocation): AppUrlGuard {
  const devOrigin = location.devServerUrl === null ? null : new URL(location.devServerUrl).origin;
  const root = resolve(location.rendererDir);
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (devOrigin !== null && (url.protocol === 'http:' || url.protocol === 'https:')) {
      return url.origin === devOrigin && url.username === '' && url.password === '';
    }
    if (url.protocol !== 'file:' || url.host !== '') return false;
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch {
      return false;
    }
    const inside = relative(root, path);
    return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
  };
}

/** Only web links leave the app, and only to the system browser. */
export function isExternalWebUrl(raw: string): boolean {
  try {
    const { protocol } = new URL(raw);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The dev server URL is honoured only for unpackaged runs: a packaged app must never be pointed at
 * another origin (and hand it the bridge) by an environment variable.
 */
export function resolveAppLocation(mainDir: string, isPackaged: boolean, env: NodeJS.ProcessEnv): AppLocation {
  const devServerUrl = !isPackaged && env['ELECTRON_RENDERER_URL'] ? env['ELECTRON_RENDERER_URL'] : null;
  return { rendererDir: resolve(mainDir, '../renderer'), devServerUrl };
}
