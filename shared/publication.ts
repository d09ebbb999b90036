// What readers receive when an article's hero image goes live (or is retracted): the one definition
// of the message, shared by the core's publishers and the relay. The relay checks it on POST
// /publish because it also runs standalone and must not trust its publishers' input blindly. The
// check is written by hand: `hero-desk relay` loads only the relay, and zod alone is ~15 MiB there.

export interface PublicationMessage {
  kind: 'publish' | 'retract';
  articleId: string;
  /** Monotonic per article; readers ignore anything not newer than what they have. */
  version: number;
  idempotencyKey: string;
  headline: string;
  summary: string;
  section: string;
  imageUrl: string | null;
  /** Responsive variants, when storage produced them. */
  variants?: Record<string, string>;
  altText: string;
  credit: string;
  publishedAt: number;
}

export type PublicationCheck = { ok: true; message: PublicationMessage } | { ok: false; issues: string[] };

const URL_MAX = 2048;

/**
 * Readers put these in <img src>: only absolute http(s) URLs ("http://…", never "http:host"),
 * never javascript:/data:. Returns the URL as the browser will read it, or null.
 */
function imageUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > URL_MAX) return null;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed) || URL.parse(trimmed) === null) return null;
  // the URL parser drops tabs and newlines before parsing; so does the value we pass on
  return trimmed.replace(/[\t\n\r]/g, '');
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a message from a publisher; the result carries only the known fields (unknown ones are dropped). */
export function checkPublicationMessage(input: unknown): PublicationCheck {
  if (!isPlainObject(input)) return { ok: false, issues: ['(body): must be an object'] };
  const issues: string[] = [];
  const text = (key: string, min: number, max: number): string => {
    const value = input[key];
    if (typeof value === 'string' && value.length >= min && value.length <= max) return value;
    issues.push(`${key}: must be a string of ${min} to ${max} characters`);
    return '';
  };
  const kind = input.kind;
  if (kind !== 'publish' && kind !== 'retract') issues.push('kind: must be "publish" or "retract"');
  const version = input.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) issues.push('version: must be a non-negative integer');
  const publishedAt = input.publishedAt;
  if (typeof publishedAt !== 'number' || !Number.isFinite(publishedAt)) issues.push('publishedAt: must be a finite number');
  let image: string | null = null;
  if (input.imageUrl !== null) {
    image = imageUrl(input.imageUrl);
    if (image === null) issues.push(`imageUrl: must be null or an http(s) URL of at most ${URL_MAX} characters`);
  }
  let variants: Record<string, string> | undefined;
  if (input.variants !== undefined) {
    if (!isPlainObject(input.variants)) issues.push('variants: must be an object of name → http(s) URL');
    else {
      variants = {};
      for (const [name, value] of Object.entries(input.variants)) {
        const url = imageUrl(value);
        if (name.length > 40) issues.push(`variants.${name.slice(0, 40)}…: a variant name has at most 40 characters`);
        else if (url === null) issues.push(`variants.${name}: must be an http(s) URL of at most ${URL_MAX} characters`);
        else variants[name] = url;
      }
    }
  }
  const message: PublicationMessage = {
    kind: kind as PublicationMessage['kind'],
    articleId: text('articleId', 1, 200),
    version: version as number,
    idempotencyKey: text('idempotencyKey', 1, 200),
    headline: text('headline', 0, 500),
    summary: text('summary', 0, 20_000),
    section: text('section', 0, 100),
    imageUrl: image,
    ...(variants === undefined ? {} : { variants }),
    altText: text('altText', 0, 1000),
    credit: text('credit', 0, 300),
    publishedAt: publishedAt as number,
  };
  return issues.length === 0 ? { ok: true, message } : { ok: false, issues };
}
