// The relay across restarts and crashes, on a real SQLite file: catch-up with since/epoch, no
// (articleId, version) delivered twice, the epoch kept, the published set for a new page, and a
// publisher's retry after a restart acknowledged as a duplicate and not broadcast again.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { PublicationMessage } from '../../electron/core/adapters/types.ts';
import { startRelay, type RelayHandle } from '../../electron/core/relay/relay-server.ts';
import { RelayStoreError } from '../../electron/core/relay/relay-store.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { SECRET, connectReader, health, publication, publish, spawnRelayCli, type Frame, type RelayChild } from './helpers.ts';

const dirs = tempDirs();
const relays: RelayHandle[] = [];
const children: ChildProcess[] = [];
const readers: { close(): void }[] = [];

afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const relay of relays.splice(0)) await relay.stop();
  dirs.cleanup();
});

async function relayOn(dataFile: string): Promise<RelayHandle> {
  const relay = await startRelay({ publishSecret: SECRET, dataFile });
  relays.push(relay);
  return relay;
}

async function stop(relay: RelayHandle): Promise<void> {
  await relay.stop();
  relays.splice(relays.indexOf(relay), 1);
}

const deliveries = (frames: Frame[]): string[] =>
  frames.filter((f) => f.type === 'article').map((f) => `${f.message?.articleId}@${f.message?.version}`);
const doubled = (list: string[]): string[] => list.filter((item, i) => list.indexOf(item) !== i);

/**
 * A raw ws reader that does what reader.js does on a drop: reconnect with since= (its last seq)
 * and epoch=, to wherever `target()` says the relay is now. Keeps every frame it ever got.
 */
function resumingReader(target: () => string | null) {
  const frames: Frame[] = [];
  let lastSeq = 0;
  let epoch: string | null = null;
  let socket: WebSocket | null = null;
  let stopped = false;
  let connections = 0;
  const open = (): void => {
    if (stopped) return;
    const url = target();
    if (url === null) return void setTimeout(open, 50);
    const ws = new WebSocket(`${url}?since=${lastSeq}${epoch ? `&epoch=${epoch}` : ''}`);
    socket = ws;
    ws.on('open', () => (connections += 1));
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Frame;
      frames.push(frame);
      if (frame.type === 'hello') epoch = frame.epoch ?? null;
      if (typeof frame.seq === 'number' && frame.type === 'article') lastSeq = Math.max(lastSeq, frame.seq);
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      if (socket === ws) setTimeout(open, 50);
    });
  };
  open();
  const reader = {
    frames,
    connections: () => connections,
    hellos: () => frames.filter((f) => f.type === 'hello'),
    close() {
      stopped = true;
      socket?.terminate();
    },
  };
  readers.push(reader);
  return reader;
}

describe('relay restart on the same data file', () => {
  it('keeps the epoch and position, catches a reader up without repeats, and gives a new page the published set', async () => {
    const dataFile = join(dirs.make(), 'relay.sqlite');
    let relay: RelayHandle | null = await relayOn(dataFile);
    const epoch = relay.epoch;
    const reader = resumingReader(() => relay?.wsUrl ?? null);
    const a = publication({ articleId: 'a', version: 1 });
    const b = publication({ articleId: 'b', version: 1 });
    await publish(relay.url, a);
    await publish(relay.url, b);
    await publish(relay.url, publication({ articleId: 'a', version: 2, kind: 'retract', imageUrl: null }));
    await waitFor(() => deliveries(reader.frames).length === 3, 5000, 'three deliveries');

    const oldPort = relay.port;
    await stop(relay);
    relay = null;
    await publish(`http://127.0.0.1:${oldPort}`, b).then(
      () => expect.unreachable('the relay is down'),
      () => undefined,
    );
    relay = await relayOn(dataFile); // a new port: the reader follows target()
    expect(relay.port).not.toBe(oldPort);
    expect(relay.epoch).toBe(epoch);
    expect(await health(relay.url)).toMatchObject({ seq: 3, epoch });

    // the publisher never heard back about b, so it sends it again: acknowledged, not re-sent
    expect((await publish(relay.url, b)).body).toMatchObject({ ok: true, duplicate: true, seq: 2 });
    const c = publication({ articleId: 'c', version: 1 });
    expect((await publish(relay.url, c)).body).toMatchObject({ duplicate: false, seq: 4 });
    await waitFor(() => deliveries(reader.frames).includes('c@1'), 10_000, 'c after the restart');
    expect(reader.connections()).toBe(2);
    expect(reader.hellos().at(-1)).toMatchObject({ epoch, gap: false });
    expect(deliveries(reader.frames)).toEqual(['a@1', 'b@1', 'a@2', 'c@1']);

    const fresh = await connectReader(relay.wsUrl);
    readers.push({ close: () => fresh.ws.terminate() });
    await fresh.waitFor((f) => f.filter((x) => x.type === 'article').length === 2);
    expect(deliveries(fresh.frames)).toEqual(['b@1', 'c@1']); // a was retracted
    expect(fresh.frames[0]).toMatchObject({ type: 'hello', epoch, seq: 4 });
  });

  it('starts a new stream (new epoch) only with a new data file', async () => {
    const dir = dirs.make();
    const first = await relayOn(join(dir, 'one.sqlite'));
    const epoch = first.epoch;
    await stop(first);
    expect((await relayOn(join(dir, 'one.sqlite'))).epoch).toBe(epoch);
    expect((await relayOn(join(dir, 'two.sqlite'))).epoch).not.toBe(epoch);
  });

  it('refuses a second relay on a data file that is in use, saying so', async () => {
    const dataFile = join(dirs.make(), 'relay.sqlite');
    await relayOn(dataFile);
    const error = await startRelay({ publishSecret: SECRET, dataFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayStoreError);
    expect((error as Error).message).toMatch(/in use by another relay/);
  });
});

describe('hero-desk relay killed with SIGKILL mid-stream', () => {
  const runRelay = (dataFile: string): Promise<RelayChild> => spawnRelayCli(['--data-file', dataFile], children);

  const killed = (child: ChildProcess): Promise<void> =>
    new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });

  it('brings a resuming reader every article at its latest version, nothing twice, retries included', async () => {
    const dataFile = join(dirs.make(), 'relay.sqlite');
    let current: { child: ChildProcess; url: string; wsUrl: string } | null = await runRelay(dataFile);
    let readerAway = false;
    const reader = resumingReader(() => (readerAway ? null : (current?.wsUrl ?? null)));
    await waitFor(() => reader.connections() === 1, 5000, 'reader connected');
    const messages: PublicationMessage[] = Array.from({ length: 60 }, (_, i) =>
      publication({ articleId: `art${i % 20}`, version: Math.floor(i / 20) + 1 }),
    );

    // a burst, with the relay killed in the middle of it: some accepted, some never answered
    const first = current;
    let acknowledged = 0;
    const burst = messages.map((m, i) =>
      new Promise((r) => setTimeout(r, i * 5))
        .then(() => publish(first.url, m))
        .then(
          (r) => {
            acknowledged += 1;
            return r.status;
          },
          () => 0,
        ),
    );
    await waitFor(() => acknowledged >= 10, 10_000, 'the first acknowledgements');
    readerAway = true;
    await killed(first.child);
    current = null;
    const statuses = await Promise.all(burst);
    const answered = statuses.filter((s) => s === 200).length;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(messages.length);

    // the reader stays away until the retries are in, so it resumes by catch-up (deterministic)
    current = await runRelay(dataFile);
    // the outbox retries everything it has no answer for, with the same keys (here: everything)
    let duplicates = 0;
    for (const m of messages) {
      const reply = await publish(current.url, m);
      expect(reply.status).toBe(200);
      if (reply.body.duplicate === true) duplicates += 1;
    }
    expect(duplicates).toBeGreaterThanOrEqual(answered);
    readerAway = false;
    // A reader that was away gets each article's current state, not every version it missed (the
    // relay keeps one row per article): so what must arrive is every article at its latest version.
    const latest = [...new Set(messages.map((m) => m.articleId))].map(
      (id) => `${id}@${Math.max(...messages.filter((m) => m.articleId === id).map((m) => m.version))}`,
    );
    await waitFor(() => latest.every((d) => deliveries(reader.frames).includes(d)), 10_000, 'every article at its latest version');
    await new Promise((r) => setTimeout(r, 200)); // anything doubled would have arrived by now
    expect(doubled(deliveries(reader.frames))).toEqual([]);
    expect(new Set(reader.hellos().map((h) => h.epoch)).size).toBe(1);
    expect((await health(current.url)).seq).toBe(messages.length);
  }, 40_000);
});
