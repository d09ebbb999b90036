// Electron security checklist items applied in one place: deny-by-default permissions, no new
// windows, no navigation away from the board, no <webview>, external links only to the system
// browser and only for http(s), and a CSP header on the app's own pages.
import type { Session, WebContents } from 'electron';
import type { Logger } from 'pino';
import { isExternalWebUrl, type AppUrlGuard } from './app-url.ts';

export interface HardeningDeps {
  isAppUrl: AppUrlGuard;
  openExternal: (url: string) => Promise<void>;
  logger: Logger;
}

/** The board needs no camera, notifications, clipboard reads or anything else: every request is refused. */
export function denyAllPermissions(session: Session, logger: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.debug({ permission }, 'permission request denied');
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

function openOutside(url: string, deps: HardeningDeps): void {
  if (!isExternalWebUrl(url)) {
    deps.logger.warn({ scheme: safeScheme(url) }, 'blocked a link with a non-web scheme');
    return;
  }
  deps.openExternal(url).catch((error: unknown) => deps.logger.warn({ err: error }, 'could not open link externally'));
}

/** Scheme only: full URLs may carry tokens in their query string. */
function safeScheme(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'unparseable';
  }
}

/** Applied to every WebContents the app creates (via `web-contents-created`). */
export function hardenWebContents(contents: WebContents, deps: HardeningDeps): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url, deps);
    return { action: 'deny' };
  });
  const stayOnBoard = (event: { preventDefault(): void }, url: string): void => {
    if (deps.isAppUrl(url)) return;
    event.preventDefault();
    openOutside(url, deps);
  };
  contents.on('will-navigate', stayOnBoard);
  contents.on('will-redirect', stayOnBoard);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.logger.warn('blocked a <webview>');
  });
}

/**
 * Same sources as the served board's policy (electron/bridge/guards.ts): images may come from the
 * local media server on loopback or from public https storage; `deskSources` is the connected
 * desk's origin (desk-connection.ts: deskConnectSources), empty when this computer runs the core. Dev adds Vite's inline refresh
 * preamble and HMR socket, never in packaged builds.
 */
export function contentSecurityPolicy(dev: boolean, deskSources: readonly string[] = []): string {
  // a board connected to a newsroom desk may reach that one origin (https + wss), nothing else
  const desk = deskSources.map((source) => ` ${source}`).join('');
  return [
    "default-src 'self'",
    "img-src 'self' data: http://127.0.0.1:* http://localhost:* https:",
    dev ? `connect-src 'self'${desk} ws://localhost:* ws://127.0.0.1:*` : `connect-src 'self'${desk}`,
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Adds the CSP header to responses for the app's own pages; other responses pass untouched. */
export function installContentSecurityPolicy(session: Session, isAppUrl: AppUrlGuard, dev: boolean, deskSources: readonly string[] = []): void {
  const policy = contentSecurityPolicy(dev, deskSources);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) {
      callback({});
      return;
    }
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
}
