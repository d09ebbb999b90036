// `hero-desk relay` loads only the relay: not zod (~15 MiB), not the core (sharp, the AWS SDK,
// OpenAI), not the desk client. A real process, watched by a module-recording preload.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs, waitFor } from '../helpers/temp.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const RECORDER = fileURLToPath(new URL('./fixtures/record-modules.mjs', import.meta.url));
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('hero-desk relay', () => {
  it('loads only the relay: no zod, no core pipeline, no desk client', async () => {
    const dir = dirs.make();
    const log = join(dir, 'modules.log');
    const child = spawn(process.execPath, ['--import', RECORDER, CLI, 'relay', '--port', '0', '--data-file', join(dir, 'relay.db')], {
      env: { ...process.env, HERO_DESK_RELAY_SECRET: 'test-secret-0123456789abcdef', HD_MODULE_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    try {
      await waitFor(() => stdout.includes('Hero Desk relay listening'), 20_000, 'the relay to listen');
    } finally {
      child.kill('SIGKILL');
    }
    const modules = readFileSync(log, 'utf8').split('\n');
    expect(modules.some((url) => url.endsWith('/electron/core/relay/relay-server.ts'))).toBe(true);
    const heavy = modules.filter((url) =>
      /node_modules\/(zod|sharp|@aws-sdk|openai|pino|hono)\/|\/electron\/core\/(app|pipeline|imaging|store)\/|\/electron\/cli\/(control|options|desk-client)\.ts$/.test(
        url,
      ),
    );
    expect([...new Set(heavy)]).toEqual([]);
  });
});
