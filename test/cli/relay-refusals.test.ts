// `hero-desk relay` refusing to start for something the user sets (the publish secret, the shared
// history's URL): one line naming what to set, exit 2 — no stack trace.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));

function relay(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stderr: string } {
  const { HERO_DESK_RELAY_SECRET: _unset, ...rest } = process.env;
  const result = spawnSync(process.execPath, [CLI, 'relay', '--port', '0', '--data-file', ':memory:', ...args], {
    env: { ...rest, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('hero-desk relay refusals', () => {
  it('names the missing publish secret in one line and exits 2', () => {
    const { status, stderr } = relay([], {});
    expect(stderr).toBe('hero-desk: relay: set the publish secret in the HERO_DESK_RELAY_SECRET environment variable\n');
    expect(status).toBe(2);
  });

  it('names the missing history URL variable in one line and exits 2', () => {
    const { status, stderr } = relay(['--history-url-env', 'RELAY_DB_URL'], { HERO_DESK_RELAY_SECRET: 'test-secret-0123456789abcdef' });
    expect(stderr).toBe('hero-desk: relay: set the history URL in the RELAY_DB_URL environment variable\n');
    expect(status).toBe(2);
  });
});
