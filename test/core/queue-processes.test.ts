// Who works the queue (app/queue-processes.ts): each process registers with its lanes and renews its
// row; the dead ones are forgotten (at once when their pid is gone on this machine, after a minute
// elsewhere); the desk opens one problem, with the next step, when a lane with waiting jobs has had
// no taker for 10 s, and resolves it once a worker claims the lane.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startProcessRegistry, UNCLAIMED_PROBLEM_ID } from '../../electron/core/app/queue-processes.ts';
import { getProblem } from '../../electron/core/store/problems.ts';
import { queueProcesses } from '../../electron/core/store/queue-processes.ts';
import { queueState } from '../../electron/core/store/queue-state.ts';
import { Store } from '../../electron/core/store/store.ts';
import { seedJob } from '../queue/fixtures.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const dirs = tempDirs();
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});

function clockedStore() {
  const clock = { now: 1_000_000 };
  const store = new Store(join(dirs.make(), 'hero-desk.db'), () => clock.now);
  stores.push(store);
  return { store, clock };
}

const here = (pid: number) => `${hostname()}:${pid}:test`;

describe('the processes working the queue', () => {
  it('says when a lane with waiting jobs has no taker for 10 s, and clears it once a worker claims it', () => {
    const { store, clock } = clockedStore();
    seedJob(store, 'rec-1', 'regular');
    seedJob(store, 'rec-2', 'breaking');
    const desk = startProcessRegistry(store, { owner: here(process.pid), role: 'desk', lanes: ['publish'] });
    desk.sweep();
    expect(getProblem(store, UNCLAIMED_PROBLEM_ID)).toBeUndefined(); // a worker may be starting
    clock.now += 10_000;
    desk.sweep();
    expect(getProblem(store, UNCLAIMED_PROBLEM_ID)).toMatchObject({
      area: 'config',
      level: 'warn',
      message:
        'Nothing takes jobs from the breaking, regular lanes: 2 stories wait (this desk runs with --lanes, and no hero-desk worker claims them)',
      action: 'start hero-desk worker on this data directory (it takes breaking, regular and default), or restart the desk without --lanes',
    });

    const worker = startProcessRegistry(store, {
      owner: `${hostname()}:${process.pid}:worker`,
      role: 'worker',
      lanes: ['breaking', 'regular', 'default'],
    });
    worker.sweep();
    desk.sweep();
    expect(getProblem(store, UNCLAIMED_PROBLEM_ID)).toBeUndefined();
    expect(queueState(store).processes?.map((p) => [p.role, p.lanes])).toEqual([
      ['desk', ['publish']],
      ['worker', ['breaking', 'regular', 'default']],
    ]);

    // the worker stops: its lanes are unclaimed again, and after the grace it is a problem again
    worker.stop();
    desk.sweep();
    clock.now += 10_000;
    desk.sweep();
    expect(getProblem(store, UNCLAIMED_PROBLEM_ID)?.message).toMatch(/^Nothing takes jobs from the breaking, regular lanes/);
  });

  it('forgets a process whose pid died on this machine at once, and one elsewhere once it stops renewing', () => {
    const { store, clock } = clockedStore();
    const desk = startProcessRegistry(store, { owner: here(process.pid), role: 'desk', lanes: ['publish'] });
    startProcessRegistry(store, { owner: here(2147483646), role: 'worker', lanes: ['regular'] });
    startProcessRegistry(store, { owner: 'another-host:42:x', role: 'worker', lanes: ['breaking'] });
    desk.sweep();
    expect(queueProcesses(store).map((p) => p.owner)).toEqual([here(process.pid), 'another-host:42:x']);
    clock.now += 11_000;
    desk.sweep();
    // not seen for 10 s: no longer counted as claiming its lanes, still listed until a minute has passed
    expect(queueState(store).processes?.map((p) => p.owner)).toEqual([here(process.pid)]);
    expect(queueProcesses(store)).toHaveLength(2);
    clock.now += 50_000;
    desk.sweep();
    expect(queueProcesses(store).map((p) => p.owner)).toEqual([here(process.pid)]);
  });

  it("tells another process's board when a worker joins or leaves (its queue panel lists who works)", async () => {
    const dir = dirs.make();
    const desk = new Store(join(dir, 'hero-desk.db'));
    const worker = new Store(join(dir, 'hero-desk.db'));
    stores.push(desk, worker);
    const seen: boolean[] = [];
    desk.onChange((changes) => {
      if (changes.elsewhere) seen.push(changes.queueChanged);
    });
    desk.followOtherProcesses(10);
    const registry = startProcessRegistry(worker, { owner: here(process.pid), role: 'worker', lanes: ['regular'] });
    await waitFor(() => seen.length === 1, 5_000, 'the join heard');
    registry.stop();
    await waitFor(() => seen.length === 2, 5_000, 'the leave heard');
    expect(seen).toEqual([true, true]);
  });

  it('needs no taker for an empty or paused lane', () => {
    const { store, clock } = clockedStore();
    const desk = startProcessRegistry(store, { owner: here(process.pid), role: 'desk', lanes: ['publish'] });
    desk.sweep();
    clock.now += 20_000;
    desk.sweep();
    expect(getProblem(store, UNCLAIMED_PROBLEM_ID)).toBeUndefined();
  });
});
