// The bridge between main and the core's utility process, with real child processes: the real core
// (electron/utility/core-host.ts on the embedded demo, its own SQLite file) forked through the
// stand-in's utilityProcess.fork, and a scripted host for the misbehaviours a real core should never
// show. Commands go out with request ids and come back to their own caller, events flow back, keys
// reach the core only by the names its config uses, a killed core is restarted once and then
// reported, and stop() leaves the queue with nothing claimed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DispatchResult, HeroEvent } from '../../shared/contract.ts';
import type { Card } from '../../shared/domain.ts';
import type { WritableSecretStore } from '../../electron/core/adapters/types.ts';
import { GAVE_UP_MESSAGE, startCoreProcess, type CoreProcess, type CoreProcessOptions } from '../../electron/main/core-process.ts';
import { forkUtility } from './stand-in/utility-process.ts';
import { stringContaining } from '../helpers/matchers.ts';

const root = join(import.meta.dirname, '../..');
const CORE_HOST = join(root, 'electron/utility/core-host.ts');
const SCRIPTED_HOST = join(import.meta.dirname, 'fixtures/scripted-core-host.ts');

function memorySecrets(initial: Record<string, string>): WritableSecretStore & { values: Map<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: (name) => values.get(name),
    sourceOf: (name) => (values.has(name) ? 'keychain' : null),
    async set(name, value) {
      if (value === null) values.delete(name);
      else values.set(name, value);
    },
  };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const valueOf = <T>(result: DispatchResult): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('core in a utility process', () => {
  let dataDir: string;
  let core: CoreProcess | null;
  let events: HeroEvent[];
  let logLines: string[];
  let secrets: ReturnType<typeof memorySecrets>;

  const start = async (overrides: Partial<CoreProcessOptions> = {}): Promise<CoreProcess> => {
    core = await startCoreProcess({
      fork: (modulePath, args, options) => forkUtility(modulePath, args, options),
      modulePath: CORE_HOST,
      core: {
        dataDir,
        transport: 'ipc',
        secrets,
        logger: pino({ level: 'info' }, { write: () => undefined }),
        mediaPort: 0,
        relayPort: 0,
        leaseMs: 1_500,
      },
      env: { ...process.env, HERO_DESK_SECRET_DESK_HOOK: 'from-env' },
      writeLogLine: (line) => logLines.push(line),
      restartDelayMs: 100,
      ...overrides,
    });
    core.onEvent((event) => events.push(event));
    return core;
  };
  const jobs = () => {
    const db = new DatabaseSync(join(dataDir, 'hero-desk.db'), { readOnly: true });
    try {
      return db.prepare('SELECT status, count(*) AS n, sum(lease_owner IS NOT NULL) AS leased FROM jobs GROUP BY status').all() as {
        status: string;
        n: number;
        leased: number;
      }[];
    } finally {
      db.close();
    }
  };
  const cards = async (c: CoreProcess) => valueOf<{ cards: Card[] }>(await c.dispatch('snapshot', {})).cards;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hero-desk-core-process-'));
    core = null;
    events = [];
    logLines = [];
    secrets = memorySecrets({ 'desk-hook': 'hook-key-1', 'aws-root': 'root-key' });
  });
  afterEach(async () => {
    await core?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers each command to its own caller, sends the core events back, and stops cleanly', async () => {
    const c = await start();
    expect(c.pid).toBeGreaterThan(0);
    expect(c.pid).not.toBe(process.pid);

    const [snapshot, info, invalid] = await Promise.all([c.dispatch('snapshot', {}), c.dispatch('appInfo', {}), c.dispatch('approve', {})]);
    expect(valueOf<{ cards: Card[] }>(snapshot).cards).toHaveLength(12);
    expect(valueOf<{ transport: string }>(info).transport).toBe('ipc');
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const { recordId } = valueOf<{ recordId: string }>(
      await c.dispatch('addDemoArticle', { headline: 'Bridge test: tram derails', section: 'Local', breaking: true }),
    );
    await until('the new story generated, as an event', () =>
      events.some((event) => event.type === 'card' && event.card.articleId === recordId && event.card.status === 'generated')
        ? true
        : undefined,
    );
    // the core's own log lines arrive whole in main's log
    expect(
      logLines.map((line) => JSON.parse(line) as { msg: string; process: string }).find((line) => line.msg === 'core started')?.process,
    ).toBe('core');

    await c.stop();
    expect(jobs().find((row) => row.status === 'running')).toBeUndefined();
    expect(jobs().reduce((sum, row) => sum + row.leased, 0)).toBe(0);
    expect(await c.dispatch('snapshot', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('gives the core only the keys its config names; key saves go through main into its store', async () => {
    await writeFile(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({ publisher: { type: 'webhook', url: 'http://127.0.0.1:9/hook', signingSecret: 'desk-hook' } }),
    );
    const c = await start();
    expect(valueOf(await c.dispatch('secrets', {}))).toEqual({ writable: true, secrets: [{ name: 'desk-hook', source: 'keychain' }] });

    expect(await c.dispatch('setSecret', { name: 'desk-hook', value: 'hook-key-2' })).toEqual({ ok: true, value: { ok: true } });
    expect(secrets.values.get('desk-hook')).toBe('hook-key-2');
    expect(await c.dispatch('setSecret', { name: 'aws-root', value: 'stolen' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(secrets.values.get('aws-root')).toBe('root-key');
  });

  it('refuses a core process that asks for, or tries to save, a key its config does not name; answers its proxy lookups', async () => {
    await writeFile(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({ publisher: { type: 'webhook', url: 'http://127.0.0.1:9/hook', signingSecret: 'desk-hook' } }),
    );
    const asked: string[] = [];
    const resolveProxy = async (url: string) => (asked.push(url), 'PROXY proxy.newsroom.example:3128');
    await start({
      modulePath: SCRIPTED_HOST,
      env: { ...process.env, SCRIPTED_CORE: 'greedy', HERO_DESK_SECRET_AWS_ROOT: 'env-root' },
      resolveProxy,
    });
    const report = await until('the scripted core report', () => {
      const notice = events.find((event) => event.type === 'notice');
      return notice?.type === 'notice' ? (JSON.parse(notice.message) as Record<string, unknown>) : undefined;
    });
    expect(report['unnamed']).toEqual({ ok: false, message: 'refused: "aws-root" is not a key the config uses' });
    expect(report['mixed']).toEqual({ ok: false, message: 'refused: "aws-root" is not a key the config uses' });
    expect(report['named']).toEqual({ ok: true, value: [{ name: 'desk-hook', value: 'hook-key-1', source: 'keychain' }] });
    expect(report['saveUnnamed']).toMatchObject({ ok: false, message: stringContaining('refused') });
    expect(secrets.values.get('aws-root')).toBe('root-key');
    // the OS proxy settings are main's session's to answer
    expect(report['proxy']).toEqual({ ok: true, value: 'PROXY proxy.newsroom.example:3128' });
    expect(asked).toEqual(['https://api.openai.com/']);
    // HERO_DESK_SECRET_* stays in main: the core gets keys by request only
    expect(report['envKeys']).toEqual([]);
  });

  it('restarts a killed core once (its jobs resume), then stops restarting and says so', async () => {
    const gaveUp: string[] = [];
    const c = await start({ onGaveUp: (message) => gaveUp.push(message) });
    const firstPid = c.pid;
    for (let i = 0; i < 3; i++)
      await c.dispatch('addDemoArticle', { headline: `Crash test story ${i}`, section: 'Local', breaking: false });
    await until('a job running', () => (jobs().some((row) => row.status === 'running' && row.leased > 0) ? true : undefined)).catch(
      () => undefined,
    );
    process.kill(firstPid ?? 0, 'SIGKILL');

    await until('the restart notice', () =>
      events.some((event) => event.type === 'notice' && event.level === 'warn' && event.message.includes('restarted')) ? true : undefined,
    );
    // a command sent while it restarts waits for the new process
    const after = await cards(c);
    expect(c.pid).not.toBe(firstPid);
    expect(after.filter((card) => card.headline.startsWith('Crash test story'))).toHaveLength(3);
    await until('the interrupted stories generated by the new process', async () =>
      (await cards(c)).filter((card) => card.headline.startsWith('Crash test story') && card.status === 'generated').length === 3
        ? true
        : undefined,
    );

    process.kill(c.pid ?? 0, 'SIGKILL');
    await until('the gave-up notice', () =>
      events.some((event) => event.type === 'notice' && event.level === 'error') ? true : undefined,
    );
    expect(
      events
        .filter((event) => event.type === 'notice' && event.level === 'error')
        .map((event) => (event.type === 'notice' ? event.message : '')),
    ).toEqual([GAVE_UP_MESSAGE]);
    expect(gaveUp).toEqual([GAVE_UP_MESSAGE]);
    expect(c.pid).toBeUndefined();
    expect(await c.dispatch('snapshot', {})).toEqual({ ok: false, error: { code: 'internal', message: GAVE_UP_MESSAGE } });
  });

  it('answers a command the core never answers with a timeout error instead of hanging', async () => {
    const c = await start({ modulePath: SCRIPTED_HOST, env: { ...process.env, SCRIPTED_CORE: 'silent' }, callTimeoutMs: 300 });
    expect(await c.dispatch('snapshot', {})).toMatchObject({
      ok: false,
      error: { code: 'internal', message: stringContaining('did not answer "snapshot"') },
    });
  });

  it('fails to start with the core’s own line when its config is broken', async () => {
    await writeFile(join(dataDir, 'hero-desk.config.json'), '{ not json');
    await expect(start()).rejects.toThrow(/hero-desk\.config\.json is not valid JSON/);
  });
});
