// After an unclean stop the board and the log say how many jobs went back to work — counting only
// jobs whose process is gone (or whose lease ran out), never a live neighbour's on the same file.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { announceResumedJobs, releaseDeadLocalLeases } from '../../electron/core/app/resumed.ts';
import { claimJobs } from '../../electron/core/store/jobs.ts';
import { silentLogger } from '../../electron/core/base/log.ts';
import { Store } from '../../electron/core/store/store.ts';
import { seedJob } from '../queue/fixtures.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('jobs resumed after an unclean stop', () => {
  it("counts a dead process's jobs and expired foreign leases, tells the board once, and leaves live ones alone", () => {
    const store = new Store(join(dirs.make(), 'db.sqlite'));
    const now = Date.now();
    const running = (id: string, owner: string, expiresAt: number) => {
      const jobId = seedJob(store, id, 'regular');
      store.db.run("UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ? WHERE id = ?", owner, expiresAt, jobId);
    };
    running('dead', `${hostname()}:2147483646:abcd`, now + 30_000); // this machine, a pid that is not running
    running('alive', `${hostname()}:${process.pid}:abcd`, now + 30_000); // this very process
    running('elsewhere-expired', 'other-host:123:abcd', now - 1_000);
    running('elsewhere-live', 'other-host:124:abcd', now + 30_000);
    const notices: string[] = [];
    store.onChange((changes) => notices.push(...changes.notices.map((n) => n.message)));
    expect(announceResumedJobs(store, silentLogger())).toBe(2);
    expect(notices).toEqual(['2 jobs resumed after an unclean stop; their stories go back to work']);
    store.close();
  });

  it("ends only a dead local process's leases, so its jobs are claimed at once", () => {
    const store = new Store(join(dirs.make(), 'db.sqlite'));
    const now = Date.now();
    const running = (id: string, owner: string, expiresAt: number) => {
      const jobId = seedJob(store, id, 'regular');
      store.db.run("UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ? WHERE id = ?", owner, expiresAt, jobId);
      return jobId;
    };
    const dead = running('dead', `${hostname()}:2147483646:abcd`, now + 30_000);
    running('alive', `${hostname()}:${process.pid}:abcd`, now + 30_000);
    running('elsewhere-live', 'other-host:124:abcd', now + 30_000);
    expect(claimJobs(store, 'regular', 'new-owner', 30_000, 10)).toEqual([]);
    expect(releaseDeadLocalLeases(store)).toBe(1);
    expect(releaseDeadLocalLeases(store)).toBe(0); // a second process's sweep finds nothing left to end
    expect(claimJobs(store, 'regular', 'new-owner', 30_000, 10).map((job) => job.id)).toEqual([dead]);
    store.close();
  });
});
