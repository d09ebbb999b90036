// The lanes of the PostgreSQL chaos run, shared by run.ts (which checks them) and worker.ts (which runs them).
export const CHAOS_LANES = [
  { name: 'breaking', concurrency: 2 },
  { name: 'regular', concurrency: 3 },
] as const;

/** Short, so a killed worker's jobs come back within the run. */
export const LEASE_MS = 800;
