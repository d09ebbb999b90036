// Picks the transport: the Electron preload's `window.heroDesk` when present, else the local web
// bridge, authorised by the token handed over in the URL fragment (#token=…). The token is moved to
// sessionStorage and wiped from the address bar so it does not linger in history or screenshots.
import type { PreloadBridge } from '../../../shared/contract.ts';
import type { DeskCheck, DesktopSetupBridge } from '../../../shared/desktop.ts';
import { createIpcTransport } from './ipc.ts';
import type { Transport } from './types.ts';
import { createWebTransport } from './web.ts';

declare global {
  interface Window {
    heroDesk?: PreloadBridge;
    /** The desktop app's setup verbs (shared/desktop.ts); absent in a browser. */
    heroDeskSetup?: DesktopSetupBridge;
  }
}

const TOKEN_KEY = 'hero-desk.token';

export function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** null when opened in a browser without a token: the board then explains how to get one. */
export function pickTransport(): Transport | null {
  if (window.heroDesk) return createIpcTransport(window.heroDesk);
  const token = takeToken();
  if (!token) return null;
  return createWebTransport({ baseUrl: window.location.origin, token });
}

/** This computer's board: the preload's IPC when present, else the local web bridge. */
function localTransport(): Transport | null {
  return pickTransport();
}

export type Start =
  | { kind: 'board'; transport: Transport; deskUrl: string | null }
  | { kind: 'first-run'; transport: Transport }
  | { kind: 'desk-problem'; deskUrl: string; check: Extract<DeskCheck, { status: 'refused' }> }
  | { kind: 'no-access' };

/**
 * In the desktop app, asks main how it is connected: first run (the demo runs meanwhile), this
 * computer's core (IPC), or a newsroom desk — then the web transport to it, over HTTPS/WSS, with
 * the personal token main keeps (held here in memory only). A desk that refused at start is not
 * connected to at all, so the board never sits on "Reconnecting…" for a reason retrying cannot fix.
 */
export async function pickStart(setup: DesktopSetupBridge | undefined = window.heroDeskSetup): Promise<Start> {
  if (setup) {
    const connection = await setup.connection();
    if (connection.mode === 'desk') {
      if (connection.check.status === 'refused') return { kind: 'desk-problem', deskUrl: connection.deskUrl, check: connection.check };
      return {
        kind: 'board',
        transport: createWebTransport({ baseUrl: connection.deskUrl, token: connection.token }),
        deskUrl: connection.deskUrl,
      };
    }
    const transport = localTransport();
    if (!transport) return { kind: 'no-access' };
    return connection.mode === 'first-run' ? { kind: 'first-run', transport } : { kind: 'board', transport, deskUrl: null };
  }
  const transport = localTransport();
  return transport ? { kind: 'board', transport, deskUrl: null } : { kind: 'no-access' };
}

export type { ConnectionState, Snapshot, Transport } from './types.ts';
