// Open problems over the contract with the real core: a problem left open by an earlier run is in the
// first snapshot a board gets, and an editor's dismiss clears it (pushed as a new list, logged once).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeroEvent } from '../../shared/contract.ts';
import { startCore, type RunningCore } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { createHeadlessSecretStore } from '../../electron/core/adapters/secrets.ts';
import { raiseProblem } from '../../electron/core/store/problems.ts';
import { Store } from '../../electron/core/store/store.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
const cores: RunningCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  dirs.cleanup();
});

const gone = {
  id: 'writeback:gone',
  area: 'writeback',
  level: 'warn',
  message: 'Write-back: record rec1 deleted in AITable',
  action: 'Hero Desk no longer writes to them. Dismiss this if the stories were removed on purpose.',
} as const;

describe('problems over the contract', () => {
  it('shows a problem from an earlier run in the snapshot and clears it when dismissed', async () => {
    const dataDir = dirs.make();
    // an earlier run left it open (the database is the one the core opens)
    const earlier = new Store(join(dataDir, 'hero-desk.db'));
    raiseProblem(earlier, gone);
    raiseProblem(earlier, gone);
    earlier.close();

    const core = await startCore({
      dataDir,
      transport: 'web',
      secrets: createHeadlessSecretStore(dataDir, {}),
      logger: silentLogger(),
      mediaPort: 0,
      relayPort: 0,
    });
    cores.push(core);
    const events: HeroEvent[] = [];
    core.onEvent((event) => events.push(event));

    const first = await core.dispatch('snapshot', {});
    expect(first.ok && (first.value as { problems: unknown[] }).problems).toEqual([expect.objectContaining({ ...gone, occurrences: 2 })]);

    expect(await core.dispatch('dismissProblem', { id: gone.id })).toEqual({ ok: true, value: { ok: true } });
    expect(events.filter((event) => event.type === 'problems')).toEqual([expect.objectContaining({ type: 'problems', problems: [] })]);
    const after = await core.dispatch('snapshot', {});
    expect(after.ok && (after.value as { problems: unknown[] }).problems).toEqual([]);

    // dismissing again (two boards at once, or it cleared by itself meanwhile) is fine and pushes nothing
    expect(await core.dispatch('dismissProblem', { id: gone.id })).toEqual({ ok: true, value: { ok: true } });
    expect(events.filter((event) => event.type === 'problems')).toHaveLength(1);
    expect(await core.dispatch('dismissProblem', { id: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
