// The real core (startCore) on a temp data dir for the drawer's tests, with a reader socket on its
// bundled relay and a few photo files made with sharp.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import WebSocket from 'ws';
import type { Card, CardDetail } from '../../shared/domain.ts';
import { startCore, type RunningCore, type StartCoreOptions } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { readerFrame, type ReaderFrame } from '../helpers/frames.ts';

export type { ReaderFrame };

export function coreHarness() {
  const dirs = tempDirs();
  const cores: RunningCore[] = [];
  const sockets: WebSocket[] = [];
  return {
    dirs,
    async boot(
      options: {
        config?: Record<string, unknown>;
        records?: { recordId: string; fields: Record<string, unknown> }[];
        keys?: Record<string, string>;
      } & Partial<StartCoreOptions> = {},
    ) {
      const { config, records, keys = {}, ...rest } = options;
      const dataDir = dirs.make();
      if (records) writeFileSync(join(dataDir, 'demo-datasheet.json'), JSON.stringify({ records }));
      if (config) writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify(config));
      const core = await startCore({
        dataDir,
        transport: 'web',
        secrets: { get: (name) => keys[name] },
        logger: silentLogger(),
        mediaPort: 0,
        relayPort: 0,
        ...rest,
      });
      cores.push(core);
      return core;
    },
    /** A reader on the core's bundled relay, collecting every frame. */
    async reader(core: RunningCore): Promise<ReaderFrame[]> {
      const frames: ReaderFrame[] = [];
      const socket = new WebSocket(`${core.readerUrl!.replace('http', 'ws').replace('/reader', '')}/ws`);
      sockets.push(socket);
      socket.on('message', (data) => frames.push(readerFrame(data)));
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      return frames;
    },
    async cleanup() {
      for (const socket of sockets.splice(0)) socket.terminate();
      for (const core of cores.splice(0)) await core.stop();
      dirs.cleanup();
    },
  };
}

export async function call<T = unknown>(core: RunningCore, name: string, input: unknown = {}): Promise<T> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

export async function cardOf(core: RunningCore, id: string): Promise<Card | undefined> {
  return (await call<{ cards: Card[] }>(core, 'snapshot')).cards.find((c) => c.articleId === id);
}

export const detailOf = (core: RunningCore, articleId: string) => call<CardDetail>(core, 'cardDetail', { articleId });

export async function waitForStatus(core: RunningCore, id: string, status: string, timeoutMs = 20_000): Promise<Card> {
  return waitFor(
    async () => {
      const card = await cardOf(core, id);
      return card?.status === status ? card : undefined;
    },
    timeoutMs,
    `${id} ${status}`,
  );
}

export const articleFrames = (frames: ReaderFrame[], articleId: string) =>
  frames.filter((frame) => frame.type === 'article' && frame.message?.articleId === articleId);

/** A photo whose left half is red and right half blue: which half a crop shows says where it sat. */
export async function halvesPhoto(width = 2400, height = 800, format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const half = await sharp({ create: { width: width / 2, height, channels: 3, background: '#0030e0' } })
    .png()
    .toBuffer();
  const image = sharp({ create: { width, height, channels: 3, background: '#e00000' } }).composite([
    { input: half, left: width / 2, top: 0 },
  ]);
  return format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : image.png().toBuffer();
}

/** Share of an image's pixels that are clearly red (vs blue). */
export async function redShare(bytes: Buffer): Promise<number> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) if ((data[i] ?? 0) > (data[i + 2] ?? 0)) red++;
  return red / (info.width * info.height);
}

export async function fetchBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
