// The embedded image provider: a branded news title card rendered locally (SVG → PNG via sharp).
// No keys, no network, no cost; synthetic, so the pipeline skips AI disclosure and scoring loops.
import sharp from 'sharp';
import { z } from 'zod';
import type { GenerateRequest, GeneratedImage, ImageProvider } from '../types.ts';
import { escapeXml, fitHeadline, pickPalette, seededRandom } from './title-card-layout.ts';
import type { Palette } from './title-card-layout.ts';

export const TitleCardProviderConfigSchema = z.strictObject({
  brand: z.string().trim().min(1).max(60).default('Hero Desk Local'),
});
export type TitleCardProviderConfig = z.input<typeof TitleCardProviderConfigSchema>;

const MODEL = 'title-card-v1';
const SERIF = "Georgia, 'Liberation Serif', 'DejaVu Serif', serif";
const SANS = "'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

type Rng = () => number;
const pick = <T>(random: Rng, items: readonly [T, ...T[]]): T => items[Math.floor(random() * items.length)] ?? items[0];
const r1 = (n: number): string => n.toFixed(1);

/** Bauhaus-style tiles: each cell a square, quarter disc, triangle or ring in the palette's accents. */
function tilesPattern(random: Rng, p: Palette, x0: number, w: number, h: number): string {
  const cell = Math.round(h / (4 + Math.floor(random() * 3)));
  const out: string[] = [];
  for (let x = x0; x < x0 + w; x += cell) {
    for (let y = 0; y < h; y += cell) {
      const fill = pick(random, p.accents);
      const opacity = r1(0.35 + random() * 0.65);
      const shape = Math.floor(random() * 5);
      const cx = x + cell / 2;
      const cy = y + cell / 2;
      if (shape === 0) out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" opacity="${opacity}"/>`);
      else if (shape === 1) {
        // quarter disc anchored in one corner, turned by a seed-chosen multiple of 90°
        const turn = 90 * Math.floor(random() * 4);
        out.push(
          `<path d="M${x},${y} L${x + cell},${y} A${cell},${cell} 0 0 1 ${x},${y + cell} Z" transform="rotate(${turn} ${cx} ${cy})" fill="${fill}" opacity="${opacity}"/>`,
        );
      } else if (shape === 2)
        out.push(`<polygon points="${x},${y + cell} ${x + cell},${y + cell} ${x + cell},${y}" fill="${fill}" opacity="${opacity}"/>`);
      else if (shape === 3)
        out.push(
          `<circle cx="${cx}" cy="${cy}" r="${r1(cell * 0.32)}" fill="none" stroke="${fill}" stroke-width="${r1(cell * 0.12)}" opacity="${opacity}"/>`,
        );
    }
  }
  return `<g clip-path="url(#art)">${out.join('')}</g>`;
}

/** Overlapping discs and rings, like a newspaper's graphic-desk abstract. */
function orbitsPattern(random: Rng, p: Palette, x0: number, w: number, h: number): string {
  const out: string[] = [];
  const count = 6 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const cx = r1(x0 + random() * w);
    const cy = r1(random() * h);
    const r = r1(h * (0.08 + random() * 0.45));
    const color = pick(random, p.accents);
    if (random() < 0.55) out.push(`<circle cx="${cx}" cy="${cy}" r="${r}" fill="${color}" opacity="${r1(0.25 + random() * 0.6)}"/>`);
    else
      out.push(
        `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${color}" stroke-width="${r1(h * (0.006 + random() * 0.02))}" opacity="0.9"/>`,
      );
  }
  return `<g clip-path="url(#art)">${out.join('')}</g>`;
}

/** Diagonal bands of varying width at a seed-chosen angle. */
function bandsPattern(random: Rng, p: Palette, x0: number, w: number, h: number): string {
  const angle = pick(random, [-35, -20, 20, 35, 55] as const);
  const out: string[] = [];
  for (let x = x0 - h; x < x0 + w + h;) {
    const band = h * (0.03 + random() * 0.12);
    if (random() < 0.7)
      out.push(
        `<rect x="${r1(x)}" y="${-h}" width="${r1(band)}" height="${h * 3}" fill="${pick(random, p.accents)}" opacity="${r1(0.3 + random() * 0.7)}"/>`,
      );
    x += band + h * (0.02 + random() * 0.08);
  }
  return `<g clip-path="url(#art)"><g transform="rotate(${angle} ${r1(x0 + w / 2)} ${r1(h / 2)})">${out.join('')}</g></g>`;
}

export interface TitleCardContent {
  headline: string;
  section: string;
  prompt: string;
  brand: string;
  seed: number;
  width: number;
  height: number;
}

/** FNV-1a: a stable 32-bit number for a prompt's text. */
function promptHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function buildTitleCardSvg(card: TitleCardContent): string {
  const { width: w, height: h } = card;
  // the prompt never appears on the card (readers see it); an edited prompt picks other colours and shapes instead
  const random = seededRandom((card.seed ^ promptHash(card.prompt)) >>> 0);
  const palette = pickPalette(random);
  const u = Math.min(h, w * 0.6); // type scale follows the shorter side, so square cards stay balanced
  const margin = Math.round(w * 0.065);
  const columnWidth = Math.round(w * 0.56);
  const artX = Math.round(w * 0.42); // starts where the fade is still opaque: no visible clip edge
  const pattern = pick(random, [tilesPattern, orbitsPattern, bandsPattern] as const)(random, palette, artX, w - artX, h);
  const accent = palette.accents[0];

  const sectionSize = Math.round(u * 0.03);
  const sectionY = Math.round(h * 0.17);
  const headlineTop = sectionY + Math.round(u * 0.07);
  const ruleY = Math.round(h * 0.82);
  const headlineSpace = ruleY - headlineTop - u * 0.05;
  const fitted = fitHeadline(card.headline, {
    width: columnWidth,
    height: headlineSpace,
    maxFontSize: Math.round(u * 0.13),
    minFontSize: Math.round(u * 0.04),
  });
  // Short headlines sit in the optical middle of the column rather than hugging the label.
  const blockHeight = fitted.lines.length * fitted.lineHeight;
  const blockTop = headlineTop + Math.max(0, (headlineSpace - blockHeight) * 0.4);
  const headline = fitted.lines
    .map((line, i) => `<tspan x="${margin}" y="${r1(blockTop + fitted.fontSize * 0.9 + i * fitted.lineHeight)}">${escapeXml(line)}</tspan>`)
    .join('');
  const section = escapeXml((card.section.trim() || 'News').toUpperCase().slice(0, 40));

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<defs>
  <clipPath id="art"><rect x="${artX}" y="0" width="${w - artX}" height="${h}"/></clipPath>
  <linearGradient id="fade" x1="0" y1="0" x2="1" y2="0">
    <stop offset="0.42" stop-color="${palette.background}" stop-opacity="1"/>
    <stop offset="0.78" stop-color="${palette.background}" stop-opacity="0"/>
  </linearGradient>
  <linearGradient id="ground" x1="0" y1="0" x2="0.3" y2="1">
    <stop offset="0" stop-color="${palette.background}"/><stop offset="1" stop-color="${palette.backgroundDeep}"/>
  </linearGradient>
</defs>
<rect width="${w}" height="${h}" fill="url(#ground)"/>
${pattern}
<rect width="${w}" height="${h}" fill="url(#fade)"/>
<rect x="0" y="0" width="${w}" height="${Math.max(4, Math.round(u * 0.012))}" fill="${accent}"/>
<rect x="${margin}" y="${sectionY - sectionSize * 0.8}" width="${Math.round(u * 0.045)}" height="${Math.round(sectionSize * 0.8)}" fill="${accent}"/>
<text x="${margin + Math.round(u * 0.06)}" y="${sectionY}" font-family="${SANS}" font-weight="700" font-size="${sectionSize}" letter-spacing="${r1(sectionSize * 0.18)}" fill="${accent}">${section}</text>
<text font-family="${SERIF}" font-weight="700" font-size="${fitted.fontSize}" fill="${palette.ink}">${headline}</text>
<rect x="${margin}" y="${ruleY}" width="${columnWidth}" height="${Math.max(1, Math.round(u * 0.002))}" fill="${palette.muted}" opacity="0.6"/>
<text x="${margin}" y="${Math.round(h * 0.885)}" font-family="${SANS}" font-weight="700" font-size="${Math.round(u * 0.034)}" fill="${palette.ink}">${escapeXml(card.brand)}</text>
</svg>`;
}

/** Rejects as soon as the signal aborts, even while libvips is still rendering. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createTitleCardProvider(config: TitleCardProviderConfig = {}): ImageProvider {
  const { brand } = TitleCardProviderConfigSchema.parse(config);
  return {
    name: 'title-card',
    estimateCostUsd: () => 0,
    synthetic: true,
    async generate(request: GenerateRequest): Promise<GeneratedImage> {
      const svg = buildTitleCardSvg({ ...request, brand });
      const bytes = await abortable(sharp(Buffer.from(svg)).png({ compressionLevel: 8 }).toBuffer(), request.signal);
      return { bytes, contentType: 'image/png', model: MODEL, costUsd: 0, seed: request.seed, c2pa: false };
    },
  };
}
