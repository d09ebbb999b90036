// The one atomic file write (runtime.json, secrets.json, the demo datasheet): the mode asked for
// even over a leftover temp, no temp left behind by a failed write, and a full disk said plainly.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomicSync } from '../../electron/core/base/write-atomic.ts';
import { isRoot, tinyDisk } from '../helpers/full-disk.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  dirs.cleanup();
});

describe('writeFileAtomicSync', () => {
  it.skipIf(process.platform === 'win32')('writes 0600 even when a temp of the same pid was left readable by others', () => {
    const path = join(dirs.make(), 'secrets.json');
    writeFileSync(`${path}.${process.pid}.tmp`, 'stale', { mode: 0o644 });
    writeFileAtomicSync(path, '{}', 0o600);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('leaves no temp file when the write fails', () => {
    const dir = dirs.make();
    const path = join(dir, 'runtime.json');
    mkdirSync(path); // a folder in the way: the rename fails
    expect(() => writeFileAtomicSync(path, '{}')).toThrow();
    expect(readdirSync(dir)).toEqual(['runtime.json']);
  });

  it.skipIf(!isRoot)('says the disk is full, with the folder, and leaves no half-written temp', (context) => {
    const disk = tinyDisk('256k');
    if (!disk) return context.skip('cannot mount a tmpfs here');
    cleanups.push(() => disk.unmount());
    disk.fill();
    const path = join(disk.dir, 'demo-datasheet.json');
    expect(() => writeFileAtomicSync(path, 'x'.repeat(100_000))).toThrow(
      `the disk holding ${disk.dir} is full: free some space, then try again`,
    );
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });
});
