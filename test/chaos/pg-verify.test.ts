// The PostgreSQL chaos verifier must be able to fail: a clean made-up history passes, and each kind of
// damage (work lost, effect doubled, job failed, job left running, a lane over its limit) shows up in
// its own figure naming the job or lane it concerns.
import { describe, expect, it } from 'vitest';
import {
  mostAtOnce,
  verdictLine,
  verdictPassed,
  verifyPgChaos,
  type EffectRow,
  type JobOutcomeRow,
} from '../../scripts/chaos-pg/verify.ts';

const LIMITS = { breaking: 2, regular: 3 };

function done(id: number, lane = 'regular'): JobOutcomeRow {
  return { id, lane, status: 'done' };
}

function effect(jobId: number, startedAt: number, settledAt: number, lane = 'regular'): EffectRow {
  return { jobId, lane, startedAt, settledAt };
}

const cleanJobs = [done(1), done(2), done(3, 'breaking')];
const cleanEffects = [effect(1, 0, 10), effect(2, 5, 15), effect(3, 0, 10, 'breaking')];

describe('verifyPgChaos', () => {
  it('passes a clean history', () => {
    const verdict = verifyPgChaos([1, 2, 3], cleanJobs, cleanEffects, LIMITS);
    expect(verdictPassed(verdict)).toBe(true);
    expect(verdictLine(verdict, 3, 2, 3)).toBe(
      'pg chaos: 3 workers, 2 SIGKILLs, 3 jobs: lost 0, doubled 0, failed 0, stuck 0, lanes over their limit 0',
    );
  });

  it('counts a job acknowledged by enqueue but never stored as lost', () => {
    const verdict = verifyPgChaos([1, 2, 3, 4], cleanJobs, cleanEffects, LIMITS);
    expect(verdict.lost).toEqual([4]);
    expect(verdictPassed(verdict)).toBe(false);
  });

  it('counts a job marked done without its effect as lost', () => {
    const verdict = verifyPgChaos([1, 2, 3], cleanJobs, cleanEffects.slice(1), LIMITS);
    expect(verdict.lost).toEqual([1]);
  });

  it('counts an effect written twice as doubled', () => {
    const verdict = verifyPgChaos([1, 2, 3], cleanJobs, [...cleanEffects, effect(2, 30, 40)], LIMITS);
    expect(verdict.doubled).toEqual([2]);
    expect(verdictPassed(verdict)).toBe(false);
  });

  it('counts failed and cancelled jobs as failed, queued and running ones as stuck', () => {
    const jobs = [
      done(1),
      { id: 2, lane: 'regular', status: 'failed' },
      { id: 3, lane: 'breaking', status: 'cancelled' },
      { id: 4, lane: 'regular', status: 'running' },
      { id: 5, lane: 'regular', status: 'queued' },
    ];
    const verdict = verifyPgChaos([1, 2, 3, 4, 5], jobs, [effect(1, 0, 10)], LIMITS);
    expect(verdict.failed).toEqual([2, 3]);
    expect(verdict.stuck).toEqual([4, 5]);
    expect(verdict.lost).toEqual([]);
  });

  it('names a lane whose runs overlapped more than its limit', () => {
    const jobs = [done(1, 'breaking'), done(2, 'breaking'), done(3, 'breaking')];
    const effects = [effect(1, 0, 10, 'breaking'), effect(2, 2, 12, 'breaking'), effect(3, 4, 14, 'breaking')];
    const verdict = verifyPgChaos([1, 2, 3], jobs, effects, LIMITS);
    expect(verdict.overLimit).toEqual({ breaking: 3 });
    expect(verdictLine(verdict, 3, 0, 3)).toContain('lanes over their limit 1');
  });
});

describe('mostAtOnce', () => {
  it('does not count a run that starts the millisecond another ends as an overlap', () => {
    expect(mostAtOnce([effect(1, 0, 10), effect(2, 10, 20), effect(3, 20, 30)])).toBe(1);
  });

  it('counts nested runs', () => {
    expect(mostAtOnce([effect(1, 0, 100), effect(2, 10, 20), effect(3, 15, 50), effect(4, 60, 70)])).toBe(3);
  });
});
