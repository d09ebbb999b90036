// Display helpers shared by the card tiles and the detail panel.
import type { Card } from '../../shared/domain.ts';

export const formatCost = (usd: number): string => `$${usd.toFixed(3)}`;

/** A forecast, to the cent ("est. $0.04"); fractions of a cent keep their digits ("est. $0.003"). */
export const formatEstimate = (usd: number): string => `est. $${usd === 0 || usd >= 0.01 ? usd.toFixed(2) : usd.toFixed(3)}`;

export const formatScore = (score: number | null): string => (score === null ? '–' : score.toFixed(1));

export const formatFlag = (flag: string): string => flag.replaceAll('_', ' ');

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The provider that made the current image, else the last one tried. */
export function providerOf(card: Card): string | null {
  return card.image?.provider ?? card.history.at(-1)?.provider ?? null;
}

export const STATUS_LABEL: Record<Card['status'], string> = {
  pending: 'Queued',
  generating: 'Generating…',
  scoring: 'Scoring…',
  generated: 'Awaiting review',
  approved: 'Approved',
  publishing: 'Publishing…',
  published: 'Published',
  rejected: 'Rejected',
  failed: 'Failed',
};
