import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { asDiskFull } from './machine-errors.ts';

/**
 * Writes a whole file so readers (and a crash) see either the old content or the new, never half.
 * A failed write leaves no temp behind (a killed one is swept at start: app/stale-temps.ts), and
 * a full disk says so with the folder.
 */
export function writeFileAtomicSync(path: string, data: string, mode = 0o644): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    // a leftover temp of a reused pid would keep its old mode: start from nothing
    rmSync(temp, { force: true });
    writeFileSync(temp, data, { mode });
    renameSync(temp, path);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // keep the write's own error
    }
    throw asDiskFull(error, dirname(path), false);
  }
}
