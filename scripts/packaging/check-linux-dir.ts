// Packaging check for machines without Electron (`npm run pack:check`, after `npm run build`):
// packs the app for `linux dir` around a stand-in Electron binary, then checks what a broken
// config would get wrong — the afterPack hook ran and the fuses in the packed binary are ours,
// and the asar holds only the bundles, package.json and production node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import { HERO_DESK_FUSES, fuseName } from './fuses.ts';
import { writeStandInElectronDist } from './stand-in-electron.ts';

const root = join(import.meta.dirname, '../..');
const dist = await mkdtemp(join(tmpdir(), 'hero-desk-electron-dist-'));
const failures: string[] = [];
try {
  await writeStandInElectronDist(dist);
  const builder = spawnSync('npx', ['electron-builder', '--linux', 'dir', '--publish', 'never', `-c.electronDist=${dist}`], {
    cwd: root,
    encoding: 'utf8',
  });
  const log = `${builder.stdout}${builder.stderr}`;
  process.stdout.write(log);
  if (builder.status !== 0) throw new Error(`electron-builder exited with ${builder.status}`);
  if (!log.includes('hero-desk afterPack: fuses applied')) failures.push('the afterPack hook did not run');

  const unpacked = join(root, 'release/linux-unpacked');
  const wire = await getCurrentFuseWire(join(unpacked, 'hero-desk'));
  for (const [key, wanted] of Object.entries(HERO_DESK_FUSES)) {
    if (key === 'version') continue;
    // the wire's values are @electron/fuses' FuseState, which its index does not export: compare as numbers
    const actual = Number(wire[Number(key) as keyof typeof wire]);
    const expected = wanted ? 49 : 48; // FuseState.ENABLE / DISABLE
    const line = `${fuseName(Number(key))}: ${actual === 49 ? 'on' : actual === 48 ? 'off' : String(actual)}`;
    console.log(`fuse ${line}`);
    if (actual !== expected) failures.push(`fuse ${line}, wanted ${wanted ? 'on' : 'off'}`);
  }

  for (const resource of ['build-info.json', 'icon.png', 'default-images']) {
    if (!existsSync(join(unpacked, 'resources', resource))) failures.push(`resources lack ${resource}`);
  }

  const entries = listPackage(join(unpacked, 'resources/app.asar'), { isPack: false });
  const stray = entries.filter((entry) => !/^[\\/](out|node_modules)([\\/]|$)|^[\\/]package\.json$/.test(entry));
  console.log(`asar: ${entries.length} entries`);
  if (stray.length > 0) failures.push(`asar holds files outside out/, node_modules/ and package.json: ${stray.slice(0, 10).join(', ')}`);
  // core-host.js: the core's utility process (electron/main/core-process.ts forks it from inside the asar)
  for (const needed of ['/out/main/index.js', '/out/main/core-host.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
    if (!entries.some((entry) => entry.replaceAll('\\', '/') === needed)) failures.push(`asar lacks ${needed} (run npm run build first)`);
  }
} finally {
  await rm(dist, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`packaging check failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('packaging check passed');
