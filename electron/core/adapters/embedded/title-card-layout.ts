// Pure helpers for the title card: seeded randomness, palettes, XML escaping and headline fitting.
// Kept apart from the renderer so the layout rules can be read (and tested) without sharp.

/** Small deterministic PRNG (mulberry32): same seed → same card, new seed → a different look. */
export function seededRandom(seed: number): () => number {
  // Scramble first (murmur3 finalizer): neighbouring seeds otherwise start with near-equal draws.
  let state = seed >>> 0;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b) >>> 0;
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35) >>> 0;
  state = (state ^ (state >>> 16)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Palette {
  background: string;
  backgroundDeep: string;
  ink: string;
  muted: string;
  accents: [string, string, string];
}

// Hand-picked so every combination keeps light headline text readable on the background.
export const PALETTES: readonly Palette[] = [
  { background: '#14213d', backgroundDeep: '#0b1324', ink: '#ffffff', muted: '#aeb8cc', accents: ['#fca311', '#e76f51', '#4ea8de'] },
  { background: '#1b4332', backgroundDeep: '#0d2418', ink: '#f8f9f4', muted: '#b7cbbf', accents: ['#95d5b2', '#f4a261', '#d8f3dc'] },
  { background: '#3d0c11', backgroundDeep: '#220609', ink: '#fff8f0', muted: '#d9b8b0', accents: ['#e63946', '#f1c453', '#f4acb7'] },
  { background: '#22223b', backgroundDeep: '#14142a', ink: '#f2e9e4', muted: '#bdb6c6', accents: ['#c9ada7', '#9a8c98', '#f6bd60'] },
  { background: '#003049', backgroundDeep: '#001d2e', ink: '#fdf0d5', muted: '#a9c1cf', accents: ['#f77f00', '#d62828', '#fcbf49'] },
  { background: '#2b2d42', backgroundDeep: '#181a2b', ink: '#edf2f4', muted: '#b4b9c6', accents: ['#ef233c', '#8d99ae', '#ffd166'] },
  { background: '#264653', backgroundDeep: '#162b33', ink: '#ffffff', muted: '#b3c7cd', accents: ['#2a9d8f', '#e9c46a', '#f4a261'] },
  { background: '#1a1423', backgroundDeep: '#0e0a14', ink: '#fbf7ff', muted: '#bfb2cc', accents: ['#b388eb', '#72ddf7', '#f7aef8'] },
];

export function pickPalette(random: () => number): Palette {
  return PALETTES[Math.floor(random() * PALETTES.length)] ?? (PALETTES[0] as Palette);
}

// XML 1.0 forbids most control characters; rsvg rejects the whole document if one slips in.
function isXmlChar(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code !== 0xfffe && code !== 0xffff && (code < 0xd800 || code > 0xdfff))
  );
}

export function escapeXml(text: string): string {
  return Array.from(text)
    .filter(isXmlChar)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Greedy word wrap by character budget; words longer than a line are split with a hyphen. */
export function wrapWords(text: string, maxChars: number): string[] {
  const budget = Math.max(4, maxChars);
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = '';
  for (let word of words) {
    while (word.length > budget) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(`${word.slice(0, budget - 1)}-`);
      word = word.slice(budget - 1);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= budget) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Narrowest wrap with the same line count: evens out line lengths (like CSS text-wrap: balance). */
function balancedWrap(text: string, maxChars: number): string[] {
  let best = wrapWords(text, maxChars);
  for (let chars = maxChars - 1; chars >= Math.ceil(maxChars * 0.6); chars--) {
    const candidate = wrapWords(text, chars);
    if (candidate.length !== best.length) break;
    best = candidate;
  }
  return best;
}

export interface FittedText {
  lines: string[];
  fontSize: number;
  lineHeight: number;
}

/**
 * Largest font size at which the headline fits the box. SVG cannot measure text, so width is
 * estimated from an average glyph width for a bold serif (about 0.55 em).
 */
export function fitHeadline(text: string, box: { width: number; height: number; maxFontSize: number; minFontSize: number }): FittedText {
  const clean = text.replace(/\s+/g, ' ').trim() || 'Untitled';
  const glyph = 0.55;
  const leading = 1.12;
  for (let size = box.maxFontSize; size >= box.minFontSize; size -= 2) {
    const maxLines = Math.floor(box.height / (size * leading));
    const lines = balancedWrap(clean, Math.floor(box.width / (size * glyph)));
    if (lines.length <= maxLines) return { lines, fontSize: size, lineHeight: size * leading };
  }
  // Still too long at the smallest size: keep what fits and mark the cut.
  const size = box.minFontSize;
  const maxLines = Math.max(1, Math.floor(box.height / (size * leading)));
  const lines = wrapWords(clean, Math.floor(box.width / (size * glyph))).slice(0, maxLines);
  const last = lines.length - 1;
  lines[last] = `${(lines[last] ?? '').replace(/[\s,.;:-]+$/, '')}…`;
  return { lines, fontSize: size, lineHeight: size * leading };
}
