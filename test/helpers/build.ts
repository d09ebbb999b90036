// The built bundles (out/) some tests run: built here when missing or older than the sources, so a
// test never depends on `npm run build` having run first — and `npm test`, which builds before the
// tests, finds the build fresh and does not build again.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '../..');

/** What electron-vite builds from: electron.vite.config.ts and everything it bundles. */
export const SOURCES = ['electron', 'shared', 'renderer', 'electron.vite.config.ts', 'package.json'];
/** One file per bundle: the oldest of them is when the build last ran. */
export const OUTPUTS = [
  'out/main/index.js',
  'out/main/core-host.js',
  'out/main/sync-worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];

function newestChange(path: string): { path: string; mtimeMs: number } {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest = { path, mtimeMs: 0 };
  for (const entry of readdirSync(path)) {
    const inner = newestChange(join(path, entry));
    if (inner.mtimeMs > newest.mtimeMs) newest = inner;
  }
  return newest;
}

/** Why out/ must be built again, or null when it is newer than every source. */
export function staleBuildReason(at = root): string | null {
  const missing = OUTPUTS.find((file) => !existsSync(join(at, file)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((file) => statSync(join(at, file)).mtimeMs));
  const newest = SOURCES.filter((source) => existsSync(join(at, source)))
    .map((source) => newestChange(join(at, source)))
    .reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a), { path: at, mtimeMs: 0 });
  return newest.mtimeMs > built ? `${newest.path.slice(at.length + 1)} changed after the last build` : null;
}

/** Builds out/ (electron-vite build) unless it is fresh; a failed build throws with its output. */
export function ensureBuilt(log: (line: string) => void = (line) => console.log(line)): void {
  const reason = staleBuildReason();
  if (reason === null) return;
  log(`building out/ first (${reason}): npx electron-vite build`);
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`electron-vite build failed (${String(build.status)}):\n${build.stdout}${build.stderr}`);
  const still = staleBuildReason();
  if (still !== null) throw new Error(`electron-vite build ran but out/ is still stale: ${still}`);
}
