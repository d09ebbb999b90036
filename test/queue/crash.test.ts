// Kill -9 a worker process in the middle of jobs, start a new one on the same database, and
// check that every job finished exactly once: the lease lets the new worker reclaim the
// interrupted jobs, and the done-guard keeps any effect from happening twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/core/store/store.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { seedJob } from './fixtures.ts';
import { testStore } from '../helpers/test-store.ts';

const WORKER = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));
const dirs = tempDirs();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  dirs.cleanup();
});

function startWorker(dbPath: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [WORKER, dbPath], { stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

const count = (store: Store, sql: string) => Number(store.db.get<{ n: number }>(sql)?.n ?? 0);

describe('queue crash safety', () => {
  it('finishes every job exactly once across a SIGKILL mid-job and a restart', async () => {
    const dbPath = join(dirs.make(), 'crash.sqlite');
    const store = testStore(dbPath);
    store.db.exec('CREATE TABLE test_started (job_id INTEGER, pid INTEGER); CREATE TABLE test_effects (job_id INTEGER, pid INTEGER)');
    const jobIds = Array.from({ length: 40 }, (_, i) => seedJob(store, `rec${i}`, 'regular'));

    const first = startWorker(dbPath);
    await waitFor(() => count(store, 'SELECT COUNT(*) AS n FROM test_effects') >= 8, 20_000, 'first worker progress');
    // in flight = claimed *and* its handler started: a kill between the claim's commit and the
    // handler's first write leaves a job that only the second process ever starts
    const startedAndRunning = "FROM jobs WHERE status = 'running' AND id IN (SELECT job_id FROM test_started)";
    await waitFor(() => count(store, `SELECT COUNT(*) AS n ${startedAndRunning}`) > 0, 5_000, 'a job in flight');
    first.child.kill('SIGKILL');
    await first.exited;
    const inFlight = store.db.all<{ id: number }>(`SELECT id ${startedAndRunning}`).map((row) => row.id);
    expect(inFlight.length).toBeGreaterThan(0); // killed mid-job, leases left behind

    const second = startWorker(dbPath);
    expect(await second.exited).toBe(0);

    const effects = store.db.all<{ job_id: number; n: number }>('SELECT job_id, COUNT(*) AS n FROM test_effects GROUP BY job_id');
    expect(effects.map((row) => row.job_id).sort((a, b) => a - b)).toEqual(jobIds);
    expect(effects.every((row) => row.n === 1)).toBe(true);
    expect(count(store, "SELECT COUNT(*) AS n FROM jobs WHERE status != 'done'")).toBe(0);
    // the interrupted jobs really were started twice (once per process) and still had one effect
    for (const id of inFlight) {
      expect(count(store, `SELECT COUNT(DISTINCT pid) AS n FROM test_started WHERE job_id = ${id}`)).toBe(2);
    }
    expect(store.db.integrityCheck()).toBe('ok');
    store.close();
  }, 60_000);
});
