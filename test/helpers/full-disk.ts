// Real "disk full" conditions. SQLite: PRAGMA max_page_count caps the database file at its
// current size, then rows are added until even an empty one no longer fits — from there every
// write that needs room fails with SQLITE_FULL, exactly as on a full disk. A whole folder: a
// tiny tmpfs (root only), filled to the last byte.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../electron/core/store/store.ts';

export function fillDatabase(store: Store): void {
  const pages = store.db.get<{ page_count: number }>('PRAGMA page_count')!.page_count;
  store.db.exec(`PRAGMA max_page_count = ${pages}`);
  for (const size of [4000, 1000, 200, 40, 0]) {
    for (;;) {
      try {
        store.transaction(() => store.logEvent('filler', null, size ? { pad: 'x'.repeat(size) } : {}));
      } catch {
        break;
      }
    }
  }
}

export function freeDatabase(store: Store): void {
  store.db.exec('PRAGMA max_page_count = 1073741823');
}

export const isRoot = process.getuid?.() === 0;

/** A mounted tmpfs of `size` (e.g. '4m'), or null when this process may not mount. */
export function tinyDisk(size: string): { dir: string; fill(): void; free(): void; unmount(): void } | null {
  if (!isRoot) return null;
  const dir = mkdtempSync(join(tmpdir(), 'hero-desk-tinydisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const filler = join(dir, 'filler.bin');
  return {
    dir,
    fill() {
      // big chunks, then smaller ones, until not one byte fits
      for (const chunk of [1 << 20, 1 << 16, 1 << 12, 1 << 8, 1]) {
        for (;;) {
          try {
            writeFileSync(filler, Buffer.alloc(chunk), { flag: 'a' });
          } catch {
            break;
          }
        }
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A folder on a read-only file system (a tmpfs mounted ro), or null when we may not mount. */
export function readOnlyDisk(): { dir: string; unmount(): void } | null {
  if (!isRoot) return null;
  const dir = mkdtempSync(join(tmpdir(), 'hero-desk-rodisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
