// The drawer's commands (issue 10): candidates, the editor's own photo, alt text / credit / focal
// point, taking an approval back, and the embargo (issue 11). Kept apart from commands.ts so the contract's groups stay apart.
import type { z } from 'zod';
import type { commands } from '../../../shared/contract.ts';
import type { ImageStorage } from '../adapters/types.ts';
import { requireArticle } from '../store/articles.ts';
import { getImage, setImageOverrides } from '../store/images.ts';
import { openJob } from '../store/jobs.ts';
import { ActionRefusedError, republishArticle, undoApproval, useImage, type ActionDeps } from '../pipeline/article-actions.ts';
import { useEditorPhoto } from '../pipeline/editor-photo.ts';
import { publishNow, setEmbargo } from '../pipeline/embargo.ts';
import { cardDetail } from './card-detail.ts';
import type { CardUrls } from './cards.ts';

export interface DrawerDeps extends ActionDeps {
  urls: CardUrls;
  storage: ImageStorage;
  perceptualHash: ((bytes: Buffer) => Promise<string>) | null;
  /** Publication name for credit lines. */
  site: string | null;
  /** How long a regular story's approval can be undone (config approveUndoSeconds). */
  undoWindowMs: number;
}

type Input<K extends keyof typeof commands> = z.output<(typeof commands)[K]['input']>;
const OK = { ok: true } as const;

export function drawerHandlers(deps: DrawerDeps) {
  const { store } = deps;
  return {
    cardDetail: ({ articleId }: Input<'cardDetail'>) => cardDetail(store, deps.urls, deps.site, articleId),
    chooseCandidate: ({ articleId, imageId }: Input<'chooseCandidate'>) => {
      useImage(deps, articleId, imageId, `candidate ${imageId} chosen by editor`);
      return OK;
    },
    uploadImage: async ({ articleId, fileName, dataBase64, credit }: Input<'uploadImage'>) => {
      const bytes = Buffer.from(dataBase64, 'base64');
      const imageId = await useEditorPhoto(deps, { articleId, fileName, bytes, credit: credit ?? null });
      return { imageId };
    },
    setImageDetails: ({ articleId, imageId, altText, credit, focalPoint }: Input<'setImageDetails'>) => {
      store.transaction(() => {
        const article = requireArticle(store, articleId);
        const image = getImage(store, imageId);
        if (!image || image.article_id !== articleId)
          throw new ActionRefusedError(`image ${imageId} is not one of “${article.headline}”'s candidates`);
        const current = article.current_image_id === imageId;
        // the variants are being made from the old values right now; a waiting publication picks up the new ones
        if (current && (article.status === 'publishing' || openJob(store, articleId, 'publish')?.status === 'running')) {
          throw new ActionRefusedError(`“${article.headline}” is being published right now; change it once it is live`);
        }
        setImageOverrides(store, image, { altText, credit, focalPoint });
        // a live image is sent again with new variants (new crop, new alt text, new credit)
        if (current && article.status === 'published') republishArticle(deps, articleId, 'image details changed by editor');
      });
      return OK;
    },
    undoApprove: ({ articleId }: Input<'undoApprove'>) => {
      undoApproval(deps, articleId);
      return OK;
    },
    setEmbargo: ({ articleId, publishAt }: Input<'setEmbargo'>) => {
      setEmbargo(deps, articleId, publishAt, 'editor');
      return OK;
    },
    publishNow: ({ articleId }: Input<'publishNow'>) => {
      publishNow(deps, articleId);
      return OK;
    },
  };
}
