// The storage seam: local disk (embedded: it starts the media server that serves the files) or R2.
import { join } from 'node:path';
import { z } from 'zod';
import type { AdapterEntry } from '../../config/schema.ts';
import { choosePort, DEFAULT_PORTS } from '../../net/listen.ts';
import type { ImageStorage } from '../types.ts';
import { createDiskStorage } from '../embedded/disk-storage.ts';
import { startMediaServer } from '../embedded/media-server.ts';
import { createR2Storage, R2ConfigSchema } from '../r2/r2-storage.ts';
import { buildFromEntry, runFactory, type RunDeps } from './factory.ts';

/** The disk store takes no options: its folder is in the data dir, its server is under `media`. */
const DiskOptionsSchema = z.strictObject({});

/**
 * A worker's disk storage has no server: it writes and reads files; URLs are the desk's to make
 * (from keys, when read), so this one is never shown to anyone.
 */
export const NO_MEDIA_SERVER_URL = 'http://media-server-runs-in-the-desk.invalid';

async function startDiskStorage(deps: RunDeps): Promise<ImageStorage> {
  const dir = join(deps.dataDir, 'media');
  if (deps.servers === false) return createDiskStorage({ dir, baseUrl: NO_MEDIA_SERVER_URL });
  const portChoice = choosePort({
    cli: deps.mediaPort,
    config: deps.config.media.port,
    flag: '--media-port',
    configKey: 'media.port',
    defaultPort: DEFAULT_PORTS.media,
  });
  const media = await startMediaServer({ dir, host: deps.config.media.host, portChoice, warn: (message) => deps.logger.warn(message) });
  deps.onStop(() => media.stop());
  return createDiskStorage({ dir, baseUrl: media.baseUrl });
}

export const STORAGES = {
  disk: runFactory(DiskOptionsSchema, (_options, deps) => startDiskStorage(deps)),
  r2: runFactory(R2ConfigSchema, (options, deps): Promise<ImageStorage> => Promise.resolve(createR2Storage(options, deps))),
};

export function buildStorage(entry: AdapterEntry, deps: RunDeps): Promise<ImageStorage> {
  return buildFromEntry<Promise<ImageStorage>, RunDeps>('storage', STORAGES, entry, ['storage'], deps);
}
