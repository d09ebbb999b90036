// Small string helpers shared by the prompt builder and story policy.

/** "Hard-News", " hard_news " and "hard news" all compare equal. */
export function normaliseKey(value: string | null | undefined): string {
  return (value ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** First sentence of a summary, capped, so a long lede does not drown the style instructions. */
export function firstSentence(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const match = /^(.+?[.!?])(\s|$)/.exec(clean);
  const sentence = match?.[1] ?? clean;
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Comma-separated term lists merged case-insensitively, first spelling wins, order kept. */
export function mergeTerms(...lists: (string | null | undefined)[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const raw of (list ?? '').split(',')) {
      const term = raw.trim();
      const key = term.toLowerCase();
      if (term && !seen.has(key)) {
        seen.add(key);
        out.push(term);
      }
    }
  }
  return out.join(', ');
}
