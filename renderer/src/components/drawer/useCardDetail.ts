// Loads the drawer's on-demand detail (candidates, prompt history) for one story, and again after
// every event for its card (a new candidate, a choice, a saved focal point), keeping the last good
// answer on screen while the next one loads.
import { useEffect, useState } from 'react';
import type { CardDetail } from '../../../../shared/domain.ts';
import { useBoard } from '../../store/context.ts';
import { errorMessage } from '../../../../shared/error-message.ts';

export interface DetailState {
  detail: CardDetail | null;
  error: string | null;
}

export function useCardDetail(articleId: string): DetailState {
  const loadCardDetail = useBoard((s) => s.loadCardDetail);
  // every card event bumps this, including changes the card itself does not show (an image's focal point)
  const revision = useBoard((s) => s.cardSeq[articleId] ?? 0);
  const [state, setState] = useState<DetailState>({ detail: null, error: null });
  useEffect(() => {
    let current = true;
    loadCardDetail(articleId).then(
      (detail) => current && setState({ detail, error: null }),
      (error: unknown) => current && setState((s) => ({ detail: s.detail, error: errorMessage(error) })),
    );
    return () => {
      current = false;
    };
  }, [articleId, revision, loadCardDetail]);
  return state;
}
