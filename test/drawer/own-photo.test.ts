// The editor's own photo on the real core: checked by decoding it (non-images, damaged, tiny and
// enormous files refused with a message naming the fix), stored like any image, published as a
// photo (IPTC digital capture, the editor's credit, no AI fields), cropped around the editor's
// focal point, and its alt text written back to AITable.
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { DIGITAL_SOURCE_TYPE_AI, DIGITAL_SOURCE_TYPE_PHOTO, readDisclosure } from '../../electron/core/imaging/disclosure.ts';
import { startFakeFusionServer, type FakeFusion } from '../aitable/fake-fusion-server.ts';
import { waitFor } from '../helpers/temp.ts';
import { articleFrames, call, cardOf, coreHarness, detailOf, fetchBytes, halvesPhoto, redShare, waitForStatus } from './harness.ts';

const harness = coreHarness();
const fakes: FakeFusion[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const fake of fakes.splice(0)) await fake.close();
});

const upload = (bytes: Buffer, fileName = 'harbour.jpg', credit?: string) => ({
  fileName,
  dataBase64: bytes.toString('base64'),
  ...(credit ? { credit } : {}),
});

/** A PNG that only claims to be huge: a valid header (IHDR) and almost nothing to decode. */
function claimedPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(16))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe("the editor's own photo", () => {
  it('refuses what it cannot publish, each with a message that says what to do', async () => {
    const core = await harness.boot();
    await waitForStatus(core, 'recDemo004', 'generated');
    const refusal = async (input: ReturnType<typeof upload>) => {
      const result = await core.dispatch('uploadImage', { articleId: 'recDemo004', ...input });
      expect(result.ok).toBe(false);
      return result.ok ? null : result.error;
    };
    const photo = await halvesPhoto(2400, 1350);
    expect(await refusal(upload(Buffer.from('%PDF-1.7 not really a photo'), 'brief.pdf'))).toEqual({
      code: 'invalid_input',
      message: '“brief.pdf” is not an image Hero Desk can read; use a JPEG, PNG, WebP or AVIF photo',
    });
    expect((await refusal(upload(photo.subarray(0, Math.floor(photo.length / 2)), 'cut.jpg')))?.message).toBe(
      '“cut.jpg” is damaged or cut short (it does not decode); save or download it again',
    );
    const tiny = await sharp({ create: { width: 640, height: 360, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    expect((await refusal(upload(tiny, 'thumb.jpg')))?.message).toMatch(/only 640×360; use one at least 1200×630/);
    expect((await refusal(upload(claimedPng(12_000, 9_000), 'scan.png')))?.message).toMatch(
      /12000×9000 \(108 megapixels\); the limit is 50: resize it first/,
    );
    const gif = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#888' } })
      .gif()
      .toBuffer();
    expect((await refusal(upload(gif, 'anim.gif')))?.message).toBe('“anim.gif” is a GIF file; use a JPEG, PNG, WebP or AVIF photo');
    // nothing was kept, and the story is as it was
    expect((await detailOf(core, 'recDemo004')).candidates).toHaveLength(1);
    expect((await cardOf(core, 'recDemo004'))?.image?.provider).toBe('title-card');
  }, 60_000);

  it('is published as a photo with the credit, no AI disclosure, cropped around the focal point the editor set', async () => {
    const core = await harness.boot({ config: { approveUndoSeconds: 0, site: 'The Harbour Herald' } });
    await waitForStatus(core, 'recDemo004', 'generated');
    const { imageId } = await call<{ imageId: number }>(core, 'uploadImage', {
      articleId: 'recDemo004',
      ...upload(await halvesPhoto(2400, 800), 'C:\\Photos\\quay.jpg', 'Jane Doe'),
    });
    const card = (await cardOf(core, 'recDemo004'))!;
    expect(card).toMatchObject({ status: 'generated', image: { provider: 'editor', model: 'photo', width: 2400, height: 800 } });
    const photo = (await detailOf(core, 'recDemo004')).candidates.find((c) => c.imageId === imageId)!;
    expect(photo).toMatchObject({
      current: true,
      source: 'editor',
      aiGenerated: false,
      fileName: 'quay.jpg',
      credit: 'Photo: Jane Doe',
      creditOverride: 'Jane Doe',
      seed: null,
      attempt: null,
      focalPoint: null,
    });
    expect(photo.altText).toMatch(/^Photo for ".+"\.$/);
    expect(await fetchBytes(photo.thumbUrl)).toBeTruthy();

    // the focal point on the red (left) half, alt text written by the editor
    await call(core, 'setImageDetails', {
      articleId: 'recDemo004',
      imageId,
      focalPoint: { x: 0, y: 0.5 },
      altText: 'The quay at dusk, with the ferry in.',
    });
    const frames = await harness.reader(core);
    await call(core, 'approve', { articleId: 'recDemo004' });
    await waitForStatus(core, 'recDemo004', 'published');
    await waitFor(() => articleFrames(frames, 'recDemo004').length === 1, 5_000, 'reader frame');
    const first = articleFrames(frames, 'recDemo004')[0]!.message!;
    expect(first).toMatchObject({ altText: 'The quay at dusk, with the ferry in.', credit: 'Photo: Jane Doe' });
    // a 16:9 crop of a 3:1 photo is 1422 px wide: at the left edge it is 84% red
    expect(await redShare(await fetchBytes(first.imageUrl!))).toBeGreaterThan(0.8);
    for (const [name, url] of Object.entries(first.variants ?? {})) {
      if (!name.endsWith('.jpeg') && !name.endsWith('.webp')) continue;
      const xmp = await readDisclosure(await fetchBytes(url));
      expect(xmp, name).toMatchObject({
        digitalSourceType: DIGITAL_SOURCE_TYPE_PHOTO,
        creator: 'Jane Doe',
        credit: 'Photo: Jane Doe',
        model: null,
        prompt: null,
        altText: 'The quay at dusk, with the ferry in.',
      });
      expect(xmp?.digitalSourceType).not.toBe(DIGITAL_SOURCE_TYPE_AI);
    }

    // moved to the blue (right) half while live: readers get new variants as a new version
    await call(core, 'setImageDetails', { articleId: 'recDemo004', imageId, focalPoint: { x: 1, y: 0.5 } });
    await waitFor(() => articleFrames(frames, 'recDemo004').length === 2, 20_000, 'second version');
    const second = articleFrames(frames, 'recDemo004')[1]!.message!;
    expect(second.version).toBeGreaterThan(first.version);
    expect(second.imageUrl).not.toBe(first.imageUrl);
    expect(await redShare(await fetchBytes(second.imageUrl!))).toBeLessThan(0.2);
    expect((await detailOf(core, 'recDemo004')).candidates.find((c) => c.imageId === imageId)?.focalPoint).toEqual({ x: 1, y: 0.5 });
  }, 90_000);

  it("writes the editor's alt text back to the AITable record", async () => {
    const fake = await startFakeFusionServer();
    fakes.push(fake);
    const recordId = fake.addRecord({
      Headline: 'Ferry strike called off',
      Summary: 'Crews accepted the offer overnight.',
      Section: 'Local',
    });
    const core = await harness.boot({
      config: {
        source: {
          type: 'aitable',
          baseUrl: fake.baseUrl,
          datasheetId: fake.datasheetId,
          pollIntervalMs: 500,
          writeBack: { enabled: true, flushDelayMs: 20, fields: { altText: 'Alt text' } },
          retry: { retries: 4, minTimeoutMs: 5, maxTimeoutMs: 40 },
        },
        approveUndoSeconds: 0,
      },
      keys: { aitable: 'test-token' },
    });
    await waitForStatus(core, recordId, 'generated');
    const { imageId } = await call<{ imageId: number }>(core, 'uploadImage', {
      articleId: recordId,
      ...upload(await halvesPhoto(1600, 900, 'png'), 'ferry.png'),
    });
    await call(core, 'setImageDetails', {
      articleId: recordId,
      imageId,
      altText: 'Ferry crews back at work on the quay.',
      credit: 'Harbour Herald staff',
    });
    await call(core, 'approve', { articleId: recordId });
    await waitFor(() => fake.cellsOf(recordId)['Image status'] === 'Published', 20_000, 'published written back');
    expect(fake.cellsOf(recordId)['Alt text']).toBe('Ferry crews back at work on the quay.');
    expect((await detailOf(core, recordId)).candidates.find((c) => c.imageId === imageId)?.credit).toBe('Photo: Harbour Herald staff');
  }, 60_000);
});
