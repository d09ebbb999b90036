// A worker following the config file (settings/follow-file.ts): a change it can apply goes to the live
// applier; a file that does not parse, or a change that waits for a restart, is logged with what to do.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { followConfigFile } from '../../electron/core/settings/follow-file.ts';
import { loadConfig } from '../../electron/core/settings/config-load.ts';
import type { LiveApplier } from '../../electron/core/settings/live.ts';
import type { SettingsPlan } from '../../electron/core/settings/plan.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const dirs = tempDirs();
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  dirs.cleanup();
});

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(String((JSON.parse(chunk.toString()) as { msg: string }).msg));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('a worker following the config file', () => {
  it('applies what can change live, keeps running on a broken file, and names a change that needs a restart', async () => {
    const path = join(dirs.make(), 'hero-desk.config.json');
    writeFileSync(path, JSON.stringify({ tiers: { regular: { minScore: 6 } } }));
    const plans: SettingsPlan[] = [];
    const live: LiveApplier = { prepare: (_next, _running, plan) => ({ commit: () => void plans.push(plan) }) };
    const { logger, lines } = capturingLogger();
    stops.push(followConfigFile({ configPath: path, required: true, running: loadConfig(path, true), live, logger, intervalMs: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the watcher's first look at the file

    writeFileSync(path, JSON.stringify({ tiers: { regular: { minScore: 8 } } }));
    await waitFor(() => plans.length === 1, 5_000, 'the live change applied');
    expect(plans[0]!.live).toEqual(['tiers.regular.minScore']);

    writeFileSync(path, '{ "tiers": ');
    await waitFor(() => lines.some((line) => line.startsWith('the config changed but cannot be used')), 5_000, 'the broken file logged');
    expect(plans).toHaveLength(1);

    writeFileSync(path, JSON.stringify({ tiers: { regular: { minScore: 8 } }, leaseSeconds: 45 }));
    await waitFor(() => lines.some((line) => line.startsWith('restart this worker to apply: leaseSeconds')), 5_000, 'the restart named');
  });
});
