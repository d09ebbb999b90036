// What the desktop shell needs to know from the core's events: how many stories await review (the
// dock badge / tray), and which changes deserve a native notification (shared/alerts.ts, the same
// rule as the board's browser notifications). Pure: fed the snapshot and the events.
import { alertFor, type BoardAlert } from '../../../shared/alerts.ts';
import type { HeroEvent } from '../../../shared/contract.ts';
import type { Card } from '../../../shared/domain.ts';

export interface ReviewChange {
  awaitingReview: number;
  alerts: BoardAlert[];
}

export class ReviewWatch {
  private readonly cards = new Map<string, Card>();

  /** Cards from a snapshot; ones an event already brought are newer and stay. Never alerts. */
  seed(cards: readonly Card[]): number {
    for (const card of cards) if (!this.cards.has(card.articleId)) this.cards.set(card.articleId, card);
    return this.awaitingReview;
  }

  apply(event: HeroEvent): ReviewChange | null {
    if (event.type !== 'card') return null;
    const before = this.cards.get(event.card.articleId);
    if (before !== undefined && before.version > event.card.version) return null; // out of order
    this.cards.set(event.card.articleId, event.card);
    const alert = alertFor(before, event.card);
    return { awaitingReview: this.awaitingReview, alerts: alert ? [alert] : [] };
  }

  get awaitingReview(): number {
    let count = 0;
    for (const card of this.cards.values()) if (card.status === 'generated') count++;
    return count;
  }
}
