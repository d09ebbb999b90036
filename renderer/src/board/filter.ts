// What the editor is looking at: a search and filters over the board, kept in the address bar's
// query (the token lives in the fragment, and is wiped from it) so a reload or a shared link keeps
// the view. Pure functions, unit-tested under Node.
import { ARTICLE_STATUSES, TIERS, type ArticleStatus, type Card, type Tier } from '../../../shared/domain.ts';
import { isLate } from './deadline.ts';

export interface Filter {
  /** Words that must all appear in the headline, section or prompt (any case). */
  text: string;
  sections: string[];
  tiers: Tier[];
  statuses: ArticleStatus[];
  stale: boolean;
  lowScore: boolean;
  flagged: boolean;
  pastDeadline: boolean;
}

export const EMPTY_FILTER: Filter = {
  text: '',
  sections: [],
  tiers: [],
  statuses: [],
  stale: false,
  lowScore: false,
  flagged: false,
  pastDeadline: false,
};

export function isFiltering(filter: Filter): boolean {
  return (
    filter.text.trim() !== '' ||
    filter.sections.length > 0 ||
    filter.tiers.length > 0 ||
    filter.statuses.length > 0 ||
    filter.stale ||
    filter.lowScore ||
    filter.flagged ||
    filter.pastDeadline
  );
}

/** The tier as the board names it: a breaking story counts as breaking whatever tier it fell to. */
export const tierOf = (card: Card): Tier => (card.breaking ? 'breaking' : card.tier);

export interface MatchContext {
  now: number;
  /** Scores below this are "low"; null when unknown (then only the scorer's own low_score flag counts). */
  minScore: number | null;
}

/** Prepared once per filter change, then run per card (thousands per keystroke). */
export function matcher(filter: Filter, context: MatchContext): (card: Card) => boolean {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const sections = new Set(filter.sections.map((section) => section.toLowerCase()));
  const tiers = new Set(filter.tiers);
  const statuses = new Set(filter.statuses);
  return (card) => {
    if (sections.size > 0 && !sections.has(card.section.toLowerCase())) return false;
    if (tiers.size > 0 && !tiers.has(tierOf(card))) return false;
    if (statuses.size > 0 && !statuses.has(card.status)) return false;
    if (filter.stale && !card.stale) return false;
    if (filter.lowScore && !isLowScore(card, context.minScore)) return false;
    if (filter.flagged && !card.flags.some((flag) => flag !== 'low_score')) return false;
    if (filter.pastDeadline && !isLate(card, context.now)) return false;
    if (words.length > 0) {
      const haystack = `${card.headline}\n${card.section}\n${card.promptOverride ?? card.prompt}`.toLowerCase();
      if (!words.every((word) => haystack.includes(word))) return false;
    }
    return true;
  };
}

export function isLowScore(card: Card, minScore: number | null): boolean {
  if (card.flags.includes('low_score')) return true;
  return card.score !== null && minScore !== null && card.score < minScore;
}

const list = (value: string | null) =>
  value
    ? value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
    : [];
const only = <T extends string>(values: string[], allowed: readonly T[]) =>
  values.filter((value): value is T => (allowed as readonly string[]).includes(value));

/** The view as query parameters: short, readable, and only what is set. */
export function filterToQuery(filter: Filter): string {
  const params = new URLSearchParams();
  if (filter.text.trim()) params.set('q', filter.text.trim());
  if (filter.sections.length) params.set('section', filter.sections.join(','));
  if (filter.tiers.length) params.set('tier', filter.tiers.join(','));
  if (filter.statuses.length) params.set('status', filter.statuses.join(','));
  const flags = [
    filter.stale && 'stale',
    filter.lowScore && 'low-score',
    filter.flagged && 'flagged',
    filter.pastDeadline && 'late',
  ].filter(Boolean);
  if (flags.length) params.set('only', flags.join(','));
  return params.toString();
}

export function filterFromQuery(query: string): Filter {
  const params = new URLSearchParams(query);
  const flags = new Set(list(params.get('only')));
  return {
    text: params.get('q') ?? '',
    sections: list(params.get('section')),
    tiers: only(list(params.get('tier')), TIERS),
    statuses: only(list(params.get('status')), ARTICLE_STATUSES),
    stale: flags.has('stale'),
    lowScore: flags.has('low-score'),
    flagged: flags.has('flagged'),
    pastDeadline: flags.has('late'),
  };
}

export interface SavedView {
  name: string;
  filter: Filter;
}

/** Saved views live in this browser only (localStorage); a bad entry is skipped, never fatal. */
export function parseSavedViews(raw: string | null): SavedView[] {
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((entry): SavedView[] => {
      if (typeof entry !== 'object' || entry === null) return [];
      const { name, query } = entry as { name?: unknown; query?: unknown };
      return typeof name === 'string' && typeof query === 'string' ? [{ name, filter: filterFromQuery(query) }] : [];
    });
  } catch {
    return [];
  }
}

export function serializeSavedViews(views: readonly SavedView[]): string {
  return JSON.stringify(views.map((view) => ({ name: view.name, query: filterToQuery(view.filter) })));
}

/** The views a desk reaches for first; offered until the editor saves their own. */
export const STARTER_VIEWS: SavedView[] = [
  { name: 'Breaking', filter: { ...EMPTY_FILTER, tiers: ['breaking'] } },
  { name: 'Below threshold', filter: { ...EMPTY_FILTER, lowScore: true } },
  { name: 'Past deadline', filter: { ...EMPTY_FILTER, pastDeadline: true } },
  { name: 'Failed', filter: { ...EMPTY_FILTER, statuses: ['failed'] } },
];
