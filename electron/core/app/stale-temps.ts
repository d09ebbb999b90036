// Temp files a killed write leaves behind, removed at start. Two processes may share a data
// folder (a desktop app and a `hero-desk check`), so only files that are really stale go:
//   <name>.<pid>.tmp            write-atomic.ts (runtime.json, secrets.json, the demo datasheet),
//                               the desktop's secrets.enc.json, our write and disk probes —
//                               stale once that pid is gone, or after a minute (a reused pid);
//   media/**/.<name>.<uuid>.tmp disk storage's atomic writes, and its .probe-<uuid> files —
//                               no pid in the name: stale after a minute (a write takes ms).
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '../base/log.ts';

const PID_TEMP = /^.+\.(\d+)\.tmp$/;
const MEDIA_TEMP = /^\..+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$|^\.probe-[0-9a-f-]{36}$/;

export interface SweepOptions {
  /** Older than this is stale whoever wrote it. */
  maxAgeMs?: number;
  now?: number;
  isAlive?: (pid: number) => boolean;
}

/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes stale temp files under `dataDir` (top level and its media tree); returns their paths. */
export async function removeStaleTemps(dataDir: string, options: SweepOptions = {}): Promise<string[]> {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now();
  const isAlive = options.isAlive ?? pidAlive;
  const removed: string[] = [];
  const removeIf = async (path: string, stale: (ageMs: number) => boolean) => {
    try {
      if (!stale(now - (await stat(path)).mtimeMs)) return;
      await rm(path, { force: true });
      removed.push(path);
    } catch {
      // gone already (its writer renamed it) or not ours to remove
    }
  };
  for (const name of await listNames(dataDir)) {
    const pid = PID_TEMP.exec(name)?.[1];
    if (pid !== undefined) await removeIf(join(dataDir, name), (age) => age > maxAgeMs || !isAlive(Number(pid)));
  }
  for (const name of await listNames(join(dataDir, 'media'), true)) {
    if (MEDIA_TEMP.test(basename(name))) await removeIf(join(dataDir, 'media', name), (age) => age > maxAgeMs);
  }
  return removed;
}

async function listNames(dir: string, recursive = false): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
  } catch {
    return []; // no such folder yet
  }
}

/** The sweep at start-up, logged when it found something. */
export async function sweepStaleTemps(dataDir: string, logger: Logger): Promise<void> {
  const removed = await removeStaleTemps(dataDir);
  if (removed.length > 0) logger.info({ files: removed.length }, `removed ${removed.length} temp file(s) left by an interrupted write`);
}

/**
 * Scratch folders named `<prefix><pid>-…` under `parent` (`hero-desk check` makes one in the
 * OS temp folder) whose process is gone: a check killed mid-way leaves them behind.
 */
export async function removeStaleScratch(parent: string, prefix: string, isAlive: (pid: number) => boolean = pidAlive): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    await rm(join(parent, name), { recursive: true, force: true }).catch(() => undefined);
    removed.push(join(parent, name));
  }
  return removed;
}
