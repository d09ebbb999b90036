// What the header and the filter bar show about every card held (total spend, the sections in use),
// updated card by card as events arrive: summing 5,000 cards on every board update was a large share of
// the board's work while stories generate.
import type { Card } from '../../../shared/domain.ts';

export interface BoardSummary {
  spentUsd: number;
  /** Sections in use, sorted; a section only leaves with the next snapshot. */
  sections: readonly string[];
}

export function summarize(cards: Record<string, Card>): BoardSummary {
  let spentUsd = 0;
  const sections = new Set<string>();
  for (const card of Object.values(cards)) {
    spentUsd += card.costUsd;
    sections.add(card.section);
  }
  return { spentUsd, sections: sortSections(sections) };
}

/** The summary after `before` became `after`; the same object when nothing it shows changed. */
export function withCard(summary: BoardSummary, before: Card | undefined, after: Card): BoardSummary {
  const delta = after.costUsd - (before?.costUsd ?? 0);
  const newSection = !summary.sections.includes(after.section);
  if (delta === 0 && !newSection) return summary;
  return {
    spentUsd: summary.spentUsd + delta,
    sections: newSection ? sortSections(new Set([...summary.sections, after.section])) : summary.sections,
  };
}

function sortSections(sections: Set<string>): string[] {
  return [...sections].sort((a, b) => a.localeCompare(b));
}
