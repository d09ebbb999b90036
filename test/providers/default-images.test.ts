import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDefaultImageProvider,
  pickIndex,
  sectionSlug,
  shippedDefaultImagesDir,
  sourceTreeDefaultImagesDir,
} from '../../electron/core/adapters/default-images/default-image-provider.ts';
import { buildProvider, ENTRY_SCHEMAS, type AdapterDeps } from '../../electron/core/adapters/registry/index.ts';
import { ConfigError } from '../../electron/core/config/errors.ts';
import { expectAdapterError, imageSize, request, secrets } from './helpers.ts';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'hd-default-images-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function addImage(dir: string, name: string, color: { r: number; g: number; b: number }): Promise<void> {
  await mkdir(dir, { recursive: true });
  await sharp({ create: { width: 400, height: 300, channels: 3, background: color } })
    .png()
    .toFile(join(dir, name));
}

describe('default-image provider', () => {
  it('ships 4 sections × 2 images plus a generic set, found from source', async () => {
    const { readdir } = await import('node:fs/promises');
    const root = sourceTreeDefaultImagesDir();
    expect(shippedDefaultImagesDir()).toBe(root);
    for (const section of ['politics', 'business', 'sport', 'culture']) {
      expect((await readdir(join(root, section))).filter((f) => f.endsWith('.jpg'))).toHaveLength(2);
    }
    expect((await readdir(join(root, 'generic'))).length).toBeGreaterThanOrEqual(2);
  });

  it('picks deterministically per article + seed within the section, cropped to the requested size', async () => {
    const provider = createDefaultImageProvider();
    expect(provider).toMatchObject({ name: 'default-image', synthetic: true });
    const a = await provider.generate(request({ section: 'Politics', width: 1200, height: 630 }));
    const again = await provider.generate(request({ section: 'Politics', width: 1200, height: 630 }));
    expect(again.model).toBe(a.model);
    expect(again.bytes.equals(a.bytes)).toBe(true);
    expect(a.model).toMatch(/^default-image:politics\/politics-\d-\w+\.jpg$/);
    expect(a).toMatchObject({ contentType: 'image/jpeg', costUsd: 0, seed: null, c2pa: false });
    expect(await imageSize(a.bytes)).toEqual({ width: 1200, height: 630, format: 'jpeg' });

    const models = new Set<string>();
    for (let i = 0; i < 10; i++)
      models.add((await provider.generate(request({ articleId: `rec-${i}`, section: 'politics', width: 64, height: 36 }))).model);
    expect(models.size).toBe(2); // both politics images get used, nothing else
    expect(pickIndex('rec-1', 1, 7)).toBe(pickIndex('rec-1', 1, 7));
    expect(new Set(Array.from({ length: 50 }, (_, i) => pickIndex('rec-1', i, 7))).size).toBe(7); // the seed changes the pick
  });

  it('matches sections by slug (case, plural) and falls back to the generic set', async () => {
    const provider = createDefaultImageProvider();
    expect((await provider.generate(request({ section: 'Sports', width: 64, height: 36 }))).model).toMatch(/^default-image:sport\//);
    const weather = await provider.generate(request({ section: 'Weather & Climate', width: 64, height: 36 }));
    expect(weather.model).toMatch(/^default-image:generic\//);
    expect(weather.detail).toContain('no images for section "Weather & Climate"');
    expect(sectionSlug('Économie & Finances')).toBe('economie-finances');
  });

  it('a newsroom dir overrides: its section first, then its generic, then the shipped set', async () => {
    await addImage(join(tmp, 'weather-climate'), 'storm.png', { r: 10, g: 20, b: 200 });
    const provider = createDefaultImageProvider({ dir: tmp });
    const weather = await provider.generate(request({ section: 'Weather & Climate', width: 320, height: 180 }));
    expect(weather.model).toBe('default-image:weather-climate/storm.png');
    expect(weather.contentType).toBe('image/png');
    expect(await imageSize(weather.bytes)).toMatchObject({ width: 320, height: 180, format: 'png' });
    expect((await provider.generate(request({ section: 'Business', width: 64, height: 36 }))).model).toMatch(
      /^default-image:business\/business-/,
    );

    await addImage(join(tmp, 'generic'), 'house.png', { r: 200, g: 200, b: 200 });
    expect((await provider.generate(request({ section: 'Business', width: 64, height: 36 }))).model).toBe(
      'default-image:generic/house.png',
    );
  });

  it('with no images anywhere it is a bad request, from check() too; an aborted request stops', async () => {
    const empty = createDefaultImageProvider({ dir: join(tmp, 'missing') }, { builtinDir: join(tmp, 'also-missing') });
    await expectAdapterError(empty.generate(request()), 'bad_request');
    await expectAdapterError(empty.check?.() ?? Promise.resolve(), 'bad_request');
    await expect(createDefaultImageProvider().check?.()).resolves.toBeUndefined();
    const controller = new AbortController();
    controller.abort();
    await expect(createDefaultImageProvider().generate(request({ signal: controller.signal }))).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('the provider registry', () => {
  it('names every provider type and builds from a config entry, rejecting bad options', async () => {
    expect(Object.keys(ENTRY_SCHEMAS.provider)).toEqual([
      'workers-ai',
      'automatic1111',
      'comfyui',
      'replicate',
      'default-image',
      'title-card',
      'openai',
    ]);
    // a pino logger satisfies the adapters' logger (this line is the type check)
    const deps: AdapterDeps = { secrets: secrets({}), logger: pino({ level: 'silent' }), defaultImagesDir: tmp };
    await addImage(join(tmp, 'generic'), 'only.png', { r: 1, g: 2, b: 3 });
    const provider = buildProvider('fallback', { type: 'default-image' }, deps);
    expect((await provider.generate(request({ width: 32, height: 32 }))).model).toBe('default-image:generic/only.png');
    expect(buildProvider('sdxl', { type: 'comfyui' }, deps).name).toBe('sdxl');
    expect(() => buildProvider('r', { type: 'replicate' }, deps)).toThrow(ConfigError);
    expect(() => buildProvider('w', { type: 'workers-ai', accountId: 'a', model: 'flux' }, deps)).toThrow(
      /^providers\.w \(workers-ai\) is invalid:\n/,
    );
    expect(() => buildProvider('m', { type: 'midjourney' }, deps)).toThrow('providers.m.type: unknown provider type "midjourney"');
  });
});
