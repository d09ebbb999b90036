// Per-provider limits shared by every worker on one PostgreSQL (issue 15): a provider's plan allows
// so many calls at once and so many a minute, for the whole newsroom, not per process as
// adapters/limits.ts counts them. A call takes a slot row (with an expiry, so a worker SIGKILLed
// mid-call frees it) and a call row (the rate window); both are counted under a per-provider
// advisory lock, so two workers never both take the last slot. Waiting polls: a provider call
// lasts seconds, a poll every 250 ms costs nothing next to it. Times are the database's clock.
// Not wired in yet: the composition will acquire before a provider's generate and release after,
// once the store runs on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inTransaction, type PostgresConnection } from './connection.ts';

const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

/** A provider entry's "concurrency" and "ratePerMinute" (adapters/limits.ts), now for every worker together. */
export interface SharedProviderLimits {
  concurrency?: number;
  ratePerMinute?: number;
}

export interface SharedLimitOptions {
  /** How long a slot outlives a holder that never released it (a crash): longer than any call. */
  holdMs?: number;
  /** The rate's window; 60 s for "per minute" (shorter only in tests). */
  windowMs?: number;
  pollMs?: number;
}

export class PostgresProviderLimits {
  private readonly owner = `limits-${randomUUID()}`;
  private readonly connection: PostgresConnection;
  private readonly holdMs: number;
  private readonly windowMs: number;
  private readonly pollMs: number;

  constructor(connection: PostgresConnection, options: SharedLimitOptions = {}) {
    this.connection = connection;
    this.holdMs = options.holdMs ?? 15 * 60_000;
    this.windowMs = options.windowMs ?? 60_000;
    this.pollMs = options.pollMs ?? 250;
  }

  /** Waits for a slot and room in the rate window; resolves to the release. Rejects with the signal's reason when aborted. */
  async acquire(provider: string, limits: SharedProviderLimits, signal?: AbortSignal): Promise<() => Promise<void>> {
    for (;;) {
      signal?.throwIfAborted();
      const attempt = await this.tryAcquire(provider, limits);
      if (typeof attempt === 'function') return attempt;
      await sleep(Math.max(10, Math.min(attempt.retryInMs, this.pollMs)), undefined, { signal }).catch((error: unknown) => {
        signal?.throwIfAborted(); // the caller's reason, not the timer's AbortError
        throw error;
      });
    }
  }

  private tryAcquire(provider: string, limits: SharedProviderLimits): Promise<(() => Promise<void>) | { retryInMs: number }> {
    return inTransaction(this.connection.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('hero_desk.provider'), hashtext($1))", [provider]);
      // a statement of its own after the lock, so its snapshot sees every commit made before the lock
      await client.query(`DELETE FROM provider_slots WHERE provider = $1 AND expires_at <= ${NOW_MS}`, [provider]);
      await client.query(`DELETE FROM provider_calls WHERE provider = $1 AND started_at <= ${NOW_MS} - $2`, [provider, this.windowMs]);
      const { rows } = await client.query<{ slots: string; calls: string; oldest: string | null; now: string }>(
        `SELECT (SELECT count(*) FROM provider_slots WHERE provider = $1) AS slots,
                (SELECT count(*) FROM provider_calls WHERE provider = $1) AS calls,
                (SELECT min(started_at) FROM provider_calls WHERE provider = $1) AS oldest,
                ${NOW_MS} AS now`,
        [provider],
      );
      const { slots, calls, oldest, now } = rows[0]!;
      if (limits.concurrency && Number(slots) >= limits.concurrency) return { retryInMs: this.pollMs };
      if (limits.ratePerMinute && Number(calls) >= limits.ratePerMinute) {
        return { retryInMs: Number(oldest) + this.windowMs - Number(now) + 1 };
      }
      if (limits.ratePerMinute) await client.query(`INSERT INTO provider_calls (provider, started_at) VALUES ($1, ${NOW_MS})`, [provider]);
      if (!limits.concurrency) return async () => {};
      const slot = await client.query<{ id: string }>(
        `INSERT INTO provider_slots (provider, owner, expires_at) VALUES ($1, $2, ${NOW_MS} + $3) RETURNING id`,
        [provider, this.owner, this.holdMs],
      );
      const id = slot.rows[0]!.id;
      return async () => {
        await this.connection.pool.query('DELETE FROM provider_slots WHERE id = $1', [id]);
      };
    });
  }
}
