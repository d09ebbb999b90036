// The documented example config is valid and builds every adapter it names (no network is
// touched until a check or a job runs), and mistakes in a config are named precisely.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAdapters } from '../../electron/core/app/adapters.ts';
import { ConfigError, parseConfig } from '../../electron/core/settings/config-load.ts';
import { ConfigSchema, type HeroDeskConfig } from '../../electron/core/config/schema.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { tempDirs } from '../helpers/temp.ts';

const EXAMPLE = fileURLToPath(new URL('../../docs/hero-desk.config.example.json', import.meta.url));
const dirs = tempDirs();

/** The adapters of a config, with no keys and every embedded server on a free loopback port. */
const buildOnLoopback = (config: HeroDeskConfig) =>
  buildAdapters({ dataDir: dirs.make(), config, secrets: { get: () => undefined }, logger: silentLogger(), mediaPort: 0, relayPort: 0 });

afterEach(() => dirs.cleanup());

describe('config', () => {
  it('accepts the documented example and builds its adapters', async () => {
    const config = parseConfig(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
    expect(config.tiers.breaking.providers).toEqual(['openai-premium', 'workers-flux']);
    expect(config.tiers.breaking.minScore).toBe(7); // defaults fill what the file leaves out
    const adapters = await buildOnLoopback(config);
    try {
      expect(adapters.chains.breaking.map((p) => p.name)).toEqual(['openai-premium', 'workers-flux']);
      expect(adapters.chains.default.map((p) => p.name)).toEqual(['newsroom-defaults', 'title-card']);
      expect(adapters.scorers.map((s) => s.name)).toEqual(['local', 'openai-vision']);
      expect(adapters.storage.name).toBe('r2');
      expect(adapters.publisher.name).toBe('centrifugo');
      expect(adapters.source.name).toMatch(/aitable/);
      expect(adapters.writeBack).not.toBeNull();
      expect(adapters.readerUrl).toBeNull(); // the site's own relay, no bundled reader page
    } finally {
      await adapters.stop();
    }
  });

  it('names the path of every mistake', () => {
    expect(() => parseConfig({ tiers: { regular: { minScore: 11 } } })).toThrow(/tiers\.regular\.minScore/);
    expect(() => parseConfig({ pollIntervalMs: 10 })).toThrow(/pollIntervalMs/);
    expect(() => parseConfig({ typo: true })).toThrow(/typo: unknown key/);
  });

  it('rejects an adapter entry with bad options while reading the file, before anything starts', () => {
    const bad = [
      [
        { providers: { p: { type: 'openai', quality: { breaking: 'ultra' } } }, tiers: { regular: { providers: ['p'] } } },
        /providers\.p\.quality\.breaking: Invalid option/,
      ],
      [
        { providers: { p: { type: 'midjourney' } }, tiers: { regular: { providers: ['p'] } } },
        /providers\.p\.type: unknown provider type "midjourney"/,
      ],
      [{ storage: { type: 'r2', bucket: 'x' } }, /storage\.bucket: Too small/],
      [{ source: { type: 'aitable', datasheetId: 'nope' } }, /source\.datasheetId: datasheet ids start with "dst"/],
    ] as const;
    for (const [raw, message] of bad) {
      expect(() => parseConfig(raw)).toThrow(ConfigError);
      expect(() => parseConfig(raw)).toThrow(message);
    }
  });

  it('still refuses a bad adapter entry when building from an unchecked config', async () => {
    const config = ConfigSchema.parse({ providers: { p: { type: 'openai', qualty: {} } }, tiers: { regular: { providers: ['p'] } } });
    const build = buildOnLoopback(config);
    await expect(build).rejects.toThrow(ConfigError);
    await expect(build).rejects.toThrow('providers.p.qualty: unknown key — did you mean "quality"?');
  });

  it('builds the source through the registry too: an unknown source type is named like any other seam', async () => {
    const config = ConfigSchema.parse({ source: { type: 'airtable' } });
    const build = buildOnLoopback(config);
    await expect(build).rejects.toThrow(ConfigError);
    await expect(build).rejects.toThrow('source.type: unknown source type "airtable" — did you mean "aitable"? (known: demo, aitable)');
  });
});
