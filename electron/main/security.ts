// Electron security checklist items applied in one place: deny-by-default permissions, no new
// windows, no navigation away from the board, no <webview>, external links only to the system
// browser and only for http(s), and a CSP header on the app's own pages.
import type { Session, WebContents } from 'electron';
import type { Logger } from 'pino';
import { isExternalWebUrl, type AppUrlGuard } from './app-url.ts';
import { desktopBoardCsp } from '../../shared/csp.ts';

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
 * The window's policy, from the one place every policy is built (shared/csp.ts). `deskSources` is
 * the connected newsroom desk's origin (desk-connection.ts: deskConnectSources), empty when this
 * computer runs the core.
 */
export function contentSecurityPolicy(dev: boolean, deskSources: readonly string[] = []): string {
  return desktopBoardCsp(dev, deskSources);
}

/** Adds the CSP header to responses for the app's own pages; other responses pass untouched. */
export function installContentSecurityPolicy(
  session: Session,
  isAppUrl: AppUrlGuard,
  dev: boolean,
  deskSources: readonly string[] = [],
): void {
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
