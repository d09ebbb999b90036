// The board's web client against the real bridge on a loopback port (Node's own fetch and
// WebSocket stand in for the browser's): commands, typed errors, events, reconnect + resync.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpBridge, type HttpBridge } from '../../electron/bridge/http-bridge.ts';
import { CommandError, type HeroEvent } from '../../shared/contract.ts';
import { createWebTransport } from '../../renderer/src/transport/web.ts';
import type { ConnectionState, Snapshot, Transport } from '../../renderer/src/transport/types.ts';
import { createFakeCore, sampleCard, type FakeCore } from '../bridge/fake-core.ts';
import { stringContaining } from '../helpers/matchers.ts';

const logger = pino({ level: 'silent' });
let dir: string;
let core: FakeCore;
let bridge: HttpBridge;
const transports: Transport[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hd-web-'));
  core = createFakeCore();
  bridge = await startHttpBridge({ core, rendererDir: dir, logger });
});

afterEach(async () => {
  for (const t of transports.splice(0)) t.stop();
  await bridge.stop();
  await rm(dir, { recursive: true, force: true });
});

function connect(token = bridge.token) {
  const states: ConnectionState[] = [];
  const snapshots: Snapshot[] = [];
  const errors: unknown[] = [];
  const t = createWebTransport({ baseUrl: `http://127.0.0.1:${bridge.port}/`, token, initialBackoffMs: 50, maxBackoffMs: 200 });
  transports.push(t);
  t.start({ onState: (s) => states.push(s), onSnapshot: (s) => snapshots.push(s), onError: (e) => errors.push(e) });
  return { t, states, snapshots, errors };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('web transport', () => {
  it('calls commands and unwraps their values', async () => {
    const { t } = connect();
    await expect(t.api.approve({ articleId: 'rec-1' })).resolves.toEqual({ ok: true });
    await expect(t.api.addDemoArticle({ headline: 'Hello' })).resolves.toEqual({ recordId: 'rec-new' });
    expect(core.calls.map((c) => c.name)).toContain('addDemoArticle');
  });

  it('rethrows failures as CommandError with the core code', async () => {
    const { t } = connect();
    const error = await t.api.approve({ articleId: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).code).toBe('invalid_input');

    const { t: wrong } = connect('not-the-token');
    const denied = await wrong.api.snapshot({}).catch((e: unknown) => e);
    expect((denied as CommandError).code).toBe('unauthorized');
  });

  it('goes live, resyncs from snapshot and delivers events', async () => {
    const { t, states, snapshots } = connect();
    const events: HeroEvent[] = [];
    t.api.onEvent((e) => events.push(e));
    await until(() => snapshots.length === 1, 'first snapshot');
    expect(states).toEqual(['connecting', 'live']);
    expect(snapshots[0]?.seq).toBe(3);

    core.emit({ type: 'card', seq: 4, card: sampleCard({ status: 'approved' }) });
    core.emit({ type: 'notice', seq: 5, level: 'info', message: 'hello', articleId: null });
    await until(() => events.length === 2, 'two events');
    expect(events[0]).toMatchObject({ type: 'card', card: { status: 'approved' } });
  });

  it('reconnects after the server goes away and resyncs', async () => {
    const { states, snapshots } = connect();
    await until(() => snapshots.length === 1, 'first snapshot');
    const { port, token } = bridge;
    await bridge.stop();
    await until(() => states.at(-1) === 'reconnecting', 'reconnecting');
    bridge = await startHttpBridge({ core, rendererDir: dir, logger, port, token });
    await until(() => snapshots.length === 2, 'snapshot after reconnect');
    expect(states.at(-1)).toBe('live');
  });

  it('says the token is stale instead of reconnecting forever when the bridge comes back with a new one', async () => {
    const { t, states, snapshots } = connect();
    await until(() => snapshots.length === 1, 'first snapshot');
    const { port } = bridge;
    await bridge.stop();
    await until(() => states.at(-1) === 'reconnecting', 'reconnecting');
    bridge = await startHttpBridge({ core, rendererDir: dir, logger, port }); // a new run: a new token
    await until(() => states.at(-1) === 'unauthorized', 'unauthorized');
    const reconnects = states.length;
    await new Promise((resolve) => setTimeout(resolve, 600)); // several backoff rounds
    expect(states.length).toBe(reconnects); // it stopped trying
    const refused = await t.api.approve({ articleId: 'rec-1' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CommandError);
    expect(refused).toMatchObject({ code: 'unauthorized', message: stringContaining('open the Board URL') });
    expect(core.calls.filter((c) => c.name === 'approve')).toEqual([]);
  });

  it('turns a 401 on a command into the unauthorized state', async () => {
    const { t, states } = connect('not-the-token');
    await until(() => states.at(-1) === 'unauthorized', 'unauthorized');
    await expect(t.api.snapshot({})).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
