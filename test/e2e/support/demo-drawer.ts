// The drawer's half of the scripted demo core (issue 10): candidates per story, the prompt
// history, the editor's photo (decoded with sharp like the real core does, and served back), alt
// text / credit / focal point, and the undo window of an approval. Kept apart from demo-core.ts.
import sharp from 'sharp';
import type { DispatchResult } from '../../../shared/contract.ts';
import type { Candidate, Card, CardDetail, CardImage, FocalPoint, PromptUse } from '../../../shared/domain.ts';

export interface DrawerHost {
  base: string;
  cards: Map<string, Card>;
  update(articleId: string, patch: Partial<Card>): Card;
  later(ms: number, fn: () => void): ReturnType<typeof setTimeout>;
  cancel(timer: ReturnType<typeof setTimeout>): void;
  /** How long a regular story's approval can be undone. */
  undoMs: number;
  uploads: Map<string, UploadedPhoto>;
}

interface StoryImages {
  candidates: Candidate[];
  prompts: PromptUse[];
  suggestedPrompt: string | null;
}

/** A photo the editor uploaded, served by the demo's image server at /upload/<key>. */
export interface UploadedPhoto {
  bytes: Buffer;
  contentType: string;
  thumb: Buffer;
}

const refused = (message: string): DispatchResult => ({ ok: false, error: { code: 'invalid_input', message } });
const illegal = (message: string): DispatchResult => ({ ok: false, error: { code: 'illegal_transition', message } });
const ok: DispatchResult = { ok: true, value: { ok: true } };

export function createDemoDrawer(host: DrawerHost) {
  const stories = new Map<string, StoryImages>();
  const publishTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let nextImageId = 1;

  /** A candidate like the real core projects one; hue picks the demo gradient. */
  function generated(card: Card, hue: number, fields: Partial<Candidate>): Candidate {
    const imageId = nextImageId++;
    return {
      imageId,
      current: false,
      source: 'generated',
      aiGenerated: true,
      url: `${host.base}/full/${card.articleId}-${imageId}.png?hue=${hue}`,
      thumbUrl: `${host.base}/thumb/${card.articleId}-${imageId}.png?hue=${hue}`,
      width: card.image?.width ?? 1200,
      height: card.image?.height ?? 675,
      provider: 'workers-ai',
      model: 'flux-1-schnell',
      prompt: card.prompt,
      seed: 1000 + imageId * 7919,
      score: card.score,
      scoreReason: card.scoreReason,
      flags: card.flags,
      costUsd: 0.003,
      revisedPrompt: null,
      attempt: null,
      altText: `Illustration for "${card.headline}".`,
      altTextOverride: null,
      credit: 'Illustration: AI-generated with flux-1-schnell, The Harbour Herald',
      creditOverride: null,
      focalPoint: null,
      fileName: null,
      createdAt: Date.now() - 60_000,
      ...fields,
    };
  }

  function imageOf(articleId: string, candidate: Candidate): CardImage {
    return {
      url: candidate.url,
      thumbUrl: candidate.thumbUrl,
      width: candidate.width,
      height: candidate.height,
      provider: candidate.provider,
      model: candidate.model,
      contentHash: `${articleId}-${candidate.imageId}`,
      publishedUrl: null,
    };
  }

  const subjectOf = (prompt: string) => prompt.split('\nStyle: ')[0]!.trim();

  /** Every card with an image gets it as its one candidate; the farmers market story gets three rounds. */
  function seed(): void {
    for (const card of host.cards.values()) {
      if (!card.image) continue;
      const hue = Number(new URL(card.image.url).searchParams.get('hue') ?? 200);
      if (card.articleId === 'rec002') {
        const rounds = [
          generated(card, (hue + 120) % 360, {
            score: 3.8,
            scoreReason: 'A forest path; nothing about a market.',
            flags: ['low_score'],
            attempt: 1,
            seed: 4_411_201,
            prompt: `${card.prompt}\nStyle: flat illustration.`,
            revisedPrompt: 'Stalls of fruit and flowers on the riverfront promenade, summer morning',
          }),
          generated(card, (hue + 240) % 360, {
            score: 4.6,
            scoreReason: 'Market stalls, but indoors under strip lights.',
            flags: ['low_score', 'legible_text'],
            attempt: 2,
            seed: 9_003_117,
            prompt: 'Stalls of fruit and flowers on the riverfront promenade, summer morning\nStyle: flat illustration.',
            revisedPrompt: 'Open-air farmers market by the river, striped awnings, families browsing',
          }),
          generated(card, hue, {
            score: card.score,
            scoreReason: card.scoreReason,
            flags: card.flags,
            attempt: 3,
            seed: 2_250_999,
            prompt: 'Open-air farmers market by the river, striped awnings, families browsing\nStyle: flat illustration.',
            revisedPrompt: 'Open-air farmers market on the riverfront at golden hour, striped awnings, no signs',
            current: true,
          }),
        ];
        // the current candidate's image is the card's image (same URL the board already shows)
        rounds[2] = { ...rounds[2]!, url: card.image.url, thumbUrl: card.image.thumbUrl };
        stories.set(card.articleId, {
          candidates: rounds,
          prompts: rounds.map((round, index) => ({
            prompt: round.prompt,
            subject: subjectOf(round.prompt),
            attempts: [index + 1],
            firstUsedAt: round.createdAt + index,
            lastUsedAt: round.createdAt + index,
          })),
          suggestedPrompt: rounds[2].revisedPrompt,
        });
        continue;
      }
      const only = { ...generated(card, hue, { attempt: 1, current: true }), url: card.image.url, thumbUrl: card.image.thumbUrl };
      stories.set(card.articleId, {
        candidates: [only],
        prompts: [
          { prompt: card.prompt, subject: subjectOf(card.prompt), attempts: [1], firstUsedAt: only.createdAt, lastUsedAt: only.createdAt },
        ],
        suggestedPrompt: null,
      });
    }
  }

  function story(articleId: string): StoryImages {
    let images = stories.get(articleId);
    if (!images) {
      images = { candidates: [], prompts: [], suggestedPrompt: null };
      stories.set(articleId, images);
    }
    return images;
  }

  /** Makes a candidate the image and puts the story in review, like the core's useImage. */
  function use(articleId: string, imageId: number): DispatchResult {
    const card = host.cards.get(articleId)!;
    const images = story(articleId);
    const chosen = images.candidates.find((candidate) => candidate.imageId === imageId);
    if (!chosen) return illegal(`image ${imageId} is not one of “${card.headline}”'s candidates`);
    if (card.status === 'publishing') return illegal(`“${card.headline}” is being published right now`);
    const timer = publishTimers.get(articleId);
    if (timer) host.cancel(timer);
    images.candidates = images.candidates.map((candidate) => ({ ...candidate, current: candidate.imageId === imageId }));
    images.suggestedPrompt = chosen.revisedPrompt;
    host.update(articleId, {
      status: 'generated',
      image: imageOf(articleId, chosen),
      score: chosen.score,
      scoreReason: chosen.scoreReason,
      flags: chosen.flags,
      altText: chosen.altTextOverride,
      prompt: chosen.prompt || card.prompt,
      undoUntil: null,
      lastError: null,
    });
    return ok;
  }

  async function upload(articleId: string, input: { fileName: string; dataBase64: string; credit?: string }): Promise<DispatchResult> {
    const bytes = Buffer.from(input.dataBase64, 'base64');
    const name = `“${input.fileName}”`;
    const metadata = await sharp(bytes)
      .metadata()
      .catch(() => null);
    if (!metadata || !['jpeg', 'png', 'webp'].includes(metadata.format ?? ''))
      return refused(`${name} is not an image Hero Desk can read; use a JPEG, PNG, WebP or AVIF photo`);
    const width = metadata.width ?? 0;
    const height = metadata.height ?? 0;
    if (width < 1200 || height < 630)
      return refused(`${name} is only ${width}×${height}; use one at least 1200×630 so the hero and social crops stay sharp`);
    const imageId = nextImageId++;
    const key = `${articleId}-${imageId}`;
    host.uploads.set(key, {
      bytes,
      contentType: `image/${metadata.format}`,
      thumb: await sharp(bytes).resize({ width: 480 }).webp().toBuffer(),
    });
    const credit = input.credit?.trim() || null;
    const card = host.cards.get(articleId)!;
    story(articleId).candidates.push({
      imageId,
      current: false,
      source: 'editor',
      aiGenerated: false,
      url: `${host.base}/upload/${key}`,
      thumbUrl: `${host.base}/upload/${key}?thumb=1`,
      width,
      height,
      provider: 'editor',
      model: 'photo',
      prompt: '',
      seed: null,
      score: null,
      scoreReason: null,
      flags: [],
      costUsd: 0,
      revisedPrompt: null,
      attempt: null,
      altText: `Photo for "${card.headline}".`,
      altTextOverride: null,
      credit: credit ? `Photo: ${credit}` : 'Photo: The Harbour Herald',
      creditOverride: credit,
      focalPoint: null,
      fileName: input.fileName,
      createdAt: Date.now(),
    });
    const used = use(articleId, imageId);
    return used.ok ? { ok: true, value: { imageId } } : used;
  }

  function setDetails(
    articleId: string,
    input: { imageId: number; altText?: string | null; credit?: string | null; focalPoint?: FocalPoint | null },
  ): DispatchResult {
    const images = story(articleId);
    const index = images.candidates.findIndex((candidate) => candidate.imageId === input.imageId);
    if (index === -1) return illegal(`image ${input.imageId} is not one of this story's candidates`);
    const before = images.candidates[index]!;
    const after: Candidate = { ...before };
    if (input.altText !== undefined) {
      after.altTextOverride = input.altText || null;
      after.altText = input.altText || `Illustration for "${host.cards.get(articleId)!.headline}".`;
    }
    if (input.credit !== undefined) {
      after.creditOverride = input.credit || null;
      const by = input.credit || 'The Harbour Herald';
      after.credit = before.source === 'editor' ? `Photo: ${by}` : `Illustration: AI-generated with ${before.model}, ${by}`;
    }
    if (input.focalPoint !== undefined) after.focalPoint = input.focalPoint;
    images.candidates[index] = after;
    host.update(articleId, after.current ? { altText: after.altTextOverride } : {});
    return ok;
  }

  /** The approve of the demo: breaking goes out at once, anything else after the undo window; both wait for an embargo. */
  function approve(articleId: string): void {
    const card = host.cards.get(articleId)!;
    const wait = card.breaking ? 300 : host.undoMs;
    const embargoWait = card.embargoUntil === null ? 0 : card.embargoUntil - Date.now();
    // like the core: the card counts down the undo window only when the wait is not the embargo's
    host.update(articleId, {
      status: 'approved',
      undoUntil: card.breaking || embargoWait >= wait ? null : Date.now() + wait,
      reviewNote: null,
    });
    schedulePublish(articleId, Math.max(wait, embargoWait));
  }

  function schedulePublish(articleId: string, wait: number): void {
    const previous = publishTimers.get(articleId);
    if (previous) host.cancel(previous);
    publishTimers.set(
      articleId,
      host.later(wait, () => {
        publishTimers.delete(articleId);
        const current = host.cards.get(articleId)!;
        if (current.status !== 'approved') return;
        host.update(articleId, {
          status: 'published',
          undoUntil: null,
          embargoUntil: null,
          image: current.image && { ...current.image, publishedUrl: current.image.url.replace('/full/', '/hero/') },
        });
      }),
    );
  }

  /** Embargo (issue 11), as the core: refused when past or live; an approved story's publication moves with it. */
  function embargo(articleId: string, publishAt: number | null): DispatchResult {
    const card = host.cards.get(articleId)!;
    if (publishAt !== null && publishAt < Date.now() - 1_000) return illegal('That time has passed: pick a later time, or use Publish now');
    if (card.status === 'published' || card.status === 'publishing')
      return illegal(`“${card.headline}” is already on its way to readers: an embargo can only hold a story that has not gone out`);
    host.update(articleId, { embargoUntil: publishAt, undoUntil: null });
    if (card.status === 'approved') schedulePublish(articleId, Math.max(300, (publishAt ?? 0) - Date.now()));
    return ok;
  }

  function publishNow(articleId: string): DispatchResult {
    const card = host.cards.get(articleId)!;
    if (card.status !== 'approved') return illegal(`Cannot publish “${card.headline}” now: it is ${card.status}: approve it first`);
    host.update(articleId, { embargoUntil: null, undoUntil: null });
    schedulePublish(articleId, 300);
    return ok;
  }

  function undo(articleId: string): DispatchResult {
    const card = host.cards.get(articleId)!;
    const timer = publishTimers.get(articleId);
    if (card.status !== 'approved' || !timer || (card.undoUntil ?? 0) <= Date.now())
      return illegal(`Too late to undo “${card.headline}”: it is already on its way to readers (use Pull from readers)`);
    host.cancel(timer);
    publishTimers.delete(articleId);
    host.update(articleId, { status: 'generated', undoUntil: null });
    return ok;
  }

  /** A regeneration's new image becomes the newest candidate, with its prompt in the history. */
  function regenerated(articleId: string, image: CardImage, prompt: string): void {
    const card = host.cards.get(articleId)!;
    const images = story(articleId);
    const hue = Number(new URL(image.url).searchParams.get('hue') ?? 200);
    const attempt = card.attempts;
    const next = {
      ...generated(card, hue, { attempt, prompt, score: card.score, scoreReason: card.scoreReason, flags: card.flags, current: true }),
      url: image.url,
      thumbUrl: image.thumbUrl,
    };
    images.candidates = [...images.candidates.map((candidate) => ({ ...candidate, current: false })), next];
    const known = images.prompts.find((use) => use.prompt === prompt);
    if (known) known.attempts.push(attempt);
    else images.prompts.push({ prompt, subject: subjectOf(prompt), attempts: [attempt], firstUsedAt: Date.now(), lastUsedAt: Date.now() });
    images.suggestedPrompt = null;
  }

  return {
    seed,
    approve,
    regenerated,
    detail(articleId: string): CardDetail {
      const images = story(articleId);
      return { articleId, candidates: images.candidates, prompts: images.prompts, suggestedPrompt: images.suggestedPrompt };
    },
    /** The drawer's commands, or undefined for any other. */
    async dispatch(name: string, articleId: string, input: Record<string, unknown>): Promise<DispatchResult | undefined> {
      switch (name) {
        case 'cardDetail':
          return { ok: true, value: this.detail(articleId) };
        case 'chooseCandidate':
          return use(articleId, Number(input.imageId));
        case 'uploadImage':
          return upload(articleId, input as { fileName: string; dataBase64: string; credit?: string });
        case 'setImageDetails':
          return setDetails(articleId, input as { imageId: number });
        case 'undoApprove':
          return undo(articleId);
        case 'setEmbargo':
          return embargo(articleId, input.publishAt === null ? null : Number(input.publishAt));
        case 'publishNow':
          return publishNow(articleId);
        default:
          return undefined;
      }
    },
  };
}
