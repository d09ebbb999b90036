// `hero-desk audit [--since] [--article]`: who did what, read straight from the desk's database (it
// works whether the desk runs or not).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditEntries } from '../core/app/attribution.ts';
import { SQLITE_FILE } from '../core/app/open-store.ts';
import { deskConfig, openDeskStore } from './desk-store.ts';

export class AuditInputError extends Error {
  override name = 'AuditInputError';
}

/** "2026-12-01", "2026-12-01T09:00Z", or a span back from now: "90m", "24h", "7d". */
export function parseSince(value: string, now = Date.now()): number {
  const span = /^(\d+)\s*(m|h|d)$/.exec(value.trim());
  if (span) return now - Number(span[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[span[2] as 'm' | 'h' | 'd'];
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new AuditInputError(
      `--since must be a date (2026-12-01, 2026-12-01T09:00Z) or a span back from now (90m, 24h, 7d), not "${value}"`,
    );
  return at;
}

export function runAudit(options: { dataDir: string; since?: string; article?: string; limit?: string }): void {
  const dataDir = resolve(options.dataDir);
  const path = join(dataDir, SQLITE_FILE);
  if (deskConfig(dataDir).store.type === 'sqlite' && !existsSync(path))
    throw new AuditInputError(`no Hero Desk database at ${path}; pass the desk's --data-dir`);
  const limit = options.limit === undefined ? 200 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new AuditInputError('--limit must be a whole number of entries, at least 1');
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const store = openDeskStore(dataDir);
  try {
    const entries = auditEntries(store, { since, articleId: options.article, limit });
    if (entries.length === 0) {
      process.stdout.write('nothing attributed in that range\n');
      return;
    }
    const width = Math.max(...entries.map((entry) => entry.actor.length));
    for (const entry of entries) {
      const story = entry.articleId === null ? '' : `  ${entry.articleId}${entry.headline ? ` “${entry.headline}”` : ''}`;
      process.stdout.write(`${new Date(entry.at).toISOString()}  ${entry.actor.padEnd(width)}  ${entry.action}${story}\n`);
    }
  } finally {
    store.close();
  }
}
