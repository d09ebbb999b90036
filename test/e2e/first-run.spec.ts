// The desktop app's first run in Chromium (issues 13 and 14): the built board, with main's real
// setup handlers (electron/main/first-run.ts: the choice in a data folder, the token in its own
// encrypted file, the desk check) standing in behind `window.heroDeskSetup`, and the Electron CSP
// (security.ts) on the page. The local side is a demo core over the web bridge (as IPC would carry
// it); the desk is a real TLS desk (`hero-desk start --listen` with a certificate made here) with
// accounts. A "restart" is what main does: new handlers over the same folder, the page loaded again.
// Chromium trusts the test certificate only through ignoreHTTPSErrors; main's check (Node) only
// when the test says so, which is how an untrusted certificate is shown.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import pino from 'pino';
import { Agent, fetch as undiciFetch } from 'undici';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { resolveListenConfig } from '../../electron/bridge/listen-config.ts';
import { addAccount, revokeAccount } from '../../electron/core/accounts/accounts.ts';
import { deskConnectSources, DESK_SECRETS_FILE, desktopModePath, type DeskFetch } from '../../electron/main/desk-connection.ts';
import { createSetupHandlers, desktopStartMode } from '../../electron/main/first-run.ts';
import { createSafeStorageSecrets } from '../../electron/main/secrets.ts';
import { contentSecurityPolicy } from '../../electron/main/security.ts';
import { DESKTOP_APP_ORIGIN, type DesktopSetupBridge } from '../../shared/desktop.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { makeSelfSigned } from '../helpers/self-signed.ts';
import { startFakeFusionServer } from '../aitable/fake-fusion-server.ts';
import { createDemoCore, type DemoCore } from './support/demo-core.ts';

// The page is fulfilled by the test (to carry the app's CSP), so Chromium counts it as a public
// page and its Local Network Access checks would block the loopback bridge and desk; the desktop
// app's own page is app://board, not subject to this stand-in's quirk.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
test.use({
  launchOptions: {
    ...(existsSync(chromiumPath) ? { executablePath: chromiumPath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-features=LocalNetworkAccessChecks',
    ],
  },
});

const root = resolve(import.meta.dirname, '../..');
const rendererDir = process.env.HERO_DESK_RENDERER_DIR ?? join(root, 'out/renderer');
const shotsDir = join(root, 'test-results/screenshots');
const logger = pino({ level: 'silent' });

let dir: string;
let local: DemoCore;
let localBridge: HttpBridge;
let deskCore: BoardCore;
let desk: HttpBridge;
let cert: Buffer;
let dataDir: string;
/** Whether this "computer" trusts the desk's certificate (main's check). */
let trustDesk = true;
let setup: DesktopSetupBridge;
let restarts = 0;
let opened: string[] = [];

/** A stand-in for the OS keychain: reversible, but never the plain text on disk. */
const keychain = {
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptStringAsync: async (text: string) => Buffer.from(Buffer.from(text, 'utf8').map((byte) => byte ^ 0x5a)),
  decryptStringAsync: async (data: Buffer) => ({
    result: Buffer.from(data.map((byte) => byte ^ 0x5a)).toString('utf8'),
    shouldReEncrypt: false,
  }),
};

const fetchDesk: DeskFetch = (url, init) =>
  (trustDesk
    ? undiciFetch(url, { ...init, dispatcher: new Agent({ connect: { ca: cert } }) })
    : fetch(url, init)) as unknown as Promise<Response>;

/** What main does at start: read the choice, open the desk token's store, answer the setup channels. */
async function startMain(): Promise<void> {
  const configPath = join(dataDir, 'hero-desk.config.json');
  const deskSecrets = await createSafeStorageSecrets(
    { filePath: join(dataDir, DESK_SECRETS_FILE) },
    { safeStorage: keychain, platform: 'darwin' },
  );
  setup = createSetupHandlers({
    dataDir,
    configPath,
    mode: desktopStartMode(dataDir, configPath),
    deskSecrets,
    fetchDesk,
    restart: () => void (restarts += 1),
    openPath: async (path) => {
      opened.push(path);
      return '';
    },
    exampleConfigPath: join(root, 'docs/hero-desk.config.example.json'),
    logger,
  });
}

test.beforeAll(() => {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('renderer not built: run npm run build first');
});

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hd-first-run-'));
  dataDir = join(dir, 'user-data');
  mkdirSync(dataDir);
  trustDesk = true;
  restarts = 0;
  opened = [];
  const made = makeSelfSigned(dir);
  cert = made.cert;
  local = await createDemoCore({ secretNames: [] }); // the embedded demo needs no keys
  localBridge = await startHttpBridge({ core: local, rendererDir, logger });
  deskCore = createBoardCore(join(dir, 'desk'));
  deskCore.addStory({ id: 'rec-1', status: 'generated', headline: 'Harbour bridge reopens' });
  // the desk answers the desktop app's origin; here the stand-in page's origin plays that part
  desk = await startHttpBridge({
    core: deskCore.core,
    rendererDir,
    logger,
    listen: resolveListenConfig({ listen: '127.0.0.1:0', tlsCert: made.certPath, tlsKey: made.keyPath }),
    appOrigins: [DESKTOP_APP_ORIGIN, localBridge.origin],
  });
  await startMain();
});

test.afterEach(async () => {
  await localBridge.stop();
  await local.close();
  await desk.stop();
  deskCore.close();
  rmSync(dir, { recursive: true, force: true });
});

const deskUrl = () => `https://localhost:${desk.port}`;

/** The desktop window: the setup bridge as the preload exposes it, and the app's CSP (desk origin only in desk mode). */
async function openApp(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.exposeFunction('__heroDeskSetupCall', (verb: keyof DesktopSetupBridge, input: unknown) =>
    (setup[verb] as (input: unknown) => Promise<unknown>)(input),
  );
  await page.addInitScript(() => {
    const page = globalThis as unknown as { __heroDeskSetupCall(v: string, i: unknown): Promise<unknown>; heroDeskSetup: unknown };
    const call = (verb: string) => (input?: unknown) => page.__heroDeskSetupCall(verb, input);
    page.heroDeskSetup = Object.fromEntries(
      ['connection', 'chooseSolo', 'connectDesk', 'checkDesk', 'switchToSolo', 'restart', 'openConfigExample'].map((verb) => [
        verb,
        call(verb),
      ]),
    );
  });
  await page.route(`${localBridge.origin}/`, async (route) => {
    const response = await route.fetch();
    const mode = desktopStartMode(dataDir, join(dataDir, 'hero-desk.config.json'));
    // the app's policy; the local bridge's socket stands in for IPC, which needs no connect-src in Electron
    const deskSources = deskConnectSources(mode.kind === 'desk' ? mode.deskUrl : null);
    const headers = {
      ...response.headers(),
      'content-security-policy': contentSecurityPolicy(false, [...deskSources, localBridge.origin.replace('http:', 'ws:')]),
    };
    await route.fulfill({ response, headers });
  });
  await page.goto(localBridge.url);
  return page;
}

/** Main's relaunch: the choice read again from the folder, the window loaded again. */
async function restart(page: Page): Promise<void> {
  await startMain();
  await page.goto('about:blank');
  await page.goto(localBridge.url);
}

test('first run: three choices; the demo is one click and the choice survives a restart', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await openApp(context);
  await expect(page.getByTestId('first-run')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Try the demo first' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Run the pipeline on this computer' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Connect to the newsroom desk' })).toBeVisible();
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, 'first-run-1440x900.png') });

  await page.getByTestId('choose-demo').click();
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  expect(JSON.parse(readFileSync(desktopModePath(dataDir), 'utf8'))).toEqual({ mode: 'solo' });

  await restart(page);
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  await expect(page.getByTestId('first-run')).toHaveCount(0);
  // Settings → Connection says where the board is connected and offers the desk
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('connection-settings')).toHaveAttribute('data-mode', 'solo');
  await expect(page.getByTestId('connect-a-desk')).toBeVisible();
  // the Keys panel points at what the app ships (issue 14: it cited a file installs do not have)
  await page.getByTestId('settings-close').click();
  await page.getByTestId('keys').click();
  await expect(page.getByTestId('keys-empty')).toContainText('Settings → Connection');
  await expect(page.getByTestId('keys-empty')).not.toContainText('docs/');
  await page.getByTestId('open-example-config').click();
  await expect.poll(() => opened).toEqual([join(root, 'docs/hero-desk.config.example.json')]);
  await context.close();
});

test('connect to the newsroom desk: an untrusted certificate and a bad token are refused with their next step; a personal token connects the board to the TLS desk', async ({
  browser,
}) => {
  const { token } = await addAccount(deskCore.store, 'Maria', 'editor');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
  const page = await openApp(context);
  await page.getByTestId('choose-desk').click();
  await page.getByTestId('desk-url').fill(deskUrl());

  // this computer does not trust the desk's certificate
  trustDesk = false;
  await page.getByTestId('desk-token').fill(token);
  await page.getByTestId('desk-connect').click();
  await expect(page.getByTestId('desk-error')).toHaveAttribute('data-reason', 'tls');
  await expect(page.getByTestId('desk-error')).toContainText('certificate is not trusted by this computer');

  // trusted now, but a wrong token
  trustDesk = true;
  await page.getByTestId('desk-token').fill(`${token.slice(0, -4)}AAAA`);
  await page.getByTestId('desk-connect').click();
  await expect(page.getByTestId('desk-error')).toHaveAttribute('data-reason', 'token');
  await expect(page.getByTestId('desk-error')).toContainText('The desk refused this token');
  await page.screenshot({ path: join(shotsDir, 'first-run-desk-refused-1440x900.png') });
  expect(existsSync(desktopModePath(dataDir))).toBe(false);

  // the personal token: accepted, stored, and the app restarts onto the desk
  await page.getByTestId('desk-token').fill(token);
  await page.getByTestId('desk-connect').click();
  await expect(page.getByTestId('desk-ok')).toContainText('Connected as Maria (editor)');
  await expect.poll(() => restarts).toBe(1);
  expect(readFileSync(join(dataDir, DESK_SECRETS_FILE), 'utf8')).not.toContain(token);
  await restart(page);

  // the board is the desk's, live over HTTPS/WSS, signed in as Maria; her approval lands on the desk
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('card-rec-1')).toBeVisible();
  await expect(page.getByTestId('online-name')).toHaveText(['Maria (you)']);
  // the desk's token is in no renderer storage (main hands it over per session, in memory)
  const stored = await page.evaluate(() => JSON.stringify([{ ...sessionStorage }, { ...localStorage }]));
  expect(stored).not.toContain(token.split('.')[2]);
  await page.getByTestId('card-rec-1').click();
  await page.getByTestId('approve').click();
  await expect
    .poll(() => deskCore.store.db.get<{ status: string }>("SELECT status FROM articles WHERE id = 'rec-1'")?.status)
    .toBe('approved');
  await expect(page.getByTestId('card-rec-1')).toHaveAttribute('data-status', 'approved');
  await context.close();
});

test('a desk that refuses at start shows why and what to do, never a board stuck reconnecting; switching to solo works', async ({
  browser,
}) => {
  const { token } = await addAccount(deskCore.store, 'Kim', 'editor');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
  const page = await openApp(context);
  await page.getByTestId('choose-desk').click();
  await page.getByTestId('desk-url').fill(deskUrl());
  await page.getByTestId('desk-token').fill(token);
  await page.getByTestId('desk-connect').click();
  await expect(page.getByTestId('desk-ok')).toBeVisible();
  await restart(page);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');

  // the desk goes away while the board is open: the board says so instead of "Reconnecting…" alone
  const port = desk.port;
  await desk.stop();
  await expect(page.getByTestId('desk-problem')).toHaveAttribute('data-reason', 'unreachable');
  await expect(page.getByTestId('desk-problem-message')).toContainText(`Nothing answered at https://localhost:${port}`);

  // the admin revokes Kim's account; at the next start the app says so
  revokeAccount(deskCore.store, 'Kim');
  desk = await startHttpBridge({
    core: deskCore.core,
    rendererDir,
    logger,
    listen: resolveListenConfig({ listen: `127.0.0.1:${port}`, tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') }),
    appOrigins: [DESKTOP_APP_ORIGIN, localBridge.origin],
  });
  await restart(page);
  await expect(page.getByTestId('desk-problem')).toHaveAttribute('data-reason', 'token');
  await expect(page.getByTestId('desk-problem-message')).toContainText('ask your desk admin for a new personal token');
  await expect(page.getByTestId('board')).toHaveCount(0);
  await page.screenshot({ path: join(shotsDir, 'desk-problem-1440x900.png') });

  await page.getByTestId('switch-to-solo').click();
  await expect.poll(() => restarts).toBe(2);
  expect(JSON.parse(readFileSync(desktopModePath(dataDir), 'utf8'))).toEqual({ mode: 'solo' });
  await restart(page);
  await expect(page.locator('.app[data-loaded="true"]')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await context.close();
});

test('run the pipeline on this computer: the datasheet link and token become a checked config, with the live field check', async ({
  browser,
}) => {
  const fusion = await startFakeFusionServer();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await openApp(context);
    await page.getByTestId('choose-solo').click();
    // a mistake first: nothing written, the reason beside it
    await page.getByTestId('setup-datasheet').fill('our newsroom sheet');
    await page.getByTestId('setup-save').click();
    await expect(page.getByTestId('setup-issues')).toContainText('dst…');
    expect(existsSync(local.configPath)).toBe(false);

    await page
      .getByTestId('setup-datasheet')
      .fill(`${fusion.baseUrl.replace('/fusion/v1', '')}/workbench/${fusion.datasheetId}/viwDefault001`);
    await page.getByTestId('setup-aitableToken').fill('test-token');
    await page.getByTestId('setup-save').click();
    await expect(page.getByTestId('setup-saved')).toContainText('Written to');
    await expect(page.getByTestId('setup-field-check')).toContainText('The datasheet answered with');
    const file = JSON.parse(readFileSync(local.configPath, 'utf8')) as { source: Record<string, unknown> };
    expect(file.source).toMatchObject({
      type: 'aitable',
      datasheetId: fusion.datasheetId,
      viewId: 'viwDefault001',
      tokenSecret: 'aitable',
    });
    expect(readFileSync(local.configPath, 'utf8')).not.toContain('test-token');
    expect(local.savedSecrets.get('aitable')).toBe('test-token');
    await page.screenshot({ path: join(shotsDir, 'first-run-solo-saved-1440x900.png') });

    await page.getByTestId('setup-restart').click();
    await expect.poll(() => restarts).toBe(1);
    expect(JSON.parse(readFileSync(desktopModePath(dataDir), 'utf8'))).toEqual({ mode: 'solo' });
    await context.close();
  } finally {
    await fusion.close();
  }
});
