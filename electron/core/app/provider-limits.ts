// A provider's "concurrency" and "ratePerMinute" counted in the store, so the desk and every
// `hero-desk worker` on its file share one limit (an image plan allows so many calls for the whole
// newsroom, not per process). Each check and take is one write transaction: no two processes both
// take the last slot. A slot whose holder died on this machine is free at once; one held elsewhere
// frees when it expires. Waiters in this process wake on a release here; others are looked for
// every pollMs (a provider call lasts seconds, a poll costs a read).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ProviderLimits, SharedLimiter } from '../adapters/limits.ts';
import { callsInWindow, dropProviderSlot, providerSlots, recordProviderCall, takeProviderSlot } from '../store/provider-slots.ts';
import type { Store } from '../store/store.ts';
import { ownerGone } from './resumed.ts';

export interface StoreProviderLimitsOptions {
  /** How long a slot outlives a holder that never released it: longer than any call. */
  holdMs?: number;
  /** The rate's window; 60 s for "per minute" (shorter only in tests). */
  windowMs?: number;
  pollMs?: number;
}

export class StoreProviderLimits implements SharedLimiter {
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly store: Store;
  private readonly holdMs: number;
  private readonly windowMs: number;
  private readonly pollMs: number;
  private readonly waiters = new Set<() => void>();

  constructor(store: Store, options: StoreProviderLimitsOptions = {}) {
    this.store = store;
    this.holdMs = options.holdMs ?? 15 * 60_000;
    this.windowMs = options.windowMs ?? 60_000;
    this.pollMs = options.pollMs ?? 250;
  }

  /** Waits for a slot and room in the rate window; resolves to the release. Rejects with the signal's reason when aborted. */
  async acquire(provider: string, limits: ProviderLimits, signal: AbortSignal): Promise<() => void> {
    for (;;) {
      signal.throwIfAborted();
      const attempt = this.tryAcquire(provider, limits);
      if (typeof attempt === 'function') return attempt;
      await this.waitFor(Math.max(5, Math.min(attempt.retryInMs, this.pollMs)), signal);
    }
  }

  private tryAcquire(provider: string, limits: ProviderLimits): (() => void) | { retryInMs: number } {
    return this.store.transaction(() => {
      const now = this.store.now();
      if (limits.concurrency) {
        let held = 0;
        for (const slot of providerSlots(this.store, provider)) {
          if (ownerGone(slot.owner, slot.expires_at, now)) dropProviderSlot(this.store, slot.id);
          else held++;
        }
        if (held >= limits.concurrency) return { retryInMs: this.pollMs };
      }
      if (limits.ratePerMinute) {
        const { calls, oldest } = callsInWindow(this.store, provider, now - this.windowMs);
        if (calls >= limits.ratePerMinute) return { retryInMs: (oldest ?? now) + this.windowMs - now + 1 };
        recordProviderCall(this.store, provider, now);
      }
      if (!limits.concurrency) return () => undefined;
      const id = takeProviderSlot(this.store, provider, this.owner, now + this.holdMs);
      return () => this.release(id);
    });
  }

  private release(id: number): void {
    try {
      this.store.transaction(() => dropProviderSlot(this.store, id));
    } catch {
      // a busy or full disk: the slot frees when it expires (or at once, once this process is gone)
    }
    for (const wake of [...this.waiters]) wake();
  }

  private waitFor(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal.removeEventListener('abort', onAbort);
      };
      const wake = () => {
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        // the caller's reason (a deadline, a shutdown), as the call itself would have seen it
        reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
