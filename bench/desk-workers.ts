// Issue 15 (and issue 12's event-loop target for the headless desk): with `hero-desk worker`s beside
// it, the desk's own process only ingests, serves the board and publishes, so its event loop stays
// free while stories are generated. 50 stories are added to the embedded demo, generated, approved
// and published while perf_hooks watches the desk's loop (this process: where `hero-desk start`
// runs the board bridge). Project: the desk on `--lanes publish` with one `hero-desk worker` (a real
// child process on the same data directory). Baseline, same run: the desk alone on every lane.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCore } from '../electron/core/index.ts';
import { drive, driveInProcess, withDataDir, type Run } from './main-event-loop.ts';
import { isShort, report } from './report.ts';

const CLI = fileURLToPath(new URL('../bin/hero-desk.mjs', import.meta.url));

/** `hero-desk worker` on the data directory; resolves once it logged its start, with its stop. */
async function startWorkerProcess(dataDir: string): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [CLI, 'worker', '--data-dir', dataDir, '--json-logs'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"worker started"')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code} before it started:\n${output}`)));
  });
  return async () => {
    child.kill('SIGTERM');
    await exited;
  };
}

export async function main(): Promise<void> {
  const stories = 50;
  const rounds = isShort() ? 1 : 2;
  const alone: Run[] = [];
  const withWorker: Run[] = [];
  for (let round = 0; round < rounds; round++) {
    alone.push(await driveInProcess(stories));
    withWorker.push(
      await withDataDir(async (options) => {
        const core = await startCore({ ...options, claimLanes: ['publish'] });
        const stopWorker = await startWorkerProcess(options.dataDir);
        try {
          return await drive(core, stories);
        } finally {
          await stopWorker();
          await core.stop();
        }
      }),
    );
  }
  const worst = (runs: Run[], key: keyof Run) => Math.max(...runs.map((run) => run[key]));
  for (const [label, run] of [...alone.map((r) => ['desk alone', r] as const), ...withWorker.map((r) => ['desk + 1 worker', r] as const)]) {
    console.log(
      `  ${label}: ${stories} stories published in ${run.seconds.toFixed(1)} s, loop delay p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms, max ${run.max.toFixed(1)} ms; loop busy ${(run.utilization * 100).toFixed(1)} %, ${run.cpuSeconds.toFixed(1)} CPU s in the desk`,
    );
  }
  report({
    name: `desk event-loop delay p99 while ${stories} stories are generated and published (a hero-desk worker generates)`,
    unit: 'ms',
    project: worst(withWorker, 'p99'),
    baseline: worst(alone, 'p99'),
    baselineName: 'the desk alone',
    higherIsBetter: false,
    target: { text: 'p99 ≤ 20 ms (issue 12)', met: worst(withWorker, 'p99') <= 20 },
  });
  report({
    name: `time to publish ${stories} stories (a hero-desk worker generates)`,
    unit: 's',
    project: worst(withWorker, 'seconds'),
    baseline: worst(alone, 'seconds'),
    baselineName: 'the desk alone',
    higherIsBetter: false,
  });
}
