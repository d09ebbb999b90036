// The desktop log file rotates by size and keeps a bounded number of old files, on a real folder.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeRotatingLogger, createRotatingLogger } from '../../electron/main/shell/log-file.ts';

describe('rotating desktop log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hero-desk-logs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rotates past the size limit, keeps at most `keep` old files, and redacts secrets', async () => {
    const logger = createRotatingLogger({ destination: join(dir, 'hero-desk.log'), size: '1K', keep: 2 });
    for (let i = 0; i < 120; i++) {
      logger.info({ attempt: i, provider: { apiKey: 'sk-live-secret' } }, `line ${i} ${'x'.repeat(40)}`);
      await new Promise((resolve) => setImmediate(resolve)); // let the stream write and rotate
    }
    logger.info('last words before quitting');
    await closeRotatingLogger(logger);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['hero-desk.log', 'hero-desk.log.1', 'hero-desk.log.2']);
    const current = await readFile(join(dir, 'hero-desk.log'), 'utf8');
    const rotated = await readFile(join(dir, 'hero-desk.log.1'), 'utf8');
    expect(rotated.length).toBeGreaterThan(0);
    expect(current).toContain('last words before quitting');
    expect(`${current}${rotated}`).not.toContain('sk-live-secret');
    expect(`${current}${rotated}`).toContain('[redacted]');
  });
});
