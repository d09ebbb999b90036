// The poll watermark, persisted by the core as an opaque JSON string:
// `since` is the newest record timestamp seen (server clock, whole seconds), `seen` the
// content hashes of recently delivered records so the overlap window never yields repeats.
import { z } from 'zod';

const CursorSchema = z.object({
  v: z.literal(1),
  since: z.number(),
  /** [recordId, contentHash, modifiedAt] */
  seen: z.array(z.tuple([z.string(), z.string(), z.number()])),
  /** Hash of the field mapping the records were read with (older cursors lack it). */
  mapping: z.string().optional(),
  /** Records that could not be read as articles, [recordId, modifiedAt]: read again later. */
  parked: z.array(z.tuple([z.string(), z.number()])).optional(),
});

export interface PollCursor {
  since: number;
  seen: Map<string, { hash: string; at: number }>;
  mapping: string | null;
  parked: Map<string, number>;
}

/** Parked records kept; past this the oldest are dropped (a mapping change still rereads its window). */
const PARKED_KEPT = 500;

/** Null for a missing or unreadable cursor: the caller starts over from its look-back. */
export function decodeCursor(text: string | null): PollCursor | null {
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success) return null;
  return {
    since: parsed.data.since,
    seen: new Map(parsed.data.seen.map(([id, hash, at]) => [id, { hash, at }])),
    mapping: parsed.data.mapping ?? null,
    parked: new Map(parsed.data.parked ?? []),
  };
}

/**
 * Keeps every hash that the overlap window can still return, plus the `memory` most recent
 * others (so write-backs or no-op touches of a recent record don't re-deliver it).
 */
export function encodeCursor(cursor: PollCursor, overlapMs: number, memory: number): string {
  const windowStart = cursor.since - overlapMs;
  const entries = [...cursor.seen.entries()].sort((a, b) => b[1].at - a[1].at);
  const kept = entries.filter(([, s], i) => s.at >= windowStart || i < memory);
  const parked = [...cursor.parked].slice(-PARKED_KEPT);
  return JSON.stringify({
    v: 1,
    since: cursor.since,
    seen: kept.map(([id, s]) => [id, s.hash, s.at]),
    mapping: cursor.mapping ?? undefined,
    parked,
  });
}
