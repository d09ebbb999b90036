// AI disclosure for published images: IPTC/XMP metadata, credit lines and alt text.
// Readers, search engines (Google reads DigitalSourceType) and the EU AI Act (Art. 50) expect
// AI output to be marked machine-readably; title cards and default images are not AI and get none.
import sharp from 'sharp';

/** IPTC NewsCode for "created by a trained model" (IPTC Digital Source Type vocabulary). */
export const DIGITAL_SOURCE_TYPE_AI = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
/** IPTC NewsCode for "original digital capture sampled from real life": an editor's photo. */
export const DIGITAL_SOURCE_TYPE_PHOTO = 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture';

/** What a published image is, for its credit line and metadata. */
export type ImageKind = 'ai' | 'synthetic' | 'photo';

/** What the XMP packet says about an editor's photo: a capture, not AI output. */
export interface PhotoDisclosureInfo {
  /** Who took or supplied it (the editor's credit), e.g. "Jane Doe / Harbour Herald". */
  creator?: string | null;
  site?: string | null;
  altText?: string | null;
}

/** What the XMP packet says about an AI-generated image. */
export interface DisclosureInfo {
  /** AI system used, e.g. "gpt-image-1" (IPTC 2025.1 "AI System Used"). */
  model: string;
  /** Adapter / vendor that ran the model, e.g. "openai". */
  provider: string;
  modelVersion?: string | null;
  /** The prompt actually sent (IPTC "AI Prompt Information"). */
  prompt?: string | null;
  /** Who wrote the prompt, e.g. "Hero Desk" or an editor (IPTC "AI Prompt Writer Name"). */
  promptWriter?: string | null;
  /** Publication name for the credit line. */
  site?: string | null;
  /** Who the editor credited instead of the site (the AI label stays). */
  credit?: string | null;
  altText?: string | null;
}

/** What readDisclosure found in an image's XMP. */
export interface ReadDisclosure {
  digitalSourceType: string | null;
  creator: string | null;
  model: string | null;
  modelVersion: string | null;
  prompt: string | null;
  credit: string | null;
  rights: string | null;
  description: string | null;
  altText: string | null;
}

/** The caption credit line, e.g. "Illustration: AI-generated with gpt-image-1, The Daily". */
export function captionCredit(provider: { name: string; synthetic?: boolean }, model?: string | null, site?: string | null): string {
  return creditLine(provider.synthetic ? 'synthetic' : 'ai', { model: model || provider.name, by: site });
}

/**
 * The credit line for any published image. `by` (the editor's credit, else the site) names who to
 * credit; it never replaces the AI label, so an edited credit cannot hide that an image is AI-made.
 */
export function creditLine(kind: ImageKind, { model, by }: { model?: string | null; by?: string | null }): string {
  // Synthetic images (title cards, default images) are not AI output: say what they are, nothing more.
  if (kind === 'synthetic') return `Illustration${by ? `: ${by}` : ''}`;
  if (kind === 'photo') return `Photo${by ? `: ${by}` : ''}`;
  return `Illustration: AI-generated with ${model || 'an AI model'}${by ? `, ${by}` : ''}`;
}

const MAX_ALT_LENGTH = 250;

/**
 * Purpose-based alt text: the scorer's one-sentence description without "image of" filler (screen readers
 * already announce an image); the headline as a fallback so alt is never empty for a content image.
 */
export function altTextFor(description: string | null | undefined, headline: string, kind: ImageKind = 'ai'): string {
  const cleaned = (description ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(an?|the)\s+(ai[- ]generated\s+)?(image|picture|photo(graph)?|illustration|rendering)\s+(of|showing|depicting)\s+/i, '')
    .trim();
  const text = cleaned
    ? cleaned.charAt(0).toUpperCase() + cleaned.slice(1)
    : `${kind === 'photo' ? 'Photo' : 'Illustration'} for "${headline.trim()}"`;
  const clipped = text.length > MAX_ALT_LENGTH ? `${text.slice(0, MAX_ALT_LENGTH - 1).trimEnd()}…` : text;
  return /[.!?…]$/.test(clipped) ? clipped : `${clipped}.`;
}

const ORIGINAL_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/avif': 'avif',
};

/**
 * Key for the provider's untouched original, next to its variants. Re-encoding strips a C2PA manifest
 * (and writing XMP into a signed file would invalidate it), so the original is stored byte-for-byte.
 */
export function originalKey(hash: string, contentType: string): string {
  const ext = ORIGINAL_EXTENSIONS[contentType.toLowerCase().split(';')[0]?.trim() ?? ''] ?? 'bin';
  return `heroes/${hash}/original.${ext}`;
}

function escapeXml(value: string): string {
  return (
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // eslint-disable-next-line no-control-regex -- stripping the control characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

function simple(tag: string, value: string | null | undefined): string {
  return value ? `   <${tag}>${escapeXml(value)}</${tag}>\n` : '';
}

function langAlt(tag: string, value: string | null | undefined): string {
  if (!value) return '';
  return `   <${tag}><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(value)}</rdf:li></rdf:Alt></${tag}>\n`;
}

/** An XMP packet (IPTC Core/Extension 2025.1, Photoshop, Dublin Core) declaring the image AI-generated. */
export function buildDisclosureXmp(info: DisclosureInfo): string {
  const credit = creditLine('ai', { model: info.model || info.provider, by: info.credit || info.site });
  const description = `AI-generated illustration (${info.model}${info.modelVersion ? ` ${info.modelVersion}` : ''} via ${info.provider})`;
  return xmpPacket(
    simple('Iptc4xmpExt:DigitalSourceType', DIGITAL_SOURCE_TYPE_AI) +
      simple('Iptc4xmpExt:AISystemUsed', info.model) +
      simple('Iptc4xmpExt:AISystemVersionUsed', info.modelVersion) +
      simple('Iptc4xmpExt:AIPromptInformation', info.prompt) +
      simple('Iptc4xmpExt:AIPromptWriterName', info.promptWriter) +
      simple('photoshop:Credit', credit) +
      langAlt('dc:rights', credit) +
      langAlt('dc:description', description) +
      langAlt('Iptc4xmpCore:AltTextAccessibility', info.altText),
  );
}

/** An XMP packet for an editor's photo: a digital capture with its credit, and none of the AI fields. */
export function buildPhotoXmp(info: PhotoDisclosureInfo): string {
  const credit = creditLine('photo', { by: info.creator || info.site });
  return xmpPacket(
    simple('Iptc4xmpExt:DigitalSourceType', DIGITAL_SOURCE_TYPE_PHOTO) +
      simple('photoshop:Credit', credit) +
      (info.creator ? `   <dc:creator><rdf:Seq><rdf:li>${escapeXml(info.creator)}</rdf:li></rdf:Seq></dc:creator>\n` : '') +
      langAlt('dc:rights', credit) +
      langAlt('dc:description', 'Photo supplied by the newsroom (not AI-generated)') +
      langAlt('Iptc4xmpCore:AltTextAccessibility', info.altText),
  );
}

function xmpPacket(properties: string): string {
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n' +
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
    '  <rdf:Description rdf:about=""\n' +
    '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n' +
    '    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"\n' +
    '    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"\n' +
    '    xmlns:dc="http://purl.org/dc/elements/1.1/">\n' +
    properties +
    '  </rdf:Description>\n' +
    ' </rdf:RDF>\n' +
    '</x:xmpmeta>\n' +
    '<?xpacket end="w"?>'
  );
}

function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A property as element text, rdf:Alt item or attribute (other tools may rewrite the packet either way). */
function readProperty(xmp: string, tag: string): string | null {
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const element = new RegExp(`<${escaped}(?:\\s[^>]*)?>([\\s\\S]*?)</${escaped}>`).exec(xmp);
  if (element?.[1] !== undefined) {
    const inner = element[1];
    const li = /<rdf:li[^>]*>([\s\S]*?)<\/rdf:li>/.exec(inner);
    return unescapeXml((li?.[1] ?? inner).trim());
  }
  const attribute = new RegExp(`\\s${escaped}="([^"]*)"`).exec(xmp);
  return attribute?.[1] !== undefined ? unescapeXml(attribute[1]) : null;
}

/** Reads the disclosure back from jpeg/webp/avif/png bytes; null when the image carries no XMP. */
export async function readDisclosure(bytes: Buffer): Promise<ReadDisclosure | null> {
  const { xmpAsString, xmp } = await sharp(bytes).metadata();
  const packet = xmpAsString ?? xmp?.toString('utf8');
  if (!packet) return null;
  return {
    digitalSourceType: readProperty(packet, 'Iptc4xmpExt:DigitalSourceType'),
    creator: readProperty(packet, 'dc:creator'),
    model: readProperty(packet, 'Iptc4xmpExt:AISystemUsed'),
    modelVersion: readProperty(packet, 'Iptc4xmpExt:AISystemVersionUsed'),
    prompt: readProperty(packet, 'Iptc4xmpExt:AIPromptInformation'),
    credit: readProperty(packet, 'photoshop:Credit'),
    rights: readProperty(packet, 'dc:rights'),
    description: readProperty(packet, 'dc:description'),
    altText: readProperty(packet, 'Iptc4xmpCore:AltTextAccessibility'),
  };
}
