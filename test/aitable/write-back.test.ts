// The AITable write-back adapter against the fake Fusion API: fields mapped and batched, the
// attachment cell replaced by one file, and the quiet ways the API fails made loud (a deleted
// field is dropped with HTTP 200; one deleted record fails a whole batch).
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createAitableClient, createAitableWriteBack } from '../../electron/core/adapters/aitable/index.ts';
import type { AitableConfigInput } from '../../electron/core/adapters/aitable/index.ts';
import type { RecordWrite } from '../../electron/core/adapters/types.ts';
import type { FakeFusion } from './fake-fusion-server.ts';
import { article, configFor, fakeServers, secrets } from './helpers.ts';
import { rejection } from '../helpers/rejection.ts';

const servers = fakeServers();
afterEach(() => servers.closeAll());

const FIELDS = {
  status: 'Image status',
  imageUrl: 'Image URL',
  imageAttachment: 'Image',
  score: 'Score',
  cost: 'Cost',
  altText: 'Alt text',
};
const signal = new AbortController().signal;

function writeBackFor(fake: FakeFusion, overrides: Partial<AitableConfigInput> = {}) {
  return createAitableWriteBack(configFor(fake, { writeBack: { enabled: true, fields: FIELDS }, ...overrides }), { secrets });
}

function state(recordId: string, extra: Partial<RecordWrite> = {}): RecordWrite {
  return {
    recordId,
    status: 'generated',
    imageUrl: `https://img.example/${recordId}.webp`,
    score: 7.5,
    costUsd: 0.0400004,
    altText: 'A river in flood',
    credit: null,
    aiGenerated: null,
    safetyOverride: null,
    attachment: null,
    ...extra,
  };
}

const patches = (fake: FakeFusion) =>
  fake.requests
    .filter((r) => r.method === 'PATCH')
    .map((r) => (r.body as { records: { recordId: string; fields: Record<string, unknown> }[] }).records);

describe('AITable write-back adapter', () => {
  it('maps a state onto the configured fields and writes up to 10 records per request', async () => {
    const fake = await servers.start();
    const ids = Array.from({ length: 10 }, (_, i) => fake.addRecord(article(`S${i}`)));
    const writeBack = writeBackFor(fake);
    expect(writeBack.batchSize).toBe(10);
    expect(writeBack.wantsAttachment).toBe(true);
    const outcomes = await writeBack.write(
      ids.map((id) => state(id, { status: 'approved' })),
      signal,
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(patches(fake)).toHaveLength(1);
    expect(patches(fake)[0]?.[0]?.fields).toEqual({
      'Image status': 'Approved',
      'Image URL': `https://img.example/${ids[0]}.webp`,
      Score: 7.5,
      Cost: 0.04,
      'Alt text': 'A river in flood',
      Image: null, // nothing live: the attachment cell is cleared
    });
    expect(fake.cellsOf(ids[9] ?? '')).toMatchObject({
      'Image status': 'Approved',
      'Image URL': { text: `https://img.example/${ids[9]}.webp` },
    });
  });

  it('uploads a file and puts exactly that one file in the attachment cell', async () => {
    const fake = await servers.start();
    const id = fake.addRecord(article('Pictured'));
    const bytes = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#884422' } })
      .webp()
      .toBuffer();
    const writeBack = writeBackFor(fake);
    const uploaded = await writeBack.uploadAttachment({ bytes, filename: 'hero.webp', contentType: 'image/webp' }, signal);
    await writeBack.write([state(id, { status: 'published', attachment: uploaded })], signal);
    await writeBack.write([state(id, { status: 'published', attachment: uploaded })], signal); // a retry
    const cell = fake.cellsOf(id).Image as { token: string; name: string; width: number }[];
    expect(cell).toHaveLength(1);
    expect(cell[0]).toMatchObject({ name: 'hero.webp', width: 64, token: uploaded.token });
    expect(fake.uploads.size).toBe(1);
  });

  it('names a deleted record and still writes the others of its batch', async () => {
    const fake = await servers.start();
    const ids = Array.from({ length: 4 }, (_, i) => fake.addRecord(article(`S${i}`)));
    fake.deleteRecord(ids[1] ?? '');
    const outcomes = await writeBackFor(fake).write(
      ids.map((id) => state(id, { status: 'failed' })),
      signal,
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
    expect(outcomes[1]).toMatchObject({ recordId: ids[1], ok: false, gone: true });
    for (const id of [ids[0], ids[2], ids[3]]) expect(fake.cellsOf(id ?? '')['Image status']).toBe('Failed');
  });

  it('fails loudly when a write-back field was deleted (the API drops it with HTTP 200), suggesting the field that exists', async () => {
    const fake = await servers.start({
      fields: [
        { id: 'fldHeadline01', name: 'Headline', type: 'SingleText', isPrimary: true },
        { id: 'fldStatus0001', name: 'Image Status', type: 'SingleSelect', property: { options: [] } },
        { id: 'fldScore00001', name: 'Score', type: 'Number' },
      ],
    });
    const id = fake.addRecord({ Headline: 'Renamed' });
    const fields = { status: 'Image status', imageUrl: null, score: 'Score' };
    // one field still matches: the server answers 200 and drops the other
    const dropped = await rejection(
      createAitableWriteBack(configFor(fake, { writeBack: { enabled: true, fields } }), { secrets }).write([state(id)], signal),
    );
    expect(dropped).toMatchObject({ kind: 'bad_request' });
    expect(dropped.message).toContain('no field "Image status" (source.writeBack.fields.status) — did you mean "Image Status"?');
    // no field matches: the server refuses the record; still named as the missing field, not blamed on the record
    const onlyStatus = createAitableWriteBack(configFor(fake, { writeBack: { enabled: true, fields: { ...fields, score: null } } }), {
      secrets,
    });
    const refused = await rejection(onlyStatus.write([state(id)], signal));
    expect(refused.message).toContain('no field "Image status"');
    expect(fake.cellsOf(id)['Score']).toBe(7.5);
  });

  it('throws transient faults for the core to retry, and shares the client rate limiter', async () => {
    const fake = await servers.start();
    const id = fake.addRecord(article('Busy'));
    const config = configFor(fake, {
      writeBack: { enabled: true, fields: FIELDS },
      retry: { retries: 0, minTimeoutMs: 5, maxTimeoutMs: 5 },
    });
    const client = createAitableClient(config, { secrets });
    const writeBack = createAitableWriteBack(config, { secrets, client });
    fake.inject({ status: 503, times: 1 });
    expect(await rejection(writeBack.write([state(id)], signal))).toMatchObject({ kind: 'retryable' });
    fake.inject({ status: 401, times: 1 });
    expect(await rejection(writeBack.write([state(id)], signal))).toMatchObject({ kind: 'auth' });
    expect((await writeBack.write([state(id)], signal))[0]).toMatchObject({ ok: true });
  });

  it('uses custom status labels and leaves unmapped fields alone', async () => {
    const fake = await servers.start();
    const id = fake.addRecord(article('Labelled'));
    const labelled = createAitableWriteBack(
      configFor(fake, {
        writeBack: { enabled: true, fields: { status: 'Image status', imageUrl: null }, statusLabels: { published: 'Live' } },
      }),
      { secrets },
    );
    expect(labelled.wantsAttachment).toBe(false);
    await labelled.write([state(id, { status: 'published' })], signal);
    expect(fake.cellsOf(id)).toMatchObject({ 'Image status': 'Live' });
    expect(fake.cellsOf(id)['Image URL']).toBeUndefined();
  });
});
