// Picks the transport: the Electron preload's `window.heroDesk` when present, else the local web
// bridge, authorised by the token handed over in the URL fragment (#token=…). The token is moved to
// sessionStorage and wiped from the address bar so it does not linger in history or screenshots.
import type { PreloadBridge } from '../../../shared/contract.ts';
import { createIpcTransport } from './ipc.ts';
import type { Transport } from './types.ts';
import { createWebTransport } from './web.ts';

declare global {
  interface Window {
    heroDesk?: PreloadBridge;
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

export type { ConnectionState, Snapshot, Transport } from './types.ts';
