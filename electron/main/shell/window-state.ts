// Window size and position across restarts: a small JSON file in userData, validated on read (a
// hand-edited or truncated file means defaults, never a crash), and clamped to a display that is
// there now — a window saved on an unplugged monitor must not open off-screen.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive().max(100_000),
  height: z.number().int().positive().max(100_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Placement {
  /** Omitted x/y: let the OS centre the window. */
  bounds: Partial<Rect> & { width: number; height: number };
  maximized: boolean;
}

/** Enough of the window on a display to grab its title bar. */
const MIN_VISIBLE = { width: 120, height: 48 };

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), Math.max(low, high));

/**
 * Where to open: the saved bounds on the display showing most of them, shrunk to fit its work area
 * and pulled fully onto it; the default size (centred) when nothing was saved or no display shows
 * enough of it.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], size: { width: number; height: number }): Placement {
  if (saved === null) return { bounds: { ...size }, maximized: false };
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const shared = overlap(saved, area);
    if (shared.width < MIN_VISIBLE.width || shared.height < MIN_VISIBLE.height) continue;
    if (shared.width * shared.height > bestArea) {
      best = area;
      bestArea = shared.width * shared.height;
    }
  }
  if (best === null) return { bounds: { ...size }, maximized: saved.maximized };
  const width = Math.min(saved.width, best.width);
  const height = Math.min(saved.height, best.height);
  return {
    bounds: {
      x: clamp(saved.x, best.x, best.x + best.width - width),
      y: clamp(saved.y, best.y, best.y + best.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}

export function readWindowState(file: string): WindowState | null {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // missing or not JSON: defaults
  }
}

/** Atomic, so a crash mid-write leaves the previous state rather than half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(WindowStateSchema.parse(state)));
  renameSync(temp, file);
}
