// How every benchmark prints a figure: the project's number next to a baseline measured in the
// same run, their ratio, and the machine's load at that moment (absolute numbers on a shared
// 2-core machine are noisy; a ratio from one run is what can be trusted).
import os from 'node:os';

export interface Figure {
  name: string;
  unit: string;
  project: number;
  baseline: number | null;
  baselineName: string;
  /** true for throughput (jobs/s), false for times (ms). */
  higherIsBetter: boolean;
  /** The target, as text (printed with the verdict). */
  target?: { text: string; met: boolean };
}

const figures: Figure[] = [];

export const isShort = (): boolean => process.argv.includes('--short') || process.env.HERO_DESK_BENCH_SHORT === '1';

export function load(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load ${load()}`;
}

/** project ÷ baseline for throughput, baseline ÷ project for times: above 1 means the project is ahead. */
export function ratio(figure: Pick<Figure, 'project' | 'baseline' | 'higherIsBetter'>): number | null {
  if (figure.baseline === null || figure.baseline === 0 || figure.project === 0) return null;
  return figure.higherIsBetter ? figure.project / figure.baseline : figure.baseline / figure.project;
}

function fmt(n: number, unit: string): string {
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${n.toFixed(digits)} ${unit}`;
}

export function report(figure: Figure): void {
  figures.push(figure);
  const r = ratio(figure);
  const base =
    figure.baseline === null ? `${figure.baselineName}: not measured` : `${figure.baselineName} ${fmt(figure.baseline, figure.unit)}`;
  const rel = r === null ? '' : `  ratio ${r.toFixed(2)}× (${figure.higherIsBetter ? 'project/baseline' : 'baseline/project'})`;
  const target = figure.target ? `  target ${figure.target.text}: ${figure.target.met ? 'MET' : 'NOT MET'}` : '';
  console.log(`  ${figure.name}: project ${fmt(figure.project, figure.unit)} | ${base}${rel} | load ${load()}${target}`);
}

/** A line for a baseline that could not run, so its absence is visible rather than silent. */
export function note(text: string): void {
  console.log(`  note: ${text}`);
}

export function summary(): void {
  if (figures.length === 0) return;
  console.log('\n=== summary (ratio > 1: project ahead of its baseline) ===');
  for (const f of figures) {
    const r = ratio(f);
    const target = f.target ? ` — target ${f.target.text}: ${f.target.met ? 'MET' : 'NOT MET'}` : '';
    console.log(
      `${f.name}: ${fmt(f.project, f.unit)} vs ${f.baselineName} ${f.baseline === null ? 'n/a' : fmt(f.baseline, f.unit)}` +
        `${r === null ? '' : ` (${r.toFixed(2)}×)`}${target}`,
    );
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
