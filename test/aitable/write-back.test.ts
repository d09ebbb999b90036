import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createAitableClient, createAitableWriteBack } from '../../electron/core/adapters/aitable/index.ts';
import type { AitableConfigInput } from '../../electron/core/adapters/aitable/index.ts';
import type { FakeFusion } from './fake-fusion-server.ts';
import { article, configFor, fakeServers, memoryLogger, secrets } from './helpers.ts';

const servers = fakeServers();
afterEach(() => servers.closeAll());

const FIELDS = { status: 'Image status', imageUrl: 'Image URL', imageAttachment: 'Image', score: 'Score', cost: 'Cost', altText: 'Alt text' };

function writeBackFor(fake: FakeFusion, overrides: Partial<AitableConfigInput> = {}) {
  const logger = memoryLogger();
  const writeBack = createAitableWriteBack(configFor(fake, { writeBack: { enabled: true, fields: FIELDS, flushDelayMs: 20 }, ...overrides }), { secrets, logger });
  return { writeBack, logger };
}

const patches = (fake: FakeFusion) => fake.requests.filter((r) => r.method === 'PATCH').map((r) => (r.body as { records: { recordId: string; fields: Record<string, unknown> }[] }).records);

describe('AITable write-back', () => {
  it('never blocks, coalesces to the latest state per record and batches at most 10 per request', async () => {
    const fake = await servers.start();
    const ids = Array.from({ length: 23 }, (_, i) => fake.addRecord(article(`S${i}`)));
    const { writeBack } = writeBackFor(fake);
    for (const recordId of ids) {
      expect(writeBack.report({ recordId, status: 'queued' })).toBeUndefined();
      writeBack.report({ recordId, status: 'generated', imageUrl: `https://img.example/${recordId}.webp`, score: 7.5, costUsd: 0.0400004 });
      writeBack.report({ recordId, status: 'approved', altText: 'A river in flood' });
    }
    expect(writeBack.pending()).toBe(23);
    expect(fake.requests).toHaveLength(0);
    await writeBack.close();
    const batches = patches(fake);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches[0]?.[0]?.fields).toEqual({
      'Image status': 'Approved',
      'Image URL': `https://img.example/${ids[0]}.webp`,
      Score: 7.5,
      Cost: 0.04,
      'Alt text': 'A river in flood',
    });
    expect(fake.cellsOf(ids[22] ?? '')).toMatchObject({ 'Image status': 'Approved', 'Image URL': { text: `https://img.example/${ids[22]}.webp` } });
  });

  it('flushes on its own after the coalescing delay', async () => {
    const fake = await servers.start();
    const id = fake.addRecord(article('Solo'));
    const { writeBack } = writeBackFor(fake);
    writeBack.report({ recordId: id, status: 'queued' });
    await expect.poll(() => fake.cellsOf(id)['Image status'], { timeout: 5000 }).toBe('Queued');
    await writeBack.close();
  });

  it('uploads the image, then sets the attachment cell to its token', async () => {
    const fake = await servers.start();
    const id = fake.addRecord(article('Pictured'));
    const bytes = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#884422' } }).webp().toBuffer();
    const { writeBack } = writeBackFor(fake);
    writeBack.report({ recordId: id, status: 'published', image: { bytes, filename: 'hero.webp', contentType: 'image/webp' } });
    await writeBack.close();
    const order = fake.requests.map((r) => `${r.method} ${r.path.split('/').at(-1)}`);
    expect(order).toEqual(['POST attachments', 'PATCH records']);
    const cell = fake.cellsOf(id).Image as { token: string; name: string; width: number }[];
    expect(cell).toHaveLength(1);
    expect(cell[0]).toMatchObject({ name: 'hero.webp', width: 64 });
    expect(fake.uploads.has(cell[0]?.token ?? '')).toBe(true);
  });

  it('keeps writing the other records when one was deleted', async () => {
    const fake = await servers.start();
    const ids = Array.from({ length: 4 }, (_, i) => fake.addRecord(article(`S${i}`)));
    fake.deleteRecord(ids[1] ?? '');
    const { writeBack, logger } = writeBackFor(fake);
    for (const recordId of ids) writeBack.report({ recordId, status: 'failed' });
    await writeBack.close();
    for (const id of [ids[0], ids[2], ids[3]]) expect(fake.cellsOf(id ?? '')['Image status']).toBe('Failed');
    expect(logger.entries.some((e) => e.msg === 'AITable write-back dropped' && (e.obj as { recordId?: string }).recordId === ids[1])).toBe(true);
  });

  it('retries through 429s and 500s, sharing the client rate limiter', async () => {
    const fake = await servers.start();
    const ids = Array.from({ length: 12 }, (_, i) => fake.addRecord(article(`S${i}`)));
    const config = configFor(fake, { writeBack: { enabled: true, fields: FIELDS, flushDelayMs: 20 } });
    const client = createAitableClient(config, { secrets });
    const writeBack = createAitableWriteBack(config, { secrets, client });
    fake.inject({ status: 429, times: 2 });
    fake.inject({ status: 500, times: 1 });
    for (const recordId of ids) writeBack.report({ recordId, status: 'rejected' });
    await writeBack.close();
    expect(ids.every((id) => fake.cellsOf(id)['Image status'] === 'Rejected')).toBe(true);
    expect(patches(fake).every((b) => b.length <= 10)).toBe(true);
  });

  it('uses custom status labels and does nothing when disabled', async () => {
    const fake = await servers.start();
    const id = fake.addRecord(article('Labelled'));
    const labelled = createAitableWriteBack(configFor(fake, { writeBack: { enabled: true, fields: { status: 'Image status', imageUrl: null }, statusLabels: { published: 'Live' } } }), { secrets });
    labelled.report({ recordId: id, status: 'published', imageUrl: 'https://ignored.example/x.webp' });
    await labelled.close();
    expect(fake.cellsOf(id)).toMatchObject({ 'Image status': 'Live' });
    expect(fake.cellsOf(id)['Image URL']).toBeUndefined();

    const before = fake.requests.length;
    const off = createAitableWriteBack(configFor(fake), { secrets });
    off.report({ recordId: id, status: 'failed' });
    await off.close();
    expect(fake.requests.length).toBe(before);
  });
});
