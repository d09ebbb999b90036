// What the relay sends readers over the WebSocket. The message itself (and its schema, which
// POST /publish validates) is shared/publication.ts.
import type { PublicationMessage } from '../../../shared/publication.ts';

/** First frame on every connection: where the relay's stream stands. */
export interface HelloFrame {
  type: 'hello';
  /** Names the relay's stream; kept across restarts (it changes only with a new data file), and a
   *  reader's since= from another epoch is meaningless. */
  epoch: string;
  seq: number;
  /** Changes before this seq may have been dropped (article limit); a reader whose since= is older may have missed some. */
  oldestSeq: number;
  /** True when the requested since= could not be fully replayed. */
  gap: boolean;
}

export interface ArticleFrame {
  type: 'article';
  seq: number;
  message: PublicationMessage;
}

export type RelayFrame = HelloFrame | ArticleFrame;
