// The machine itself failing: a full disk, a data folder that cannot be created or written. Each
// becomes one line that names the path and the next step, for the CLI, the desktop dialog and
// the board's problems panel — never a stack trace or SQLite's "cannot rollback".
import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorCode, errorMessage, isDiskFull } from './failures.ts';

/**
 * No space (or quota) left on the disk holding `dir`. Its code is ENOSPC, so the one failure
 * policy (failures.ts) treats it as transient and jobs wait for space instead of failing.
 */
export class DiskFullError extends Error {
  readonly code = 'ENOSPC';
  readonly dir: string;
  constructor(dir: string, options: ErrorOptions & { retried?: boolean } = {}) {
    const next = options.retried === false ? 'free some space, then try again' : 'free some space; Hero Desk retries';
    super(`the disk holding ${dir} is full: ${next}`, options);
    this.name = 'DiskFullError';
    this.dir = dir;
  }
}

/** `error` as a DiskFullError naming `dir` when it is one (SQLITE_FULL, ENOSPC, EDQUOT); otherwise unchanged. */
export function asDiskFull(error: unknown, dir: string, retried = true): unknown {
  if (error instanceof DiskFullError || !isDiskFull(error)) return error;
  return new DiskFullError(dir, { cause: error, retried });
}

/** The data folder (or a file in it) cannot be used: read-only, missing and not creatable, not a folder. */
export class DataDirError extends Error {
  readonly path: string;
  constructor(message: string, path: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DataDirError';
    this.path = path;
  }
}

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOENT: 'a folder on the path does not exist',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

function why(error: unknown): string {
  const code = errorCode(error);
  return code && WHY[code] ? `${WHY[code]} (${code})` : errorMessage(error);
}

const DEFAULT_NEXT = 'fix its permissions or pick another folder';

/**
 * Creates the data folder if needed and proves it takes writes (a tiny probe file), so a
 * read-only or unreachable folder fails here with its path instead of deep inside SQLite.
 */
export function ensureWritableDataDir(dir: string, next = DEFAULT_NEXT): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    if (isDiskFull(error)) throw new DiskFullError(dirname(dir), { cause: error, retried: false });
    const code = errorCode(error);
    if (code === 'EEXIST') throw new DataDirError(`the data folder ${dir} is not a folder: ${why(error)}; ${next}`, dir, { cause: error });
    throw new DataDirError(`cannot create the data folder ${dir}: ${why(error)}; ${next}`, dir, { cause: error });
  }
  // <name>.<pid>.tmp: the start-up sweep (stale-temps.ts) removes it if we die in between
  const probe = join(dir, `.write-probe.${process.pid}.tmp`);
  try {
    writeFileSync(probe, '');
  } catch (error) {
    if (isDiskFull(error)) throw new DiskFullError(dir, { cause: error, retried: false });
    throw new DataDirError(`cannot write to the data folder ${dir}: ${why(error)}; ${next}`, dir, { cause: error });
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * What `check` says about the data folder without changing anything: null when it is writable,
 * a note when `start` will create it; throws DataDirError when it cannot be used.
 */
export function inspectDataDir(dir: string, next = DEFAULT_NEXT): string | null {
  let existing = dir;
  while (!pathExists(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    if (!statSync(existing).isDirectory()) {
      const message =
        existing === dir ? `the data folder ${dir} is not a folder` : `cannot create the data folder ${dir}: ${existing} is a file`;
      throw new DataDirError(`${message}; ${next}`, dir);
    }
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof DataDirError) throw error;
    const message = existing === dir ? `cannot write to the data folder ${dir}` : `cannot create the data folder ${dir} (in ${existing})`;
    throw new DataDirError(`${message}: ${why(error)}; ${next}`, dir, { cause: error });
  }
  return existing === dir ? null : `data folder ${dir} does not exist yet; start creates it`;
}

function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    return true; // exists but cannot be inspected: let the caller report why
  }
}

/**
 * One line for a machine failure that stops start-up (full disk, unusable folder, a file we may
 * not write), or null for anything else. Node's fs errors carry the path; the line keeps it.
 */
export function machineFailureLine(error: unknown): string | null {
  if (error instanceof DiskFullError || error instanceof DataDirError) return error.message;
  const path = (error as { path?: unknown } | null)?.path;
  if (typeof path === 'string' && isDiskFull(error)) return new DiskFullError(dirname(path), { retried: false }).message;
  const code = errorCode(error);
  if (typeof path !== 'string' || !code || !WHY[code] || code === 'ENOENT') return null;
  const syscall = (error as { syscall?: unknown }).syscall;
  const verb = syscall === 'mkdir' ? 'create' : syscall === 'open' || syscall === 'read' || syscall === 'scandir' ? 'open' : 'write';
  return `cannot ${verb} ${path}: ${why(error)}; ${DEFAULT_NEXT}`;
}
