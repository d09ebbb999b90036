// `hero-desk start --once`, as cron runs it: a real process, a real exit code, a summary a person
// can read. 0 when every story ended well, 1 when some failed, 2 on a bad config.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function once(dataDir: string, extra: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [CLI, 'start', '--once', '--data-dir', dataDir, '--media-port', '0', '--relay-port', '0', '--json-logs', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('start --once', () => {
  it('takes the demo stories to review, prints a summary and exits 0', async () => {
    const run = await once(dirs.make());
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(run.stdout).toContain('12 stories, 12 ended well, 0 did not');
    expect(run.stdout).toMatch(/recDemo001\s+Water main burst floods Harbour Street shops\s+generated\s+breaking\s+title-card/);
  }, 60_000);

  it('exits 1 when stories fail (a provider with no key on every tier), naming why', async () => {
    const dataDir = dirs.make();
    const broken = { type: 'openai', apiKeySecret: 'missing-key' };
    writeFileSync(
      join(dataDir, 'hero-desk.config.json'),
      JSON.stringify({
        providers: { broken },
        tiers: { breaking: { providers: ['broken'] }, regular: { providers: ['broken'] }, default: { providers: ['broken'] } },
      }),
    );
    const run = await once(dataDir, ['--time-limit', '40s']);
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    expect(run.stdout).toContain('12 stories, 0 ended well, 12 did not');
    expect(run.stdout).toContain('failed');
    expect(run.stdout).toContain('missing-key');
  }, 60_000);

  it('exits 2 on a bad config, before doing anything', async () => {
    const dataDir = dirs.make();
    writeFileSync(join(dataDir, 'hero-desk.config.json'), JSON.stringify({ tiers: { regular: { minScroe: 5 } } }));
    const run = await once(dataDir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('did you mean "minScore"');
  });
});
