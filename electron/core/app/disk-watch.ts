// The "disk full" problem. Any write that fails for lack of space — SQLite (Db.onDiskFull) or
// the image storage — opens problem `disk`; the queue holds its jobs meanwhile (no provider
// money spent on images that cannot be kept). While the problem is open a probe runs every few
// seconds: it writes the held problem once the database takes writes again, and closes the
// problem once nothing has failed for a while, a probe file fits on the disk and the close is
// written. When even the database is full the problem lives in memory (store/problems.ts) and
// reaches the board through Store.announce, so editors see it at once.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageStorage } from '../adapters/types.ts';
import { errorMessage, isDiskFull } from '../base/failures.ts';
import type { Logger } from '../base/log.ts';
import { DiskFullError } from '../base/machine-errors.ts';
import { flushHeldProblems, getProblem, raiseProblem, resolveProblem } from '../store/problems.ts';
import type { Store } from '../store/store.ts';

export const DISK_PROBLEM_ID = 'disk';

export interface DiskWatchOptions {
  store: Store;
  dataDir: string;
  logger: Logger;
  /** How long writes must go without a disk-full failure before the problem closes. */
  settleMs?: number;
  /** How often the probe runs while the problem is open. */
  probeMs?: number;
  /** Room the probe file needs: about one generated image. */
  probeBytes?: number;
  now?: () => number;
}

export interface DiskWatch {
  /** True while the disk problem is open: the queue claims nothing. */
  readonly full: boolean;
  /** Reports a failed write; true when it was for lack of space (and the problem is open). */
  report(error: unknown): boolean;
  /** The storage, reporting its disk-full failures here. */
  watchStorage(storage: ImageStorage): ImageStorage;
  stop(): void;
}

export function watchDisk(options: DiskWatchOptions): DiskWatch {
  const { store, dataDir, logger } = options;
  const settleMs = options.settleMs ?? 10_000;
  const probeMs = options.probeMs ?? 2_000;
  const probeBytes = options.probeBytes ?? 1024 * 1024;
  const now = options.now ?? Date.now;
  const problem = {
    id: DISK_PROBLEM_ID,
    area: 'disk',
    level: 'error',
    message: `The disk holding ${dataDir} is full: new images, decisions and publications cannot be saved`,
    action: 'Free some space on that disk; Hero Desk waits and carries on by itself',
  } as const;
  let lastFailureAt: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let probing = false;
  let stopped = false;

  function startProbing(): void {
    timer = setInterval(() => void probe(), probeMs);
    timer.unref();
  }

  const report = (error: unknown): boolean => {
    if (stopped || !isDiskFull(error)) return false;
    const opening = lastFailureAt === null;
    lastFailureAt = now();
    if (opening) {
      logger.error({ dataDir }, error instanceof DiskFullError ? error.message : `disk full: ${errorMessage(error)}`);
      // deferred: the failing write may be mid-transaction, and raising is itself a write
      setImmediate(() => {
        try {
          if (!stopped) raiseProblem(store, problem); // held in memory if the database cannot take it
        } catch (raiseError) {
          logger.warn({ err: raiseError }, 'could not record the disk problem');
        }
      });
      startProbing();
    }
    return true;
  };

  const probe = async (): Promise<void> => {
    if (probing || lastFailureAt === null) return;
    probing = true;
    try {
      flushHeldProblems(store);
      if (now() - lastFailureAt < settleMs) return;
      const file = join(dataDir, `.disk-probe.${process.pid}.tmp`);
      try {
        await writeFile(file, Buffer.alloc(probeBytes));
      } finally {
        await rm(file, { force: true });
      }
      if (stopped || now() - lastFailureAt < settleMs) return;
      resolveProblem(store, DISK_PROBLEM_ID);
      lastFailureAt = null;
      if (timer) clearInterval(timer);
      timer = null;
    } catch (error) {
      // still full: stay open (Db already reported its own failure)
      if (!report(error)) logger.warn({ err: error }, 'disk probe failed');
    } finally {
      probing = false;
    }
  };

  const unsubscribe = store.db.onDiskFull(report);
  // still open from a run that ended while the disk was full: the first quiet probe closes it
  if (getProblem(store, DISK_PROBLEM_ID)) {
    lastFailureAt = now() - settleMs;
    startProbing();
  }

  return {
    get full() {
      return lastFailureAt !== null;
    },
    report,
    watchStorage: (storage) => ({
      ...storage,
      put: async (...args) => {
        try {
          return await storage.put(...args);
        } catch (error) {
          report(error);
          throw error;
        }
      },
    }),
    stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
