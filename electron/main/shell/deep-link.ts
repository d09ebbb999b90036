// hero-desk://article/<id> opens that story on the board. Links arrive as macOS `open-url`
// events, or on Windows/Linux in the argv of a second instance (or of the first launch); all of
// them are parsed here, strictly: anything else is ignored rather than guessed at.
export const DEEP_LINK_SCHEME = 'hero-desk';

export interface DeepLink {
  articleId: string;
}

/** Article ids are source record ids ("recXXXX") or demo ids; nothing that could be a path or markup. */
const ARTICLE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** Checked on the raw text too: URL parsing would quietly resolve "article/../x" to "x". */
const RAW_SHAPE = /^hero-desk:\/\/article\/[^/?#\\]+\/?$/i;

export function parseDeepLink(raw: string): DeepLink | null {
  if (typeof raw !== 'string' || !RAW_SHAPE.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:` || url.host !== 'article' || url.username || url.password) return null;
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  if (segments.length !== 1) return null;
  let articleId: string;
  try {
    articleId = decodeURIComponent(segments[0] as string);
  } catch {
    return null;
  }
  return ARTICLE_ID.test(articleId) ? { articleId } : null;
}

/** The first deep link among command-line arguments (Windows and Linux hand them over this way). */
export function deepLinkInArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseDeepLink(arg);
    if (link !== null) return link;
  }
  return null;
}
