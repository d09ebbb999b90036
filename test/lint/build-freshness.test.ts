// The build check the Playwright specs and the built-bundle test share (test/helpers/build.ts): a
// missing or stale out/ is built first, a fresh one (npm test has just built it) is left alone.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTPUTS, staleBuildReason } from '../helpers/build.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function file(at: string, path: string, secondsAgo: number): void {
  mkdirSync(dirname(join(at, path)), { recursive: true });
  writeFileSync(join(at, path), 'x');
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(join(at, path), when, when);
}

describe('the build freshness check', () => {
  it('asks for a build when out/ is missing, then when a source changed after it, never when it is fresh', () => {
    const at = dirs.make();
    file(at, 'electron/main/index.ts', 100);
    file(at, 'renderer/src/app.tsx', 100);
    expect(staleBuildReason(at)).toBe('out/main/index.js is missing');
    for (const output of OUTPUTS) file(at, output, 50);
    expect(staleBuildReason(at)).toBeNull();
    file(at, 'renderer/src/app.tsx', 10);
    expect(staleBuildReason(at)).toBe(`${join('renderer', 'src', 'app.tsx')} changed after the last build`);
  });
});
