// Several relay instances (real HTTP/WebSocket servers on loopback) sharing one history in a real
// PostgreSQL schema: a publish to any instance is one publication with one seq, every instance's readers
// get it once, a reader may resume on another instance, and an instance that was away (restarted, or its
// LISTEN connection cut) catches up from the table by seq.
import type { ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import pg from 'pg';
import { startRelay, type RelayHandle } from '../../electron/core/relay/relay-server.ts';
import type { RelayLogger } from '../../electron/core/relay/relay-readers.ts';
import { describePostgres, PG_URL, postgresSchemas } from '../store/postgres/pg-test.ts';
import {
  SECRET,
  connectReader,
  health,
  publication,
  publish,
  until,
  type Frame,
  type RecordingReader,
  spawnRelayCli,
  type RelayChild,
} from './helpers.ts';

const relays: RelayHandle[] = [];
const children: ChildProcess[] = [];
const readers: RecordingReader[] = [];

const seqs = (reader: RecordingReader): number[] => reader.articles().map((frame) => frame.seq!);
const keys = (frames: Frame[]): string[] => frames.filter((f) => f.type === 'article').map((f) => f.message!.idempotencyKey);

describePostgres('relay instances on a shared PostgreSQL history', () => {
  const schemas = postgresSchemas();
  // registered after the schemas' cleanup, so it runs first: relays stop before their schema is dropped
  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.ws.terminate();
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });

  async function cluster(count: number, extra: { pollMs?: number; logger?: RelayLogger; historyLimit?: number } = {}) {
    const { schema } = await schemas.fresh();
    const start = async (): Promise<RelayHandle> => {
      const relay = await startRelay({
        publishSecret: SECRET,
        history: { type: 'postgres', url: PG_URL!, schema, pollMs: extra.pollMs ?? 3_600_000 },
        historyLimit: extra.historyLimit,
        logger: extra.logger,
      });
      relays.push(relay);
      return relay;
    };
    const instances: RelayHandle[] = [];
    for (let i = 0; i < count; i++) instances.push(await start());
    return { instances, start, schema };
  }

  async function reader(relay: RelayHandle, query = ''): Promise<RecordingReader> {
    const r = await connectReader(relay.wsUrl, query);
    readers.push(r);
    await r.waitFor((frames) => frames.some((f) => f.type === 'hello'));
    return r;
  }

  it('gives every instance the same epoch, and readers of every instance each publication once, in seq order', async () => {
    const { instances } = await cluster(3);
    const [a, b, c] = instances as [RelayHandle, RelayHandle, RelayHandle];
    expect(new Set(instances.map((r) => r.epoch)).size).toBe(1);
    const onA = await reader(a);
    const onB = await reader(b);
    const onC = await reader(c);
    const sent = [];
    for (let i = 0; i < 9; i++) sent.push(await publish(instances[i % 3]!.url, publication()));
    expect(sent.map((s) => s.body.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of [onA, onB, onC]) {
      await r.waitFor(() => r.articles().length >= 9);
      expect(seqs(r)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    // nothing more arrives later (a second delivery would come from the same ordered apply)
    await publish(b.url, publication());
    for (const r of [onA, onB, onC]) await r.waitFor(() => r.articles().length >= 10);
    for (const r of [onA, onB, onC]) expect(seqs(r)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const relay of instances) expect((await health(relay.url)).seq).toBe(10);
  });

  it('accepts one idempotency key once across instances, posted one after the other or at once', async () => {
    const { instances } = await cluster(2);
    const [a, b] = instances as [RelayHandle, RelayHandle];
    const onB = await reader(b);
    const message = publication();
    const first = await publish(a.url, message);
    const again = await publish(b.url, message);
    expect(first.body).toMatchObject({ ok: true, seq: 1, duplicate: false });
    expect(again.body).toMatchObject({ ok: true, seq: 1, duplicate: true });

    const racing = publication();
    const answers = await Promise.all([publish(a.url, racing), publish(b.url, racing), publish(a.url, racing), publish(b.url, racing)]);
    expect(answers.map((r) => r.body.seq)).toEqual([2, 2, 2, 2]);
    expect(answers.filter((r) => r.body.duplicate === false)).toHaveLength(1);

    await publish(a.url, publication()); // a marker: once it is here, anything doubled would be too
    await onB.waitFor(() => onB.articles().length >= 3);
    expect(keys(onB.frames)).toEqual([message.idempotencyKey, racing.idempotencyKey, expect.any(String)]);
  });

  it('gives a reader that left instance A exactly what it missed when it resumes on instance B', async () => {
    const { instances } = await cluster(3);
    const [a, b, c] = instances as [RelayHandle, RelayHandle, RelayHandle];
    const onA = await reader(a);
    await publish(a.url, publication());
    await publish(c.url, publication());
    await onA.waitFor(() => onA.articles().length >= 2);
    const epoch = onA.frames[0]!.epoch!;
    onA.ws.terminate();

    const missed = [publication(), publication(), publication({ articleId: 'rec-late', version: 1 })];
    await publish(a.url, missed[0]);
    await publish(c.url, missed[1]);
    await publish(b.url, missed[2]);
    await until(async () => (await health(b.url)).seq === 5);

    const resumed = await reader(b, `?since=2&epoch=${epoch}`);
    expect(resumed.frames[0]).toMatchObject({ type: 'hello', epoch, seq: 5, gap: false });
    await resumed.waitFor(() => resumed.articles().length >= 3);
    expect(keys(resumed.frames)).toEqual(missed.map((m) => m.idempotencyKey));
    expect(seqs(resumed)).toEqual([3, 4, 5]);
  });

  it('keeps the position of a reader that comes from an instance further along, instead of starting it over', async () => {
    const { instances } = await cluster(2);
    const [a, b] = instances as [RelayHandle, RelayHandle];
    await publish(a.url, publication());
    await until(async () => (await health(b.url)).seq === 1);
    // as if A had reached seq 7 and B not yet: same epoch, a since= beyond B's seq
    const ahead = await reader(b, `?since=7&epoch=${a.epoch}`);
    expect(ahead.frames[0]).toMatchObject({ type: 'hello', epoch: a.epoch, seq: 1, gap: false });
    await publish(a.url, publication());
    await ahead.waitFor(() => ahead.articles().length >= 1);
    // no catch-up of seq 1 (it had it): only the live frame
    expect(seqs(ahead)).toEqual([2]);
  });

  it('catches a restarted instance up from the table: on a new port it has every seq and replays what a reader missed', async () => {
    const { instances, start } = await cluster(2);
    const [a, b] = instances as [RelayHandle, RelayHandle];
    await publish(b.url, publication());
    await until(async () => (await health(a.url)).seq === 1);
    await b.stop();
    relays.splice(relays.indexOf(b), 1);
    const whileAway = [publication(), publication(), publication()];
    for (const message of whileAway) await publish(a.url, message);

    const back = await start();
    expect(back.port).not.toBe(b.port);
    expect(back.epoch).toBe(a.epoch);
    expect((await health(back.url)).seq).toBe(4);
    const resumed = await reader(back, `?since=1&epoch=${a.epoch}`);
    await resumed.waitFor(() => resumed.articles().length >= 3);
    expect(seqs(resumed)).toEqual([2, 3, 4]);
    // and it is live again: a publish to A reaches its readers
    await publish(a.url, publication());
    await resumed.waitFor(() => resumed.articles().length >= 4);
    expect(seqs(resumed)).toEqual([2, 3, 4, 5]);
  });

  it('hero-desk relay --history-url-env: an instance SIGKILLed and started again on a new port catches up', async () => {
    const { instances, schema } = await cluster(1);
    const [a] = instances as [RelayHandle];
    const runInstance = (): Promise<RelayChild> =>
      spawnRelayCli(['--history-url-env', 'RELAY_DB_URL', '--history-schema', schema], children, { RELAY_DB_URL: PG_URL }, (out) => {
        // the URL holds the database's password: it is never printed
        if (out.includes(PG_URL!)) throw new Error(`relay printed the history URL: ${out}`);
      });
    const first = await runInstance();
    await publish(first.url, publication());
    await until(async () => (await health(a.url)).seq === 1);
    await new Promise<void>((resolve) => {
      first.child.once('exit', () => resolve());
      first.child.kill('SIGKILL');
    });
    for (let i = 0; i < 3; i++) await publish(a.url, publication());

    const second = await runInstance();
    expect(second.url).not.toBe(first.url);
    expect(await health(second.url)).toMatchObject({ epoch: a.epoch, seq: 4 });
    const r = await connectReader(second.wsUrl, `?since=1&epoch=${a.epoch}`);
    readers.push(r);
    await r.waitFor(() => r.articles().length >= 3);
    expect(seqs(r)).toEqual([2, 3, 4]);
    await publish(second.url, publication());
    await until(async () => (await health(a.url)).seq === 5);
  });

  it('recovers by seq when its LISTEN connection is cut, with no poll to fall back on', async () => {
    const warnings: string[] = [];
    const logger: RelayLogger = { info: () => {}, warn: (_details, message) => warnings.push(message) };
    const { instances, schema } = await cluster(2, { logger });
    const [a, b] = instances as [RelayHandle, RelayHandle];
    const onB = await reader(b);
    await publish(a.url, publication());
    await onB.waitFor(() => onB.articles().length >= 1);

    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      // both instances listen on the schema's channel; cut them all, then publish while they are away
      const cut = await admin.query<{ pid: number }>(
        "SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND query LIKE $1",
        [`%hd_relay_${schema}%`],
      );
      expect(cut.rows.length).toBe(2);
    } finally {
      await admin.end();
    }
    const during = [publication(), publication()];
    for (const message of during) await publish(a.url, message);
    await onB.waitFor(() => onB.articles().length >= 3);
    expect(seqs(onB)).toEqual([1, 2, 3]);
    expect(warnings).toContain('relay: LISTEN connection lost; reconnecting');
    // and it listens again: the next publish arrives without a poll
    await publish(a.url, publication());
    await onB.waitFor(() => onB.articles().length >= 4);
    expect(seqs(onB)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the newest message per article and trims to historyLimit as the SQLite store does', async () => {
    const { instances } = await cluster(2, { historyLimit: 2 });
    const [a, b] = instances as [RelayHandle, RelayHandle];
    await publish(a.url, publication({ articleId: 'one', version: 1 }));
    await publish(b.url, publication({ articleId: 'two', version: 1 }));
    await publish(a.url, publication({ articleId: 'one', version: 2 }));
    await publish(b.url, publication({ articleId: 'three', version: 1 })); // drops "two" (least recently changed)
    await until(async () => (await health(a.url)).seq === 4 && (await health(b.url)).seq === 4);
    for (const relay of instances) {
      const fresh = await reader(relay);
      expect(fresh.frames[0]).toMatchObject({ type: 'hello', seq: 4, oldestSeq: 3 });
      await fresh.waitFor(() => fresh.articles().length >= 2);
      expect(fresh.articles().map((f) => `${f.message!.articleId}@${f.message!.version}`)).toEqual(['one@2', 'three@1']);
      expect((await health(relay.url)).history).toBe(2);
    }
  });
});
