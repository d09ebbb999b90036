// A stand-in for the `electron` module that plain Node can load, for running the *built* bundles
// (out/main, out/preload) where no Electron binary exists. It behaves like Electron where the app
// depends on it: windows load their page through the registered app:// handler, the preload runs
// in a sandbox-like context that can require only `electron`, ipcRenderer.invoke reaches
// ipcMain.handle with the calling frame, webContents.send reaches the page's listeners, and
// app.quit() goes through a preventable before-quit, and utilityProcess.fork starts a real child
// process. `standIn` lets the driver look inside.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { forkUtility, type StandInForkOptions, type StandInUtilityProcess } from './utility-process.ts';

type PreloadWrapper = (require: (id: string) => unknown, module: { exports: unknown }, exports: unknown) => void;

type Handler = (event: unknown, ...args: unknown[]) => unknown;
type ProtocolHandler = (request: Request) => Promise<Response>;

const mainHandlers = new Map<string, Handler>();
const protocolHandlers = new Map<string, ProtocolHandler>();

export const standIn = {
  quitCalls: 0,
  relaunches: 0,
  quitted: false,
  dialogs: [] as { title: string; content: string }[],
  notifications: [] as Notification[],
  privilegedSchemes: [] as string[],
  applicationMenu: null as Menu | null,
  /** What each window's page received from protocol handlers, by URL. */
  pageLoads: [] as { url: string; status: number; contentType: string | null; csp: string | null; body: string }[],
  events: new EventEmitter(),
  /** Every utility process the app forked, with its entry script. */
  utilityProcesses: [] as { modulePath: string; process: StandInUtilityProcess }[],
};

class WebContents extends EventEmitter {
  url = '';
  destroyed = false;
  readonly rendererListeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
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
    const copied = structuredClone(args);
    for (const listener of this.rendererListeners.get(channel) ?? []) listener({ sender: 'ipcRenderer' }, ...copied);
  }
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows.filter((window) => !window.closed);
  }
  readonly webContents = new WebContents();
  readonly options: Record<string, unknown>;
  /** What the preload exposed with contextBridge: the page's `window.*`. */
  readonly exposed = new Map<string, unknown>();
  closed = false;
  shown = false;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    BrowserWindow.windows.push(this);
    app.emit('browser-window-created', {}, this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = protocolHandlers.get(scheme);
    if (handler === undefined) throw new Error(`stand-in: no protocol handler for ${scheme}:`);
    const response = await handler(new Request(url));
    const body = await response.text();
    standIn.pageLoads.push({
      url,
      status: response.status,
      contentType: response.headers.get('content-type'),
      csp: response.headers.get('content-security-policy'),
      body,
    });
    if (response.status !== 200) throw new Error(`stand-in: ${url} answered ${response.status}`);
    this.webContents.url = url;
    this.runPreload();
    this.emit('ready-to-show');
    this.webContents.emit('did-finish-load');
  }
  /** As a sandboxed preload: CommonJS, `require` knows only `electron`. */
  private runPreload(): void {
    const preload = (this.options['webPreferences'] as { preload?: string } | undefined)?.preload;
    if (!preload) return;
    const code = readFileSync(preload, 'utf8');
    const module = { exports: {} as unknown };
    const rendererElectron = rendererSide(this);
    const required: string[] = [];
    const sandboxRequire = (id: string): unknown => {
      required.push(id);
      if (id === 'electron') return rendererElectron;
      throw new Error(`stand-in: a sandboxed preload cannot require "${id}"`);
    };
    // the script evaluates to the CommonJS wrapper it spells out; the vm cannot know its type
    const wrapper = runInNewContext(`(function (require, module, exports) {\n${code}\n})`, { console }) as PreloadWrapper;
    wrapper(sandboxRequire, module, module.exports);
    standIn.events.emit('preload', { required });
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.closed;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 10, y: 10, width: Number(this.options['width'] ?? 1440), height: Number(this.options['height'] ?? 900) };
  }
  isMaximized(): boolean {
    return false;
  }
  maximize(): void {}
  close(): void {
    this.emit('close', { preventDefault: () => undefined });
    this.closed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

function rendererSide(window: BrowserWindow) {
  const contents = window.webContents;
  return {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown): void {
        window.exposed.set(key, api);
      },
    },
    ipcRenderer: {
      async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
        const handler = mainHandlers.get(channel);
        if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
        const event = { sender: contents, senderFrame: { url: contents.url, parent: null } };
        return structuredClone(await handler(event, ...structuredClone(args)));
      },
      on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
        contents.rendererListeners.set(channel, [...(contents.rendererListeners.get(channel) ?? []), listener]);
      },
      removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
        contents.rendererListeners.set(
          channel,
          (contents.rendererListeners.get(channel) ?? []).filter((l) => l !== listener),
        );
      },
    },
  };
}

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (mainHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    mainHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    mainHandlers.delete(channel);
  },
};

class App extends EventEmitter {
  isPackaged = true;
  private name = 'hero-desk';
  private readonly paths = new Map<string, string>([['appData', process.env['STAND_IN_APP_DATA'] ?? '/tmp/stand-in-app-data']]);
  readonly dock = { setBadge: (label: string): void => void standIn.events.emit('badge', label) };
  getName(): string {
    return this.name;
  }
  setName(name: string): void {
    this.name = name;
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (path === undefined) throw new Error(`stand-in: no path ${name}`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  enableSandbox(): void {}
  requestSingleInstanceLock(): boolean {
    return true;
  }
  setAsDefaultProtocolClient(): boolean {
    return true;
  }
  setBadgeCount(count: number): boolean {
    standIn.events.emit('badge', String(count));
    return true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  relaunch(): void {
    standIn.relaunches++;
  }
  quit(): void {
    standIn.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('will-quit', { preventDefault: () => undefined });
    standIn.quitted = true;
    this.emit('quit');
    standIn.events.emit('quitted');
  }
}

export const app = new App();

class Session {
  setPermissionRequestHandler(): void {}
  setPermissionCheckHandler(): void {}
  webRequest = { onHeadersReceived: (): void => undefined };
  async resolveProxy(): Promise<string> {
    return 'DIRECT';
  }
}
export const session = { defaultSession: new Session() };

export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string }[]): void {
    standIn.privilegedSchemes.push(...schemes.map((entry) => entry.scheme));
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    protocolHandlers.set(scheme, handler);
  },
};

/** OS encryption stand-in: reversible, never the plaintext. */
export const safeStorage = {
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return true;
  },
  getSelectedStorageBackend(): string {
    return 'gnome_libsecret';
  },
  async encryptStringAsync(text: string): Promise<Buffer> {
    return Buffer.from(`stand-in:${Buffer.from(text).toString('base64')}`);
  },
  async decryptStringAsync(data: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    return { result: Buffer.from(data.toString().replace(/^stand-in:/, ''), 'base64').toString(), shouldReEncrypt: false };
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    standIn.dialogs.push({ title, content });
  },
};

export const shell = {
  async openExternal(): Promise<void> {},
  showItemInFolder(): void {},
  async openPath(): Promise<string> {
    return '';
  },
};

export class Menu {
  readonly template: unknown[];
  constructor(template: unknown[]) {
    this.template = template;
  }
  static buildFromTemplate(template: unknown[]): Menu {
    return new Menu(template);
  }
  static setApplicationMenu(menu: Menu | null): void {
    standIn.applicationMenu = menu;
  }
}

export class Tray extends EventEmitter {
  setToolTip(): void {}
  setContextMenu(): void {}
  destroy(): void {}
}

export class Notification extends EventEmitter {
  readonly options: { title: string; body: string };
  static isSupported(): boolean {
    return true;
  }
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
  }
  show(): void {
    standIn.notifications.push(this);
  }
}

/** utilityProcess.fork runs a real Node child (utility-process.ts), with process.parentPort inside. */
export const utilityProcess = {
  fork(modulePath: string, args?: string[], options?: StandInForkOptions): StandInUtilityProcess {
    const child = forkUtility(modulePath, args, options);
    standIn.utilityProcesses.push({ modulePath, process: child });
    return child;
  },
};

export const nativeImage = { createFromPath: (path: string) => ({ path }) };
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const crashReporter = { start: (): void => undefined };
/** Chromium's network stack in Electron; Node's fetch here (the desk check in connect mode). */
export const net = { fetch: (url: string, init?: RequestInit): Promise<Response> => fetch(url, init) };

export default {
  app,
  BrowserWindow,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  net,
  nativeImage,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  utilityProcess,
};
