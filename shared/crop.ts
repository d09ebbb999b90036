// Crop geometry shared by the core (web variants) and the board (crop previews), so what the
// editor sees in the drawer is exactly what readers get. Pure math: no Node, no DOM.
import type { FocalPoint } from './domain.ts';

export type CropName = 'hero' | 'og' | 'square' | 'thumb';

export interface CropSize {
  name: CropName;
  width: number;
  height: number;
  /** How the drawer names it. */
  label: string;
}

/** The published renditions' sizes; electron/core/imaging/variants.ts adds the formats. */
export const CROP_SIZES: readonly CropSize[] = [
  { name: 'hero', width: 1600, height: 900, label: 'Hero 16:9' },
  { name: 'og', width: 1200, height: 630, label: 'Open Graph 1200×630' },
  { name: 'square', width: 1080, height: 1080, label: 'Square' },
  { name: 'thumb', width: 480, height: 270, label: 'Thumbnail' },
];

export interface CropRectangle {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const CENTRE: FocalPoint = { x: 0.5, y: 0.5 };

/**
 * The largest rectangle with the target's aspect ratio that fits the source, centred on the focal
 * point and then clamped to the edges, so the focal point always stays inside the crop.
 */
export function cropRectangle(
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  targetHeight: number,
  focal: FocalPoint = CENTRE,
): CropRectangle {
  const targetRatio = targetWidth / targetHeight;
  let width = sourceWidth;
  let height = sourceHeight;
  if (sourceWidth / sourceHeight > targetRatio) width = Math.max(1, Math.min(sourceWidth, Math.round(sourceHeight * targetRatio)));
  else height = Math.max(1, Math.min(sourceHeight, Math.round(sourceWidth / targetRatio)));
  const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0.5);
  const centreX = clamp01(focal.x) * sourceWidth;
  const centreY = clamp01(focal.y) * sourceHeight;
  const left = Math.min(sourceWidth - width, Math.max(0, Math.round(centreX - width / 2)));
  const top = Math.min(sourceHeight - height, Math.max(0, Math.round(centreY - height / 2)));
  return { left, top, width, height };
}
