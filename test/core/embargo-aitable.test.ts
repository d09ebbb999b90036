// An embargo mapped from AITable: the record's DateTime field holds an approved story, and editing
// it in AITable after approval moves the publication. An embargo changed on the board stays until
// the record's own value changes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { DEFAULT_FIELDS, startFakeFusionServer, type FakeFusion } from '../aitable/fake-fusion-server.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { articleFrames, call, cardOf, coreHarness, waitForStatus } from '../drawer/harness.ts';

const dirs = tempDirs();
const harness = coreHarness();
const cores: RunningCore[] = [];
const fakes: FakeFusion[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  for (const fake of fakes.splice(0)) await fake.close();
  await harness.cleanup();
  dirs.cleanup();
});

async function boot(fake: FakeFusion) {
  const dataDir = dirs.make();
  writeFileSync(
    join(dataDir, 'hero-desk.config.json'),
    JSON.stringify({
      approveUndoSeconds: 0,
      source: {
        type: 'aitable',
        baseUrl: fake.baseUrl,
        datasheetId: fake.datasheetId,
        pollIntervalMs: 500,
        mapping: { embargo: 'Embargo' },
        retry: { retries: 4, minTimeoutMs: 5, maxTimeoutMs: 40 },
      },
    }),
  );
  const core = await startCore({
    dataDir,
    transport: 'web',
    secrets: { get: (n) => (n === 'aitable' ? 'test-token' : undefined) },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
  });
  cores.push(core);
  return core;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('embargo from AITable', () => {
  it('holds an approved story until the record says; an edit in AITable after approval moves it', async () => {
    const fake = await startFakeFusionServer({ fields: [...DEFAULT_FIELDS, { id: 'fldEmbargo01', name: 'Embargo', type: 'DateTime' }] });
    fakes.push(fake);
    const inAnHour = Date.now() + 3_600_000;
    const recordId = fake.addRecord({
      Headline: 'Budget vote results',
      Summary: 'Council publishes at two.',
      Section: 'Politics',
      Embargo: inAnHour,
    });
    const core = await boot(fake);
    const frames = await harness.reader(core);
    await waitForStatus(core, recordId, 'generated');
    expect((await cardOf(core, recordId))?.embargoUntil).toBe(inAnHour);

    await call(core, 'approve', { articleId: recordId });
    await sleep(1_500);
    expect(articleFrames(frames, recordId)).toEqual([]);
    expect((await cardOf(core, recordId))?.status).toBe('approved');

    // the desk moves the embargo forward in AITable: the approved story follows it
    const soon = Date.now() + 2_500;
    fake.editRecord(recordId, { Embargo: soon });
    await waitFor(async () => (await cardOf(core, recordId))?.embargoUntil === soon, 10_000, 'the embargo moved');
    await waitFor(() => articleFrames(frames, recordId).length > 0, 20_000, 'published at the new time');
    expect(Date.now()).toBeGreaterThanOrEqual(soon);
    await waitForStatus(core, recordId, 'published', 5_000);
  }, 60_000);

  it('an embargo set on the board stays through unrelated edits of the record, and yields to a new value there', async () => {
    const fake = await startFakeFusionServer({ fields: [...DEFAULT_FIELDS, { id: 'fldEmbargo01', name: 'Embargo', type: 'DateTime' }] });
    fakes.push(fake);
    const recordId = fake.addRecord({ Headline: 'Harbour festival line-up', Summary: 'Twelve bands over two days.', Section: 'Culture' });
    const core = await boot(fake);
    await waitForStatus(core, recordId, 'generated');
    expect((await cardOf(core, recordId))?.embargoUntil).toBeNull();

    const boardTime = Date.now() + 3_600_000;
    await call(core, 'setEmbargo', { articleId: recordId, publishAt: boardTime });
    fake.editRecord(recordId, { Section: 'Local' }); // the record comes in again; its embargo (none) did not change
    await waitFor(async () => (await cardOf(core, recordId))?.section === 'Local', 10_000, 'the edit was read');
    expect((await cardOf(core, recordId))?.embargoUntil).toBe(boardTime);

    const recordTime = Date.now() + 7_200_000;
    fake.editRecord(recordId, { Embargo: recordTime });
    await waitFor(async () => (await cardOf(core, recordId))?.embargoUntil === recordTime, 10_000, 'the record’s embargo won');
  }, 60_000);
});
