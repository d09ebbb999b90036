// Keeps Hero Desk running between kills: starts it on new ports when it is down, SIGKILLs it on
// request (recording what the store shows was in progress), notices when it dies by itself. With
// --workers N the desk claims only the publish lane and N `hero-desk worker`s beside it make the
// images; a kill at a generation stage (generation, scoring, upload) hits a worker, the others the desk.
import type { HeroDeskRun, HeroDeskSetup, Role } from './hero-desk.ts';
import { roleName, startHeroDesk } from './hero-desk.ts';
import type { Random } from './random.ts';
import { describeInProgress } from './report.ts';
import type { KillRecord, Say } from './report.ts';
import type { Stage } from './schedule.ts';
import { glance } from './store-reader.ts';

const TRANSIENT = ['generating', 'scoring', 'publishing'];
/** Stages whose work a worker does when workers run: a kill there hits a worker. */
const WORKER_STAGES: readonly (Stage | 'anywhere')[] = ['generation', 'scoring', 'upload'];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One process of the fleet: the desk, or a worker, and its current run. */
interface Member {
  role: Role;
  current: HeroDeskRun | null;
  expectingDeath: boolean;
}

export class Supervisor {
  readonly kills: KillRecord[] = [];
  readonly notes: string[] = [];
  private runs = 0;
  private readonly members: Member[];
  private readonly setup: HeroDeskSetup;
  private readonly dbPath: string;
  private readonly plannedKills: number;
  private readonly say: Say;
  private readonly random: Random;

  constructor(setup: HeroDeskSetup, dbPath: string, plannedKills: number, say: Say, fleet: { workers: number; random: Random }) {
    this.setup = setup;
    this.dbPath = dbPath;
    this.plannedKills = plannedKills;
    this.say = say;
    this.random = fleet.random;
    const desk: Member = { role: { kind: 'desk', withWorkers: fleet.workers > 0 }, current: null, expectingDeath: false };
    const workers = Array.from({ length: fleet.workers }, (_, i): Member => ({
      role: { kind: 'worker', index: i + 1 },
      current: null,
      expectingDeath: false,
    }));
    this.members = [desk, ...workers];
  }

  /** Every process of the fleet is up. */
  get alive(): boolean {
    return this.members.every((member) => member.current?.alive === true);
  }

  get runCount(): number {
    return this.runs;
  }

  /** Resolves when a process of the fleet exits (never, if none is running). */
  exited(): Promise<void> {
    const running = this.members.flatMap((member) => (member.current ? [member.current.exited.then(() => undefined)] : []));
    return running.length > 0 ? Promise.race(running) : new Promise(() => undefined);
  }

  /** Starts whichever process of the fleet is not running (the desk on new media and relay ports). */
  async ensureRunning(): Promise<void> {
    for (const member of this.members) if (member.current?.alive !== true) await this.start(member);
  }

  private async start(member: Member): Promise<void> {
    const name = roleName(member.role);
    for (let attempt = 1; ; attempt++) {
      this.runs += 1;
      try {
        const run = await startHeroDesk(this.setup, this.runs, member.role);
        member.current = run;
        member.expectingDeath = false;
        void run.exited.then((exit) => {
          if (member.current !== run || member.expectingDeath) return;
          const what = `${name} run ${run.run} exited on its own (code ${exit.code}, signal ${exit.signal}); see its log in logs/ (run ${run.run})`;
          this.notes.push(what);
          this.say(what);
        });
        this.say.verbose(
          `${name} run ${run.run} up (pid ${run.pid}${run.mediaPort ? `, media port ${run.mediaPort}` : ''}) in ${Date.now() - run.startedAt} ms`,
        );
        return;
      } catch (error) {
        this.say(`${name} run ${this.runs} did not start: ${(error as Error).message}`);
        if (attempt >= 3) throw error;
        await sleep(1_000);
      }
    }
  }

  /** Who a kill at this stage hits: a worker at the generation stages (when there are workers), else the desk. */
  private target(stage: Stage | 'anywhere'): Member | undefined {
    const alive = this.members.filter((member) => member.current?.alive === true);
    const workers = alive.filter((member) => member.role.kind === 'worker');
    const pool =
      stage === 'anywhere'
        ? alive
        : WORKER_STAGES.includes(stage) && workers.length > 0
          ? workers
          : alive.filter((m) => m.role.kind === 'desk');
    // one candidate takes no draw: a run without workers keeps its seed's schedule
    return pool.length <= 1 ? pool[0] : pool[Math.floor(this.random() * pool.length)];
  }

  async kill(stage: Stage | 'anywhere', how: string): Promise<void> {
    const member = this.target(stage);
    const run = member?.current;
    if (!member || !run?.alive) return;
    member.expectingDeath = true;
    const at = Date.now();
    await run.stop('SIGKILL');
    const inProgress: Record<string, number> = {};
    for (const status of glance(this.dbPath)?.statuses.values() ?? [])
      if (TRANSIENT.includes(status)) inProgress[status] = (inProgress[status] ?? 0) + 1;
    const record: KillRecord = { index: this.kills.length + 1, stage, how, at, run: run.run, inProgress };
    this.kills.push(record);
    const who = this.members.length > 1 ? ` (${roleName(member.role)})` : '';
    this.say(`kill ${record.index}/${this.plannedKills} at ${stage}${who}: ${how} (store: ${describeInProgress(inProgress)})`);
  }

  /** SIGTERM, as an operator would stop it; a run that does not exit within 30 s is killed (and noted). */
  async stopGracefully(): Promise<void> {
    // the workers first: their running jobs go back to the queue while the desk still runs
    for (const member of [...this.members].reverse()) {
      const run = member.current;
      if (!run?.alive) continue;
      const name = roleName(member.role);
      member.expectingDeath = true;
      const startedAt = Date.now();
      const exit = await run.stop('SIGTERM', 30_000);
      if (exit.signal === 'SIGKILL') this.notes.push(`${name} did not stop within 30 s of SIGTERM and was killed`);
      else if (exit.code !== 0) this.notes.push(`${name} exited with code ${exit.code} on SIGTERM`);
      this.say(`${name} stopped with SIGTERM in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (exit ${exit.code ?? exit.signal})`);
    }
  }

  async abort(): Promise<void> {
    for (const member of this.members) {
      member.expectingDeath = true;
      await member.current?.stop('SIGKILL');
    }
  }
}
