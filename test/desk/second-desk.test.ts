// The second-desk refusal as users meet it: a real desk (`hero-desk start`) on an AITable datasheet
// (the fake Fusion API) claims it; a second `hero-desk start` on the same datasheet exits 2 before
// its pipeline runs, naming the first desk and its board; once the first stops, the second starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { article, fakeServers, TOKEN } from '../aitable/helpers.ts';
import { tempDirs, waitFor } from '../helpers/temp.ts';
import { asText } from '../helpers/text.ts';

const CLI = fileURLToPath(new URL('../../bin/hero-desk.mjs', import.meta.url));
const dirs = tempDirs();
const servers = fakeServers();
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await servers.closeAll();
  dirs.cleanup();
});

function start(dataDir: string, config: string) {
  const child = spawn(
    process.execPath,
    [CLI, 'start', '--data-dir', dataDir, '--config', config, '--board-port', '0', '--relay-port', '0', '--media-port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HERO_DESK_SECRET_AITABLE: TOKEN },
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('a second desk on the same datasheet', () => {
  it('refuses to run its pipeline, naming the desk that runs it, and starts once that desk has stopped', async () => {
    const news = await servers.start();
    news.addRecord(article('Harbour bridge reopens'));
    const claims = await servers.start({
      datasheetId: 'dstClaims00001',
      fields: [{ id: 'fldClaim00001', name: 'Claim', type: 'Text', isPrimary: true }],
    });
    const configDir = dirs.make();
    const config = join(configDir, 'hero-desk.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        source: {
          type: 'aitable',
          baseUrl: news.baseUrl,
          datasheetId: news.datasheetId,
          pollIntervalMs: 500,
          claim: { datasheetId: claims.datasheetId, baseUrl: claims.baseUrl, ttlSeconds: 30 },
        },
      }),
    );

    const firstDir = dirs.make();
    const first = start(firstDir, config);
    await waitFor(() => existsSync(join(firstDir, 'runtime.json')), 40_000, `the first desk (${first.output().stderr})`);
    const origin = (JSON.parse(readFileSync(join(firstDir, 'runtime.json'), 'utf8')) as { boardUrl: string }).boardUrl.split('/#')[0]!;
    // the claim names the first desk's board once it is up
    await waitFor(
      () => claims.records.length === 1 && asText(claims.cellsOf(claims.records[0]!.recordId).Claim).includes(origin),
      10_000,
      'the claim with the board address',
    );

    const secondDir = dirs.make();
    const second = start(secondDir, config);
    expect(await second.exited).toBe(2);
    const { stderr } = second.output();
    expect(stderr).toContain(`hero-desk: the datasheet ${news.datasheetId} is already claimed by the desk`);
    expect(stderr).toContain(`(${firstDir})`);
    expect(stderr).toContain(`(board: ${origin})`);
    expect(stderr).toContain("Open that desk's board instead");
    // it never polled the news datasheet: only the first desk did
    expect(existsSync(join(secondDir, 'runtime.json'))).toBe(false);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const third = start(secondDir, config);
    await waitFor(
      () => existsSync(join(secondDir, 'runtime.json')),
      40_000,
      `the second desk after the first stopped (${third.output().stderr})`,
    );
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 120_000);
});
