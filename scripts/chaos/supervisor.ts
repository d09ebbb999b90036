// Keeps Hero Desk running between kills: starts it on new ports when it is down, SIGKILLs it on
// request (recording what the store shows was in progress), notices when it dies by itself.
import type { HeroDeskRun, HeroDeskSetup } from './hero-desk.ts';
import { startHeroDesk } from './hero-desk.ts';
import { describeInProgress } from './report.ts';
import type { KillRecord, Say } from './report.ts';
import type { Stage } from './schedule.ts';
import { glance } from './store-reader.ts';

const TRANSIENT = ['generating', 'scoring', 'publishing'];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Supervisor {
  readonly kills: KillRecord[] = [];
  readonly notes: string[] = [];
  private current: HeroDeskRun | null = null;
  private runs = 0;
  private expectingDeath = false;
  private readonly setup: HeroDeskSetup;
  private readonly dbPath: string;
  private readonly plannedKills: number;
  private readonly say: Say;

  constructor(setup: HeroDeskSetup, dbPath: string, plannedKills: number, say: Say) {
    this.setup = setup;
    this.dbPath = dbPath;
    this.plannedKills = plannedKills;
    this.say = say;
  }

  get alive(): boolean {
    return this.current?.alive === true;
  }

  get runCount(): number {
    return this.runs;
  }

  /** Resolves when the current run exits (never, if none is running). */
  exited(): Promise<void> {
    return this.current?.exited.then(() => undefined) ?? new Promise(() => undefined);
  }

  /** Starts Hero Desk if it is not running (new media and relay ports each time). */
  async ensureRunning(): Promise<void> {
    if (this.alive) return;
    for (let attempt = 1; ; attempt++) {
      this.runs += 1;
      try {
        const run = await startHeroDesk(this.setup, this.runs);
        this.current = run;
        this.expectingDeath = false;
        void run.exited.then((exit) => {
          if (this.current !== run || this.expectingDeath) return;
          const what = `Hero Desk run ${run.run} exited on its own (code ${exit.code}, signal ${exit.signal}); see logs/hero-desk-${String(run.run).padStart(3, '0')}.log`;
          this.notes.push(what);
          this.say(what);
        });
        this.say.verbose(`Hero Desk run ${run.run} up (pid ${run.pid}, media port ${run.mediaPort}) in ${Date.now() - run.startedAt} ms`);
        return;
      } catch (error) {
        this.say(`Hero Desk run ${this.runs} did not start: ${(error as Error).message}`);
        if (attempt >= 3) throw error;
        await sleep(1_000);
      }
    }
  }

  async kill(stage: Stage | 'anywhere', how: string): Promise<void> {
    const run = this.current;
    if (!run?.alive) return;
    this.expectingDeath = true;
    const at = Date.now();
    await run.stop('SIGKILL');
    const inProgress: Record<string, number> = {};
    for (const status of glance(this.dbPath)?.statuses.values() ?? [])
      if (TRANSIENT.includes(status)) inProgress[status] = (inProgress[status] ?? 0) + 1;
    const record: KillRecord = { index: this.kills.length + 1, stage, how, at, run: run.run, inProgress };
    this.kills.push(record);
    this.say(`kill ${record.index}/${this.plannedKills} at ${stage}: ${how} (store: ${describeInProgress(inProgress)})`);
  }

  /** SIGTERM, as an operator would stop it; a run that does not exit within 30 s is killed (and noted). */
  async stopGracefully(): Promise<void> {
    const run = this.current;
    if (!run?.alive) return;
    this.expectingDeath = true;
    const startedAt = Date.now();
    const exit = await run.stop('SIGTERM', 30_000);
    if (exit.signal === 'SIGKILL') this.notes.push('Hero Desk did not stop within 30 s of SIGTERM and was killed');
    else if (exit.code !== 0) this.notes.push(`Hero Desk exited with code ${exit.code} on SIGTERM`);
    this.say(`Hero Desk stopped with SIGTERM in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (exit ${exit.code ?? exit.signal})`);
  }

  async abort(): Promise<void> {
    this.expectingDeath = true;
    await this.current?.stop('SIGKILL');
  }
}
