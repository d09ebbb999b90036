// What counts as "the app's own page": the electron-vite dev server (unpackaged runs only) or the
// board on app://board/ (app-protocol.ts, which serves only out/renderer). IPC sender checks,
// navigation limits and the CSP all ask this one guard, so a page that is not ours never gets the
// bridge, never replaces the board and never gets our CSP. file:// is never ours.
import { resolve } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-protocol.ts';

export interface AppLocation {
  /** Absolute path of the built renderer folder (out/renderer), served as app://board/. */
  rendererDir: string;
  /** electron-vite's dev server URL; null in packaged builds. */
  devServerUrl: string | null;
}

export type AppUrlGuard = (url: string) => boolean;

/** Parses with URL and compares origins / contained paths; never substring matching (foolable). */
export function createAppUrlGuard(location: AppLocation): AppUrlGuard {
  const devOrigin = location.devServerUrl === null ? null : new URL(location.devServerUrl).origin;
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
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '' && url.port === '';
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
