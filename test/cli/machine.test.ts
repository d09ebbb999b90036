// The machine failing under the CLI, as real conditions: a data folder this user may not write
// (as root the child runs as `nobody`, since root writes through chmod), one that cannot be
// created, a full disk (a tmpfs, root only). Each says so in one line with the path, exit 2,
// no stack. And a start sweeps the temp files of killed writes and keeps the database 0600.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isRoot, tinyDisk } from '../helpers/full-disk.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  dirs.cleanup();
});

const NOBODY = 65534;

function run(args: string[], options: { unprivileged?: boolean } = {}) {
  const asNobody = options.unprivileged && isRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...asNobody });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** A folder `nobody` (or, not as root, this user) can enter but not write. */
function readOnlyFolder(): string {
  const parent = dirs.make();
  chmodSync(parent, 0o755);
  const dir = join(parent, 'hero-desk-data');
  mkdirSync(dir);
  chmodSync(dir, 0o555);
  cleanups.push(() => chmodSync(dir, 0o755));
  return dir;
}

async function expectOneLine(cli: ReturnType<typeof run>, line: string) {
  expect(await cli.exited).toBe(2);
  const { stderr } = cli.output();
  expect(stderr).toBe(`hero-desk: ${line}\n`);
  expect(stderr).not.toMatch(/\n\s+at /);
}

const NEXT = 'fix its permissions or pick another folder with --data-dir';

describe('hero-desk on a machine that cannot hold its data', () => {
  it('start: a read-only data folder is one line with the path, exit 2', async () => {
    const dir = readOnlyFolder();
    const cli = run(['start', '--data-dir', dir, '--board-port', '0'], { unprivileged: true });
    await expectOneLine(cli, `cannot write to the data folder ${dir}: permission denied (EACCES); ${NEXT}`);
  }, 20_000);

  it('start: a data folder that cannot be created is one line with the path, exit 2', async () => {
    const dir = join(readOnlyFolder(), 'missing');
    const cli = run(['start', '--data-dir', dir, '--board-port', '0'], { unprivileged: true });
    await expectOneLine(cli, `cannot create the data folder ${dir}: permission denied (EACCES); ${NEXT}`);
    expect(existsSync(dir)).toBe(false);
  }, 20_000);

  it('check: read-only and uncreatable data folders fail the check in one line; a missing one is fine', async () => {
    const dir = readOnlyFolder();
    await expectOneLine(
      run(['check', '--data-dir', dir], { unprivileged: true }),
      `cannot write to the data folder ${dir}: permission denied (EACCES); ${NEXT}`,
    );
    const file = join(dirs.make(), 'a-file');
    writeFileSync(file, '');
    await expectOneLine(
      run(['check', '--data-dir', join(file, 'data')]),
      `cannot create the data folder ${join(file, 'data')}: ${file} is a file; ${NEXT}`,
    );
    const fresh = join(dirs.make(), 'new-data');
    const ok = run(['check', '--data-dir', fresh]);
    expect(await ok.exited).toBe(0);
    expect(ok.output().stdout).toContain(`data folder ${fresh} does not exist yet; start creates it`);
    expect(existsSync(fresh)).toBe(false); // check changes nothing
  }, 30_000);

  it.skipIf(!isRoot)(
    'start: a full disk says disk full with the folder, exit 2',
    async (context) => {
      const disk = tinyDisk('1m');
      if (!disk) return context.skip('cannot mount a tmpfs here');
      cleanups.push(() => disk.unmount());
      disk.fill();
      const dir = join(disk.dir, 'data');
      const cli = run(['start', '--data-dir', dir, '--board-port', '0']);
      await expectOneLine(cli, `the disk holding ${dir} is full: free some space, then try again`);
    },
    20_000,
  );
});

describe('hero-desk start on a data folder a killed run left behind', () => {
  it('removes stale temp files (keeping a live writer’s) and keeps the database and secrets 0600', async () => {
    const dataDir = dirs.make();
    const dead = await deadPid();
    const old = new Date(Date.now() - 5 * 60_000);
    const media = join(dataDir, 'media', 'originals');
    mkdirSync(media, { recursive: true });
    const stale = [
      `runtime.json.${dead}.tmp`,
      `secrets.json.${dead}.tmp`,
      `demo-datasheet.json.${process.pid}.tmp`, // a live pid, but minutes old: a reused pid
      `secrets.enc.json.${dead}.tmp`,
      'media/originals/.abc.png.0b5e6c1e-8f9a-4c3d-9e2f-1a2b3c4d5e6f.tmp',
      'media/.probe-0b5e6c1e-8f9a-4c3d-9e2f-1a2b3c4d5e6f',
    ];
    const kept = [
      `secrets.json.${process.pid}.tmp`, // a live writer, just now
      'media/originals/.def.png.1b5e6c1e-8f9a-4c3d-9e2f-1a2b3c4d5e6f.tmp', // a write in progress
      'media/originals/abc.png',
    ];
    for (const name of [...stale, ...kept]) writeFileSync(join(dataDir, name), 'x');
    utimesSync(join(dataDir, `demo-datasheet.json.${process.pid}.tmp`), old, old);
    for (const name of stale.filter((n) => n.startsWith('media/'))) utimesSync(join(dataDir, name), old, old);
    writeFileSync(join(dataDir, 'secrets.json'), '{}', { mode: 0o600 });

    const cli = run(['start', '--data-dir', dataDir, '--board-port', '0']);
    cleanups.push(() => cli.child.kill('SIGKILL'));
    await waitFor(() => existsSync(join(dataDir, 'runtime.json')), 20_000, 'runtime.json').catch((error: unknown) => {
      throw new Error(`${String(error)}; the desk said:\n${cli.output().stdout}\n${cli.output().stderr}`);
    });
    for (const name of stale) expect(existsSync(join(dataDir, name)), name).toBe(false);
    for (const name of kept) expect(existsSync(join(dataDir, name)), name).toBe(true);
    for (const name of ['hero-desk.db', 'hero-desk.db-wal', 'hero-desk.db-shm', 'runtime.json', 'secrets.json']) {
      expect((statSync(join(dataDir, name)).mode & 0o777).toString(8), name).toBe('600');
    }
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([`secrets.json.${process.pid}.tmp`]);
  }, 40_000);
});

/** The pid of a process that has just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}
