// A small stand-in for the `electron` module (no Electron binary on CI machines). Tests install it
// with `vi.mock('electron', () => import('./electron-mock.ts'))` and inspect what the code under
// test registered. ipcRenderer.invoke reaches the handlers ipcMain registered, and
// WebContents.send reaches ipcRenderer listeners, so main + preload can be exercised end to end.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { vi, type Mock } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** What a test can tune: the URL of the frame the mock renderer calls from, and so on. */
export const state = {
  rendererFrameUrl: 'app://board/index.html',
  rendererFrameIsMain: true,
};

export class MockSession {
  proxyAnswer = 'DIRECT';
  async resolveProxy(_url: string): Promise<string> {
    return this.proxyAnswer;
  }
  permissionRequestHandler: ((...args: unknown[]) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  headersListener: ((details: unknown, callback: (response: unknown) => void) => void) | null = null;
  setPermissionRequestHandler(handler: ((...args: unknown[]) => void) | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: ((...args: unknown[]) => boolean) | null): void {
    this.permissionCheckHandler = handler;
  }
  webRequest = {
    onHeadersReceived: (listener: (details: unknown, callback: (response: unknown) => void) => void): void => {
      this.headersListener = listener;
    },
  };
}

export class MockWebContents extends EventEmitter {
  devToolsOpened = false;
  url = '';
  destroyed = false;
  sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
    for (const listener of rendererListeners.get(channel) ?? []) listener({ sender: 'ipcRenderer' }, ...args);
  }
  /** Fires a navigation-like event the way Electron does; returns whether it was prevented. */
  emitPreventable(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows.filter((window) => !window.closed);
  }
  readonly options: Record<string, unknown>;
  readonly webContents = new MockWebContents();
  closed = false;
  shown = false;
  focused = false;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    BrowserWindow.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.url = url;
  }
  async loadFile(path: string): Promise<void> {
    this.webContents.url = pathToFileURL(path).href;
  }
  bounds = { x: 0, y: 0, width: 1440, height: 900 };
  maximized = false;
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.closed;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  close(): void {
    this.emit('close', { preventDefault: () => undefined });
    this.closed = true;
    this.emit('closed');
  }
}

const mainHandlers = new Map<string, Handler>();
const rendererListeners = new Map<string, RendererListener[]>();

export const ipcMain = {
  handlers: mainHandlers,
  handle(channel: string, handler: Handler): void {
    // Electron throws on a second handler for one channel; so does the mock.
    if (mainHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    mainHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    mainHandlers.delete(channel);
  },
};

/** The event Electron hands an invoke handler; only what our code reads. */
export function invokeEvent(url: string, isMainFrame = true): { senderFrame: { url: string; parent: unknown } } {
  return { senderFrame: { url, parent: isMainFrame ? null : { url } } };
}

export const ipcRenderer = {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = mainHandlers.get(channel);
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
    // structuredClone: IPC copies values, it never shares objects between processes.
    return structuredClone(await handler(invokeEvent(state.rendererFrameUrl, state.rendererFrameIsMain), ...structuredClone(args)));
  },
  on(channel: string, listener: RendererListener): void {
    rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), listener]);
  },
  removeListener(channel: string, listener: RendererListener): void {
    rendererListeners.set(
      channel,
      (rendererListeners.get(channel) ?? []).filter((l) => l !== listener),
    );
  },
  listenerCount(channel: string): number {
    return rendererListeners.get(channel)?.length ?? 0;
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};

class MockApp extends EventEmitter {
  isPackaged = true;
  badgeCount = 0;
  protocols: string[] = [];
  dock = { badge: '', setBadge: (label: string): void => void (app.dock.badge = label) };
  setBadgeCount(count: number): boolean {
    this.badgeCount = count;
    return true;
  }
  setAsDefaultProtocolClient(scheme: string): boolean {
    this.protocols.push(scheme);
    return true;
  }
  name = 'hero-desk';
  paths = new Map<string, string>([
    ['userData', '/tmp/hero-desk-mock'],
    ['appData', '/tmp/hero-desk-mock-appdata'],
  ]);
  enableSandbox: Mock<() => void> = vi.fn();
  requestSingleInstanceLock: Mock<() => boolean> = vi.fn(() => true);
  quit: Mock<() => void> = vi.fn();
  relaunch: Mock<() => void> = vi.fn();
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (path === undefined) throw new Error(`mock app has no path ${name}`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getName(): string {
    return this.name;
  }
  setName(name: string): void {
    this.name = name;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  /** Emits an event the way Electron does and reports whether a listener prevented it. */
  emitPreventable(name: string): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) });
    return prevented;
  }
}

export const app = new MockApp();
export const net = { fetch: vi.fn((url: string, init?: RequestInit) => fetch(url, init)) };
export const session = { defaultSession: new MockSession() };
export const shell: {
  openExternal: Mock<(url: string) => Promise<void>>;
  showItemInFolder: Mock<(path: string) => void>;
  openPath: Mock<(path: string) => Promise<string>>;
} = {
  openExternal: vi.fn(async (_url: string) => undefined),
  showItemInFolder: vi.fn(),
  openPath: vi.fn(async (_path: string) => ''),
};

/** Menus keep their template, so tests can read what the app put in them. */
export class Menu {
  static application: Menu | null = null;
  readonly template: unknown[];
  constructor(template: unknown[]) {
    this.template = template;
  }
  static buildFromTemplate(template: unknown[]): Menu {
    return new Menu(template);
  }
  static setApplicationMenu(menu: Menu | null): void {
    Menu.application = menu;
  }
}

export class Tray extends EventEmitter {
  static trays: Tray[] = [];
  tooltip = '';
  menu: Menu | null = null;
  destroyed = false;
  readonly image: unknown;
  constructor(image: unknown) {
    super();
    this.image = image;
    Tray.trays.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: Menu): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class Notification extends EventEmitter {
  static shown: Notification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return Notification.supported;
  }
  readonly options: { title: string; body: string };
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export const protocol = {
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    if (protocol.handlers.has(scheme)) throw new Error(`The scheme has been handled: ${scheme}`);
    protocol.handlers.set(scheme, handler);
  },
};

export const nativeImage = { createFromPath: (path: string) => ({ path }) };

export const screen = {
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getAllDisplays(): { workArea: { x: number; y: number; width: number; height: number } }[] {
    return screen.displays;
  },
};

export const crashReporter = {
  started: [] as Record<string, unknown>[],
  start(options: Record<string, unknown>): void {
    crashReporter.started.push(options);
  },
};
export const dialog: { showErrorBox: Mock<(title: string, content: string) => void> } = { showErrorBox: vi.fn() };

/** Reversible stand-in for OS encryption: a marker prefix plus XOR, so ciphertext is never the plaintext. */
const MARK = Buffer.from('mock-enc:');
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return safeStorage.available;
  },
  getSelectedStorageBackend(): string {
    return safeStorage.backend;
  },
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!safeStorage.available) throw new Error('Encryption is not available.');
    return Buffer.concat([MARK, Buffer.from(plainText, 'utf8').map((byte) => byte ^ 0x5a)]);
  },
  async decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (!safeStorage.available) throw new Error('Encryption is not available.');
    if (!encrypted.subarray(0, MARK.length).equals(MARK)) throw new Error('Error while decrypting the ciphertext');
    return { result: Buffer.from(encrypted.subarray(MARK.length).map((byte) => byte ^ 0x5a)).toString('utf8'), shouldReEncrypt: false };
  },
};

export function resetElectronMock(): void {
  state.rendererFrameUrl = 'app://board/index.html';
  state.rendererFrameIsMain = true;
  mainHandlers.clear();
  rendererListeners.clear();
  contextBridge.exposed.clear();
  BrowserWindow.windows = [];
  app.removeAllListeners();
  app.isPackaged = true;
  app.name = 'hero-desk';
  app.badgeCount = 0;
  app.protocols = [];
  app.dock.badge = '';
  Menu.application = null;
  Tray.trays = [];
  Notification.shown = [];
  Notification.supported = true;
  screen.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  crashReporter.started = [];
  protocol.privileged = [];
  protocol.handlers.clear();
  shell.showItemInFolder.mockClear();
  shell.openPath.mockClear();
  app.paths = new Map([
    ['userData', '/tmp/hero-desk-mock'],
    ['appData', '/tmp/hero-desk-mock-appdata'],
  ]);
  app.enableSandbox.mockClear();
  app.requestSingleInstanceLock.mockReset().mockReturnValue(true);
  app.quit.mockClear();
  session.defaultSession = new MockSession();
  shell.openExternal.mockClear();
  dialog.showErrorBox.mockClear();
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
}
