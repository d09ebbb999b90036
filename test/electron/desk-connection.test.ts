// Connect mode (issues 13 and 14): the stored choice and the desk's token survive a restart (a new
// set of handlers over the same data folder, the token in its own safeStorage file), and the desk
// check against a real TLS desk (self-signed certificate made here, a real account) tells an
// accepted token from a refused or revoked one, an untrusted certificate, a closed port and a
// wrong address — each with its next step, never the token in the log.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { resolveListenConfig } from '../../electron/bridge/listen-config.ts';
import { addAccount, revokeAccount } from '../../electron/core/accounts/accounts.ts';
import {
  checkDesk,
  deskConnectSources,
  desktopModePath,
  DESK_SECRETS_FILE,
  DESK_TOKEN_SECRET,
  normaliseDeskAddress,
  readDesktopChoice,
  type DeskFetch,
} from '../../electron/main/desk-connection.ts';
import { createSetupHandlers, desktopStartMode, type FirstRunDeps } from '../../electron/main/first-run.ts';
import { createSafeStorageSecrets } from '../../electron/main/secrets.ts';
import { contentSecurityPolicy } from '../../electron/main/security.ts';
import { DESKTOP_APP_ORIGIN } from '../../shared/desktop.ts';
import { APP_ORIGIN } from '../../electron/main/app-protocol.ts';
import { createBoardCore, type BoardCore } from '../helpers/board-core.ts';
import { makeSelfSigned } from '../helpers/self-signed.ts';
import { tempDirs } from '../helpers/temp.ts';
import * as electron from './electron-mock.ts';
import { stringContaining } from '../helpers/matchers.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

const dirs = tempDirs();
let board: BoardCore;
let desk: HttpBridge;
let cert: Buffer;

/** Node's fetch trusting only the desk's certificate, as an OS trust store with it installed would. */
const trusting: DeskFetch = (url, init) =>
  undiciFetch(url, { ...init, dispatcher: new Agent({ connect: { ca: cert } }) }) as unknown as Promise<Response>;
const untrusting: DeskFetch = (url, init) => fetch(url, init);

beforeEach(async () => {
  const dir = dirs.make();
  const made = makeSelfSigned(dir);
  cert = made.cert;
  board = createBoardCore(dir);
  // what `hero-desk start --listen 127.0.0.1:0 --tls-cert … --tls-key …` runs
  const listen = resolveListenConfig({ listen: '127.0.0.1:0', tlsCert: made.certPath, tlsKey: made.keyPath });
  desk = await startHttpBridge({ core: board.core, rendererDir: dir, logger: pino({ level: 'silent' }), listen });
});

afterEach(async () => {
  await desk.stop();
  board.close();
  dirs.cleanup();
});

const deskUrl = () => `https://localhost:${desk.port}`;

function recordingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

async function handlers(dataDir: string, fetchDesk: DeskFetch, overrides: Partial<FirstRunDeps> = {}) {
  const deskSecrets = await createSafeStorageSecrets(
    { filePath: join(dataDir, DESK_SECRETS_FILE) },
    { safeStorage: electron.safeStorage, platform: 'darwin' },
  );
  const configPath = join(dataDir, 'hero-desk.config.json');
  const restarts: number[] = [];
  const { logger, lines } = recordingLogger();
  const deps: FirstRunDeps = {
    dataDir,
    configPath,
    mode: desktopStartMode(dataDir, configPath),
    deskSecrets,
    fetchDesk,
    restart: () => void restarts.push(Date.now()),
    openPath: async () => '',
    exampleConfigPath: join(import.meta.dirname, '../../docs/hero-desk.config.example.json'),
    logger,
    ...overrides,
  };
  return { setup: createSetupHandlers(deps), restarts, lines, deps };
}

describe('the desk check against a real TLS desk', () => {
  it('accepts a personal token and names the account; refuses a wrong one and a revoked one, saying what to do', async () => {
    const { token } = await addAccount(board.store, 'Maria', 'editor');
    expect(await checkDesk({ deskUrl: deskUrl(), token }, trusting)).toEqual({
      status: 'ok',
      deskUrl: deskUrl(),
      actor: { name: 'Maria', role: 'editor' },
    });

    const wrong = `${token.slice(0, -4)}AAAA`;
    const refused = await checkDesk({ deskUrl: deskUrl(), token: wrong }, trusting);
    expect(refused).toMatchObject({ status: 'refused', reason: 'token' });
    expect(refused.status === 'refused' && refused.message).toContain('ask your desk admin for a new personal token');

    revokeAccount(board.store, 'Maria');
    expect(await checkDesk({ deskUrl: deskUrl(), token }, trusting)).toMatchObject({ status: 'refused', reason: 'token' });
  });

  it('tells an untrusted certificate, a closed port, a missing name and a malformed address apart', async () => {
    const { token } = await addAccount(board.store, 'Kim', 'editor');
    const tls = await checkDesk({ deskUrl: deskUrl(), token }, untrusting);
    expect(tls).toMatchObject({ status: 'refused', reason: 'tls' });
    expect(tls.status === 'refused' && tls.message).toContain('certificate is not trusted by this computer');

    const port = desk.port;
    await desk.stop();
    expect(await checkDesk({ deskUrl: `https://127.0.0.1:${port}`, token }, trusting)).toMatchObject({
      status: 'refused',
      reason: 'unreachable',
    });
    expect(await checkDesk({ deskUrl: 'https://desk.invalid', token }, untrusting)).toMatchObject({ status: 'refused', reason: 'address' });
    expect(await checkDesk({ deskUrl: 'http://desk.example.com', token }, untrusting)).toMatchObject({
      status: 'refused',
      reason: 'address',
      message: stringContaining('https://'),
    });
    expect(await checkDesk({ deskUrl: 'https://desk.example.com/board', token }, untrusting)).toMatchObject({
      status: 'refused',
      reason: 'address',
    });
    expect(await checkDesk({ deskUrl: 'https://desk.example.com', token: 'letmein' }, untrusting)).toMatchObject({
      status: 'refused',
      reason: 'token',
      message: stringContaining('hd1.'),
    });
  });

  it('answers the desktop app board across origins (preflight and the answer), and no other page', async () => {
    expect(DESKTOP_APP_ORIGIN).toBe(APP_ORIGIN);
    const { token } = await addAccount(board.store, 'Ola', 'viewer');
    const preflight = await trusting(`${deskUrl()}/api/commands/appInfo`, {
      method: 'OPTIONS',
      headers: {
        origin: DESKTOP_APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
      body: undefined as never,
      signal: AbortSignal.timeout(5000),
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(DESKTOP_APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const answer = await trusting(`${deskUrl()}/api/commands/appInfo`, {
      method: 'POST',
      headers: { origin: DESKTOP_APP_ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(5000),
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe(DESKTOP_APP_ORIGIN);
    const refused = await trusting(`${deskUrl()}/api/commands/appInfo`, {
      method: 'POST',
      headers: { origin: DESKTOP_APP_ORIGIN, authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(5000),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(DESKTOP_APP_ORIGIN); // so the board can read the 401
    const elsewhere = await trusting(`${deskUrl()}/api/commands/appInfo`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
      body: undefined as never,
      signal: AbortSignal.timeout(5000),
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the stored choice', () => {
  it('first run without a config; solo once chosen, after a restart too; an existing config means solo', async () => {
    const dataDir = dirs.make();
    const first = await handlers(dataDir, trusting);
    expect(await first.setup.connection()).toEqual({ mode: 'first-run' });
    await first.setup.chooseSolo();
    const again = await handlers(dataDir, trusting);
    expect(again.deps.mode).toEqual({ kind: 'solo' });
    expect(await again.setup.connection()).toEqual({ mode: 'solo', configPath: join(dataDir, 'hero-desk.config.json') });

    const upgraded = dirs.make();
    writeFileSync(join(upgraded, 'hero-desk.config.json'), '{}\n');
    expect(desktopStartMode(upgraded, join(upgraded, 'hero-desk.config.json'))).toEqual({ kind: 'solo' });
  });

  it('connects to a desk: survives a restart with the token only in the encrypted file; a refusal stores nothing; switching to solo forgets the token', async () => {
    const dataDir = dirs.make();
    const { token } = await addAccount(board.store, 'Maria', 'editor');
    const first = await handlers(dataDir, trusting);

    const refused = await first.setup.connectDesk({ deskUrl: deskUrl(), token: `${token.slice(0, -4)}AAAA` });
    expect(refused).toMatchObject({ status: 'refused', reason: 'token' });
    expect(readDesktopChoice(dataDir)).toBeNull();

    expect(await first.setup.connectDesk({ deskUrl: `  ${deskUrl()}/ `, token })).toMatchObject({ status: 'ok', actor: { name: 'Maria' } });
    await vi.waitFor(() => expect(first.restarts).toHaveLength(1));
    const stored = readFileSync(desktopModePath(dataDir), 'utf8');
    expect(JSON.parse(stored)).toEqual({ mode: 'desk', deskUrl: deskUrl() });
    expect(stored).not.toContain(token);
    const secretsFile = readFileSync(join(dataDir, DESK_SECRETS_FILE), 'utf8');
    expect(secretsFile).not.toContain(token); // encrypted
    expect(first.lines.join('\n')).not.toContain(token.split('.')[2]);

    // the restart: new handlers over the same folder
    const restarted = await handlers(dataDir, trusting);
    expect(restarted.deps.mode).toEqual({ kind: 'desk', deskUrl: deskUrl() });
    const connection = await restarted.setup.connection();
    expect(connection).toMatchObject({ mode: 'desk', deskUrl: deskUrl(), token, check: { status: 'ok' } });
    expect(deskConnectSources(deskUrl())).toEqual([deskUrl(), deskUrl().replace('https:', 'wss:')]);
    expect(contentSecurityPolicy(false, deskConnectSources(deskUrl()))).toContain(
      `connect-src 'self' ${deskUrl()} wss://localhost:${desk.port};`,
    );

    // the desk revokes the account: the next start says so instead of connecting
    revokeAccount(board.store, 'Maria');
    expect(await restarted.setup.connection()).toMatchObject({ mode: 'desk', check: { status: 'refused', reason: 'token' } });

    await restarted.setup.switchToSolo();
    await vi.waitFor(() => expect(restarted.restarts).toHaveLength(1));
    expect(readDesktopChoice(dataDir)).toEqual({ mode: 'solo' });
    expect(restarted.deps.deskSecrets.get(DESK_TOKEN_SECRET)).toBeUndefined();
    const solo = await handlers(dataDir, trusting);
    expect(solo.deps.mode).toEqual({ kind: 'solo' });
  });

  it('refuses to keep a token where the OS offers no safe storage, and reads a damaged choice file as no choice', async () => {
    const dataDir = dirs.make();
    const { token } = await addAccount(board.store, 'Kim', 'editor');
    electron.safeStorage.available = false;
    try {
      const { setup } = await handlers(dataDir, trusting);
      const answer = await setup.connectDesk({ deskUrl: deskUrl(), token });
      expect(answer).toMatchObject({ status: 'refused', message: stringContaining('system keychain') });
      expect(readDesktopChoice(dataDir)).toBeNull();
    } finally {
      electron.safeStorage.available = true;
    }
    writeFileSync(desktopModePath(dataDir), '{"mode":"desk","deskUrl":"ftp://x"}');
    expect(readDesktopChoice(dataDir)).toBeNull();
    expect(normaliseDeskAddress('desk.example.com:8443')).toEqual({ origin: 'https://desk.example.com:8443' });
  });
});
