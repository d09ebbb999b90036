// The start-up sweep removes what killed writes left, and nothing a live process is writing.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive, removeStaleScratch, removeStaleTemps } from '../../electron/core/app/stale-temps.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

const UUID = '0b5e6c1e-8f9a-4c3d-9e2f-1a2b3c4d5e6f';

describe('stale temp files', () => {
  it('removes temps of dead writers and old ones, keeps fresh ones of live writers and real files', async () => {
    const dataDir = dirs.make();
    mkdirSync(join(dataDir, 'media', 'thumbs'), { recursive: true });
    const dead = await deadPid();
    const files = {
      [`runtime.json.${dead}.tmp`]: 'gone',
      [`secrets.enc.json.${dead}.tmp`]: 'gone',
      [`.write-probe.${dead}.tmp`]: 'gone',
      [`.disk-probe.${dead}.tmp`]: 'gone',
      [`secrets.json.${process.pid}.tmp`]: 'kept',
      [`demo-datasheet.json.${process.pid}.tmp`]: 'old',
      [`media/thumbs/.a.webp.${UUID}.tmp`]: 'old',
      [`media/thumbs/.b.webp.${UUID}.tmp`]: 'kept',
      [`media/.probe-${UUID}`]: 'old',
      'media/thumbs/a.webp': 'kept',
      'hero-desk.db': 'kept',
      [`notes.${dead}.txt`]: 'kept',
    };
    const old = new Date(Date.now() - 2 * 60_000);
    for (const [name, fate] of Object.entries(files)) {
      writeFileSync(join(dataDir, name), 'x');
      if (fate === 'old') utimesSync(join(dataDir, name), old, old);
    }
    const removed = await removeStaleTemps(dataDir);
    for (const [name, fate] of Object.entries(files)) expect(existsSync(join(dataDir, name)), name).toBe(fate === 'kept');
    expect(removed).toHaveLength(Object.values(files).filter((fate) => fate !== 'kept').length);
  });

  it('tells a live pid from a dead one', async () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(process.ppid)).toBe(true);
    expect(pidAlive(await deadPid())).toBe(false);
  });

  it('removes scratch folders of checks that were killed, not of running ones', async () => {
    const parent = dirs.make('hero-desk-scratch-');
    const dead = await deadPid();
    const killed = join(parent, `hero-desk-check-${dead}-abc123`);
    const running = join(parent, `hero-desk-check-${process.pid}-def456`);
    mkdirSync(join(killed, 'media'), { recursive: true });
    mkdirSync(running);
    expect(await removeStaleScratch(parent, 'hero-desk-check-')).toEqual([killed]);
    expect(existsSync(killed)).toBe(false);
    expect(existsSync(running)).toBe(true);
  });
});
