// What the running desk decided at its start that its workers must follow too: auto-approval
// (`hero-desk start --auto-approve 7` wins over the config's), and the machine it runs on. Kept in `meta`, so a worker started
// before or after the desk, or after the desk restarted with another flag, reads the desk's choice.
import { getMeta, setMeta } from './meta.ts';
import type { Store } from './store.ts';

const AUTO_APPROVE_KEY = 'desk.autoApproveMinScore';
const HOST_KEY = 'desk.host';

export function recordDeskAutoApprove(store: Store, minScore: number | null): void {
  store.transaction(() => setMeta(store, AUTO_APPROVE_KEY, JSON.stringify(minScore)));
}

/** The desk's auto-approval score (null: off), or undefined when no desk has run on this file. */
export function deskAutoApprove(store: Store): number | null | undefined {
  const raw = getMeta(store, AUTO_APPROVE_KEY);
  if (raw === null) return undefined;
  const value: unknown = JSON.parse(raw);
  return typeof value === 'number' ? value : null;
}

/** The machine the desk runs on: images on local-disk storage can be served only from there. */
export function recordDeskHost(store: Store, host: string): void {
  store.transaction(() => setMeta(store, HOST_KEY, host));
}

export function deskHost(store: Store): string | null {
  return getMeta(store, HOST_KEY);
}
