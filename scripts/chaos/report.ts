// Printing: progress lines with the elapsed time, the per-stage kill tally, the details behind
// every nonzero figure, and the one-line summary that always comes last.
import type { Finding, Verdict } from './facts.ts';
import { STAGES } from './schedule.ts';
import type { Stage } from './schedule.ts';

export interface Say {
  (message: string): void;
  verbose(message: string): void;
}

export function createSay(verbose: boolean, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Say {
  const started = Date.now();
  const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`;
  const say = ((message: string) => write(`${stamp()} ${message}`)) as Say;
  say.verbose = (message: string) => {
    if (verbose) write(`${stamp()}   ${message}`);
  };
  return say;
}

export interface KillRecord {
  index: number;
  stage: Stage | 'anywhere';
  how: string;
  at: number;
  run: number;
  /** Articles in a transient state right after the kill (what the store shows was in progress). */
  inProgress: Record<string, number>;
}

export function describeInProgress(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([status, n]) => `${status} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none in progress';
}

export function killTally(kills: KillRecord[]): string[] {
  const lines = ['kills by stage: how many, and in how many of them the store showed articles in progress right after'];
  for (const stage of [...STAGES, 'anywhere'] as const) {
    const here = kills.filter((k) => k.stage === stage);
    if (here.length === 0 && stage === 'anywhere') continue;
    const shown = ['generating', 'scoring', 'publishing']
      .map((status) => [status, here.filter((k) => (k.inProgress[status] ?? 0) > 0).length] as const)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${status} ${n}/${here.length}`)
      .join(', ');
    lines.push(`  ${stage.padEnd(11)} ${String(here.length).padStart(4)}${shown ? `   (${shown})` : ''}`);
  }
  return lines;
}

function section(title: string, findings: Finding[], limit = 40): string[] {
  if (findings.length === 0) return [];
  const lines = [`${title}: ${findings.length}`];
  for (const finding of findings.slice(0, limit)) {
    lines.push(`  - ${finding.subject}`);
    for (const why of finding.why) lines.push(`      ${why}`);
  }
  if (findings.length > limit) lines.push(`  … and ${findings.length - limit} more (--keep keeps verdict.json with all of them)`);
  return lines;
}

export function details(verdict: Verdict): string[] {
  return [
    ...section('LOST (in AITable, but never reached readers, never got a row, or AITable differs from the article)', verdict.lost),
    ...section('DOUBLED DELIVERIES (the same article version reached the reader more than once)', verdict.doubledDeliveries),
    ...section(
      'DOUBLED WRITE-BACKS (the same image uploaded more than once to a record, or more than one file attached)',
      verdict.doubledWriteBacks,
    ),
    ...section('STUCK (in progress without a job, or not finished)', verdict.stuck),
    ...section('INTEGRITY', verdict.integrity),
    ...(verdict.notes.length > 0 ? ['notes (not failures):', ...verdict.notes.slice(0, 20).map((n) => `  - ${n}`)] : []),
  ];
}

export function summaryLine(verdict: Verdict): string {
  return (
    `articles ${verdict.articles}, kills ${verdict.kills}, lost ${verdict.lost.length}, ` +
    `doubled deliveries ${verdict.doubledDeliveries.length}, doubled write-backs ${verdict.doubledWriteBacks.length}, ` +
    `stuck ${verdict.stuck.length}, integrity ${verdict.integrityOk ? 'ok' : 'FAILED'}`
  );
}

export function passed(verdict: Verdict): boolean {
  return (
    verdict.lost.length + verdict.doubledDeliveries.length + verdict.doubledWriteBacks.length + verdict.stuck.length === 0 &&
    verdict.integrityOk
  );
}
