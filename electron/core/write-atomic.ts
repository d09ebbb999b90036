import { renameSync, writeFileSync } from 'node:fs';

/** Writes a whole file so readers (and a crash) see either the old content or the new, never half. */
export function writeFileAtomicSync(path: string, data: string, mode = 0o644): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode });
  renameSync(temp, path);
}
