import { afterEach, describe, expect, it } from 'vitest';
import { createAitableSource } from '../../electron/core/adapters/aitable/index.ts';
import type { AitableConfigInput } from '../../electron/core/adapters/aitable/index.ts';
import type { PollResult } from '../../electron/core/adapters/types.ts';
import type { FakeFusion } from './fake-fusion-server.ts';
import { article, configFor, fakeServers, memoryLogger, secrets } from './helpers.ts';

const servers = fakeServers();
afterEach(() => servers.closeAll());

// the client starts its look-back from its own clock, so the fake clock starts near it
const T0 = Math.floor(Date.now() / 1000) * 1000 + 250;

/** The core's loop in miniature: poll, keep the cursor, remember every delivery. */
function poller(fake: FakeFusion, overrides: Partial<AitableConfigInput> = {}) {
  const logger = memoryLogger();
  const source = createAitableSource(configFor(fake, overrides), { secrets, logger });
  const delivered: string[] = [];
  const state = {
    source,
    logger,
    delivered,
    cursor: null as string | null,
    async poll(): Promise<PollResult> {
      const before = fake.requests.length;
      const result = await source.poll(state.cursor);
      state.cursor = result.cursor;
      delivered.push(...result.articles.map((a) => a.recordId));
      state.lastRequests = fake.requests.length - before;
      return result;
    },
    lastRequests: 0,
  };
  return state;
}

function expectEachOnce(delivered: string[], expected: string[]): void {
  expect(new Set(delivered).size).toBe(delivered.length);
  expect([...delivered].sort()).toEqual([...expected].sort());
}

async function startAt(now: number): Promise<FakeFusion> {
  const fake = await servers.start();
  fake.clock.set(now);
  return fake;
}

describe('AITable incremental poll', () => {
  it('delivers new records once each, one request per poll, however large the datasheet', async () => {
    const fake = await startAt(T0);
    for (let i = 0; i < 300; i += 1) fake.addRecord(article(`Archive ${i}`), { at: T0 - 86_400_000 });
    const p = poller(fake, { initialLookbackSeconds: 600 });
    const recent = fake.addRecord(article('Recent'), { at: T0 - 60_000 });
    expect((await p.poll()).articles.map((a) => a.headline)).toEqual(['Recent']);
    expect(p.lastRequests).toBe(1);

    fake.clock.advance(5000);
    const fresh = fake.addRecord(article('Fresh'));
    await p.poll();
    fake.clock.advance(5000);
    await p.poll();
    expect(p.lastRequests).toBe(1);
    expectEachOnce(p.delivered, [recent, fresh]);
    const formula = fake.requests.at(-1)?.query.get('filterByFormula') ?? '';
    expect(formula).toMatch(/^OR\(IS_AFTER\(CREATED_TIME\(\), \d+\), IS_AFTER\(LAST_MODIFIED_TIME\(\{Headline\}/);
  });

  it('takes a burst of 50 records in one poll and never repeats them', async () => {
    const fake = await startAt(T0);
    const p = poller(fake);
    await p.poll();
    fake.clock.advance(3000);
    const burst = Array.from({ length: 50 }, (_, i) => fake.addRecord(article(`Burst ${i}`), { at: T0 + 2000 + i * 20 }));
    const result = await p.poll();
    expect(result.articles).toHaveLength(50);
    expect(p.lastRequests).toBe(1);
    for (let i = 0; i < 4; i += 1) {
      fake.clock.advance(1000);
      expect((await p.poll()).articles).toHaveLength(0);
    }
    expectEachOnce(p.delivered, burst);
  });

  it('returns an edited record again with its new content, but not for write-back or no-op edits', async () => {
    const fake = await startAt(T0);
    const id = fake.addRecord(article('First draft'));
    const p = poller(fake);
    await p.poll();
    fake.clock.advance(10_000);
    fake.editRecord(id, { 'Image status': 'Generated', 'Image URL': 'https://img.example/1.webp' });
    expect((await p.poll()).articles).toHaveLength(0);
    fake.clock.advance(10_000);
    fake.editRecord(id, { Summary: 'Summary of First draft' }); // same content
    expect((await p.poll()).articles).toHaveLength(0);
    fake.clock.advance(10_000);
    fake.editRecord(id, { Headline: 'Final headline' });
    const edited = await p.poll();
    expect(edited.articles.map((a) => [a.recordId, a.headline])).toEqual([[id, 'Final headline']]);
    fake.clock.advance(10_000);
    expect((await p.poll()).articles).toHaveLength(0);
  });

  it('misses nothing added while a poll is in flight or committed late within the overlap', async () => {
    const fake = await startAt(T0);
    const p = poller(fake, { overlapSeconds: 3 });
    const ids = [fake.addRecord(article('Before'))];
    fake.onRequest = () => {
      ids.push(fake.addRecord(article('During'), { at: T0 + 400 }));
      fake.onRequest = null;
    };
    await p.poll();
    // after the reply, in the same second as the newest record seen
    ids.push(fake.addRecord(article('Same second'), { at: T0 + 600 }));
    // older than the newest record seen: a transaction that committed late
    ids.push(fake.addRecord(article('Late commit'), { at: T0 - 2000 }));
    fake.clock.advance(1000);
    await p.poll();
    fake.clock.advance(1000);
    await p.poll();
    expectEachOnce(p.delivered, ids);
  });

  it('holds the watermark when rows shift while paging, so a deletion cannot hide a record', async () => {
    const fake = await startAt(T0);
    const p = poller(fake, { pageSize: 2 });
    await p.poll();
    fake.clock.advance(5000);
    // ten seconds apart, so the skipped one is far older than the newest seen
    const ids = Array.from({ length: 5 }, (_, i) => fake.addRecord(article(`Paged ${i}`), { at: T0 + 5000 + i * 10_000 }));
    let pages = 0;
    fake.onRequest = () => {
      pages += 1;
      // after page 1 was read: rows shift up by one and page 2 skips "Paged 2"
      if (pages === 2) fake.deleteRecord(ids[0] ?? '');
    };
    await p.poll();
    fake.onRequest = null;
    expect(p.logger.entries.some((e) => e.msg?.includes('watermark held'))).toBe(true);
    fake.clock.advance(60_000); // far past the overlap: only the held watermark can still find them
    await p.poll();
    expectEachOnce(p.delivered, ids);
  });

  it('survives 429 storms and 500s without losing or repeating records', async () => {
    const fake = await startAt(T0);
    const p = poller(fake);
    const expected: string[] = [];
    for (let round = 0; round < 6; round += 1) {
      for (let i = 0; i < 4; i += 1) expected.push(fake.addRecord(article(`R${round}-${i}`), { at: fake.clock.now() - i * 300 }));
      fake.inject({ status: round % 2 ? 500 : 429, times: 2 });
      await p.poll();
      fake.clock.advance(2000);
    }
    // a failure that outlasts the retries: the poll throws, the core keeps the old cursor
    expected.push(fake.addRecord(article('Behind the outage')));
    fake.inject({ status: 503, times: 100 });
    await expect(p.source.poll(p.cursor)).rejects.toMatchObject({ kind: 'retryable' });
    fake.clearInjections();
    fake.clock.advance(30_000);
    await p.poll();
    expectEachOnce(p.delivered, expected);
  });

  it('reports malformed records as rejected and keeps the rest of the poll', async () => {
    const fake = await startAt(T0);
    const good = fake.addRecord(article('Fine'));
    const empty = fake.addRecord({ Summary: 'no headline here', Section: 'World' });
    const listy = fake.addRecord(article('Listy'));
    const p = poller(fake, { mapping: { storyType: 'Image' } });
    const uploaded = await p.source.client.uploadAttachment({ bytes: Buffer.from('x'), filename: 'a.txt', contentType: 'text/plain' });
    await p.source.client.updateRecords([{ recordId: listy, fields: { Image: [{ token: uploaded.token, name: 'a.txt' }] } }]);
    const result = await p.poll();
    expect(result.articles.map((a) => a.recordId)).toEqual([good]);
    expect(result.rejected).toEqual([
      { recordId: empty, reason: 'headline field "Headline" is empty' },
      { recordId: listy, reason: 'field "Image" holds a list, expected text' },
    ]);
    fake.clock.advance(1000);
    expect((await p.poll()).rejected).toHaveLength(0); // reported once, not every poll
  });

  it('starts over from the look-back on an unreadable cursor, with a warning', async () => {
    const fake = await startAt(T0);
    const id = fake.addRecord(article('Still here'), { at: T0 - 30_000 });
    const p = poller(fake, { initialLookbackSeconds: 60 });
    p.cursor = '{"not":"a cursor"}';
    expectEachOnce(
      (await p.poll()).articles.map((a) => a.recordId),
      [id],
    );
    expect(p.logger.entries.some((e) => e.level === 'warn' && e.msg?.includes('unreadable poll cursor'))).toBe(true);
  });

  it('fetches one record by id for "check now" and the webhook', async () => {
    const fake = await startAt(T0);
    const id = fake.addRecord(article('Wanted', { Breaking: true }));
    const source = createAitableSource(configFor(fake), { secrets });
    expect(await source.fetchOne(id)).toMatchObject({ recordId: id, headline: 'Wanted', breaking: true, tier: 'breaking' });
    expect(await source.fetchOne('recDoesNotExist1')).toBeNull();
    await expect(source.fetchOne('x"), TRUE()')).rejects.toMatchObject({ kind: 'bad_request' });
  });

  it('reads records skipped under a wrong mapping again once the mapping is fixed (the watermark had moved past them)', async () => {
    const fake = await startAt(T0);
    fake.fields.push({ id: 'fldTitle00001', name: 'Title', type: 'SingleText' });
    const ids = [
      fake.addRecord({ Title: 'Ferry back in service', Section: 'Local' }),
      fake.addRecord({ Title: 'Market moves indoors', Section: 'Local' }),
    ];
    const wrong = poller(fake);
    const first = await wrong.poll();
    expect(first.articles).toEqual([]);
    expect(first.rejected.map((r) => r.recordId).sort()).toEqual([...ids].sort());
    fake.clock.advance(60_000);
    await wrong.poll(); // the watermark moves on
    // the editor fixes the mapping (a restart with the new config, the same cursor)
    const fixed = poller(fake, { mapping: { headline: 'Title' } });
    fixed.cursor = wrong.cursor;
    await fixed.poll();
    expectEachOnce(fixed.delivered, ids);
    await fixed.poll();
    expectEachOnce(fixed.delivered, ids); // and only once
  });

  it('reads a skipped record again now and then, so a fix made in AITable alone brings it in', async () => {
    const fake = await startAt(T0);
    const id = fake.addRecord({ Summary: 'A headline is still to come', Section: 'Local' });
    const p = poller(fake);
    expect((await p.poll()).rejected.map((r) => r.recordId)).toEqual([id]);
    // fixed without touching a mapped field's edit time (a field type change, a formula recomputed)
    fake.records.find((r) => r.recordId === id)!.cells.set('fldHeadline01', 'Headline filled in later');
    for (let i = 0; i < 12 && p.delivered.length === 0; i++) await p.poll();
    expect(p.delivered).toEqual([id]);
  });

  it("says what a refused poll query usually means (a mapped field missing), not only AITable's code", async () => {
    const fake = await startAt(T0);
    fake.inject({ code: 400, message: 'api_param_formula_error', match: (r) => r.path.endsWith('/records'), times: 1 });
    const error = await poller(fake)
      .poll()
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toContain('api_param_formula_error');
    expect(error?.message).toContain('a field may be missing or renamed; run `hero-desk check`');
  });
});
