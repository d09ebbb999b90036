// Every Content-Security-Policy Hero Desk sends, built in one place: the board as the desktop app
// serves it (app://, with Vite's dev extras), as the headless bridge serves it, as its <meta> tag
// (renderer/index.html, filled in at build time), and the relay's demo reader page.

type Directives = Record<string, readonly string[]>;

const render = (directives: Directives): string =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');

const SELF = "'self'";
const NONE = "'none'";
/** The local media server runs on loopback; published images may come from any https storage. */
const IMAGES = [SELF, 'data:', 'http://127.0.0.1:*', 'http://localhost:*', 'https:'];
/** The web board's event socket (the bridge on loopback); Vite's HMR socket in dev. */
const LOOPBACK_SOCKETS = ['ws://127.0.0.1:*', 'ws://localhost:*'];

function board(options: { connect: readonly string[]; inline: boolean; framing: boolean }): Directives {
  const scripts = options.inline ? [SELF, "'unsafe-inline'"] : [SELF];
  return {
    'default-src': [SELF],
    'img-src': IMAGES,
    'connect-src': options.connect,
    'script-src': scripts,
    'style-src': scripts,
    'object-src': [NONE],
    'base-uri': [NONE],
    'form-action': [NONE],
    // a <meta> policy cannot carry frame-ancestors (browsers ignore it there)
    ...(options.framing ? { 'frame-ancestors': [NONE] } : {}),
  };
}

/**
 * The desktop window's policy (electron/main). Packaged and solo: no sockets at all (commands go over
 * IPC); connected to a newsroom desk: that one origin (`deskSources`: its https and wss), nothing else.
 * Dev adds Vite's inline refresh preamble and HMR socket, never in packaged builds.
 */
export function desktopBoardCsp(dev: boolean, deskSources: readonly string[] = []): string {
  return render(board({ connect: [SELF, ...deskSources, ...(dev ? LOOPBACK_SOCKETS : [])], inline: dev, framing: true }));
}

/** The board served by the headless bridge (electron/bridge): its event socket on loopback. */
export const WEB_BOARD_CSP = render(board({ connect: [SELF, ...LOOPBACK_SOCKETS], inline: false, framing: true }));

/**
 * The <meta> tag in renderer/index.html (written in by the build). Both it and the header apply, so
 * it only makes room: https:/wss: for a newsroom desk, which the desktop app's header narrows to the
 * one desk it is connected to (and the bridge's to its own loopback socket).
 */
export const BOARD_META_CSP = render(board({ connect: [SELF, ...LOOPBACK_SOCKETS, 'https:', 'wss:'], inline: false, framing: false }));

/** The relay's demo reader page: its own scripts only; images and the relay's WebSocket from anywhere. */
export const READER_PAGE_CSP = render({
  'default-src': [NONE],
  'script-src': [SELF],
  'style-src': ["'unsafe-inline'"],
  'img-src': ['http:', 'https:', 'data:'],
  'connect-src': [SELF, 'ws:', 'wss:'],
  'base-uri': [NONE],
  'form-action': [NONE],
});

/** Where renderer/index.html asks for its policy; the build replaces it with BOARD_META_CSP. */
export const BOARD_META_CSP_PLACEHOLDER = '%HERO_DESK_BOARD_CSP%';

/** renderer/index.html with its policy written in (the renderer build's transformIndexHtml). */
export function withBoardMetaCsp(html: string): string {
  if (!html.includes(BOARD_META_CSP_PLACEHOLDER))
    throw new Error(`renderer/index.html has no ${BOARD_META_CSP_PLACEHOLDER} for its Content-Security-Policy`);
  return html.replaceAll(BOARD_META_CSP_PLACEHOLDER, BOARD_META_CSP);
}
