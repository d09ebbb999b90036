// Readers hold absolute image URLs. The store keeps keys, so the board and new publications
// always use where the storage is reachable now; but messages readers already have carry the
// old address. When it moves (the media server started on another port), every published story
// goes out again as a new version with the new addresses.
import type { ImageStorage } from '../adapters/types.ts';
import type { Logger } from '../base/log.ts';
import { articleIdsWithStatus } from '../store/articles.ts';
import { getMeta, setMeta } from '../store/meta.ts';
import { republishArticle, type ActionDeps } from '../pipeline/article-actions.ts';

const ORIGIN_KEY = 'storage.urlOfProbeKey';
const PROBE_KEY = 'heroes/probe/probe.webp';

/** Returns how many published stories were sent again. */
export function republishIfStorageMoved(deps: ActionDeps, storage: Pick<ImageStorage, 'urlFor'>, logger: Logger): number {
  const { store } = deps;
  const now = storage.urlFor(PROBE_KEY);
  const before = getMeta(store, ORIGIN_KEY);
  let sent = 0;
  if (before !== null && before !== now) {
    for (const articleId of articleIdsWithStatus(store, 'published')) {
      if (republishArticle(deps, articleId, 'image addresses changed')) sent += 1;
    }
    if (sent > 0) logger.info({ from: before, to: now, stories: sent }, `image addresses changed; sending ${sent} published stories again`);
  }
  store.transaction(() => setMeta(store, ORIGIN_KEY, now));
  return sent;
}
