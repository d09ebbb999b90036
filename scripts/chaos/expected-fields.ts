// What an article's AITable record should hold once write-back has caught up: the status label,
// the image (compared by storage key, because the media server's port changes between runs),
// score, cost, alt text and one attached copy of the published hero. Mirrors
// core/app/write-back-bridge.ts and adapters/aitable/write-back.ts; change both together.
import type { ArticleFacts, RecordFacts } from './facts.ts';
import { AITABLE_FIELDS } from './hero-desk.ts';

/** Write-back labels per article status (default statusLabels). Transient states are not reported. */
export const STATUS_LABELS: Record<string, string> = {
  pending: 'Queued',
  generated: 'Generated',
  approved: 'Approved',
  published: 'Published',
  failed: 'Failed',
  rejected: 'Rejected',
};

/** The storage key in a media URL (http://host:port/media/<key>), or the value itself if it is a key. */
export function keyOf(value: string): string {
  if (!/^https?:\/\//.test(value)) return value;
  try {
    const { pathname } = new URL(value);
    const path = pathname.startsWith('/media/') ? pathname.slice('/media/'.length) : pathname.replace(/^\//, '');
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return value;
  }
}

function cellText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') return (value as { text: string }).text;
  return null;
}

const show = (value: unknown) => (value === undefined ? 'empty' : JSON.stringify(value));

/** Each way the record differs from the article's state (empty when they agree). */
export function fieldMismatches(article: ArticleFacts, record: RecordFacts): string[] {
  const label = STATUS_LABELS[article.status];
  if (label === undefined) return []; // generating/scoring/publishing: not reported, judged as stuck instead
  const cells = record.cells;
  const out: string[] = [];
  const status = cells[AITABLE_FIELDS.status];
  if (status !== label) out.push(`${AITABLE_FIELDS.status} is ${show(status)}, the article is ${article.status} (expected "${label}")`);
  const image = article.image;
  if (image && article.status !== 'pending') {
    const expected = image.heroKey ?? image.key;
    const url = cellText(cells[AITABLE_FIELDS.imageUrl]);
    if (url === null) out.push(`${AITABLE_FIELDS.imageUrl} is empty, expected the image ${expected}`);
    else if (keyOf(url) !== expected) out.push(`${AITABLE_FIELDS.imageUrl} points at ${keyOf(url)}, expected ${expected}`);
    const score = cells[AITABLE_FIELDS.score];
    if (image.score !== null && score !== image.score) out.push(`${AITABLE_FIELDS.score} is ${show(score)}, expected ${image.score}`);
    if (image.description && cells[AITABLE_FIELDS.altText] !== image.description)
      out.push(`${AITABLE_FIELDS.altText} is ${show(cells[AITABLE_FIELDS.altText])}`);
  }
  const cost = Math.round(article.costUsd * 10_000) / 10_000;
  const written = cells[AITABLE_FIELDS.cost];
  if (article.status !== 'pending' && Math.abs((typeof written === 'number' ? written : 0) - cost) > 1e-9) {
    out.push(`${AITABLE_FIELDS.cost} is ${show(written)}, expected ${cost}`);
  }
  if (article.status === 'published') {
    const files = record.attachmentShas;
    if (files.length === 0) out.push(`${AITABLE_FIELDS.imageAttachment} holds no file, expected the published hero`);
    else if (image?.heroSha256 && !files.includes(image.heroSha256))
      out.push(`${AITABLE_FIELDS.imageAttachment} holds a different image than the published hero`);
  }
  return out;
}
