// Poll interval: the source's own pollIntervalMs, else the top-level one, else the source's default
// (demo 1 s, AITable 5 s). The top-level key used to be ignored for AITable.
import { afterEach, describe, expect, it } from 'vitest';
import { buildAdapters } from '../../electron/core/app/adapters.ts';
import { parseConfig } from '../../electron/core/settings/config-load.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const AITABLE = { type: 'aitable', datasheetId: 'dstNewsroom000001' };

async function pollIntervalOf(raw: Record<string, unknown>): Promise<number> {
  const adapters = await buildAdapters({
    dataDir: dirs.make(),
    config: parseConfig(raw),
    secrets: { get: () => undefined },
    logger: silentLogger(),
    mediaPort: 0,
    relayPort: 0,
  });
  try {
    return adapters.pollIntervalMs;
  } finally {
    await adapters.stop();
  }
}

describe('poll interval', () => {
  it('AITable: its own setting, else the top-level one, else 5 s', async () => {
    expect(await pollIntervalOf({ source: AITABLE })).toBe(5000);
    expect(await pollIntervalOf({ pollIntervalMs: 800, source: AITABLE })).toBe(800);
    expect(await pollIntervalOf({ pollIntervalMs: 800, source: { ...AITABLE, pollIntervalMs: 700 } })).toBe(700);
  });

  it('demo: its own setting, else the top-level one, else 1 s', async () => {
    expect(await pollIntervalOf({})).toBe(1000);
    expect(await pollIntervalOf({ pollIntervalMs: 300 })).toBe(300);
    expect(await pollIntervalOf({ pollIntervalMs: 300, source: { type: 'demo', pollIntervalMs: 400 } })).toBe(400);
  });

  it("refuses a top-level interval below the source's own limit, naming the key the file set", () => {
    expect(() => parseConfig({ pollIntervalMs: 300, source: AITABLE })).toThrow(
      "pollIntervalMs: Too small: expected number to be >=500 (the aitable source's own limit)",
    );
    expect(() => parseConfig({ pollIntervalMs: 300, source: { ...AITABLE, pollIntervalMs: 600 } })).not.toThrow();
  });
});
