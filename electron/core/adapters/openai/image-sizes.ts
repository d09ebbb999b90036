// Which `size` to ask an OpenAI image model for, given the card's wanted width/height.
// Per the reference (§1.3): every GPT image model takes 1024x1024 / 1536x1024 / 1024x1536;
// gpt-image-2 and 2.5 also take arbitrary WxH (sides divisible by 16, aspect 1:3–3:1,
// above 2560x1440 experimental, max 3840x2160). 2.6 is not documented as custom-size capable.
import { baseModelId } from './prices.ts';

export const FIXED_SIZES = ['1024x1024', '1536x1024', '1024x1536'] as const;

/** Largest custom size we ask for by default: bigger is "experimental" and costs more tokens. */
export const DEFAULT_MAX_CUSTOM = { width: 2560, height: 1440 };

export function supportsCustomSize(model: string): boolean {
  const base = baseModelId(model);
  return base === 'gpt-image-2' || base.startsWith('gpt-image-2.5-');
}

export interface SizeChoice {
  size: string;
  width: number;
  height: number;
}

export function chooseImageSize(
  model: string,
  width: number,
  height: number,
  options: { customSizes?: boolean; maxCustom?: { width: number; height: number } } = {},
): SizeChoice {
  const custom = options.customSizes ?? supportsCustomSize(model);
  return custom ? customSize(width, height, options.maxCustom ?? DEFAULT_MAX_CUSTOM) : nearestFixed(width, height);
}

/** The fixed size whose aspect ratio is closest (in log space, so 2:1 and 1:2 are equally far from 1:1). */
function nearestFixed(width: number, height: number): SizeChoice {
  const wanted = Math.log(width / height);
  let best: SizeChoice = { size: FIXED_SIZES[0], width: 1024, height: 1024 };
  let bestDistance = Infinity;
  for (const size of FIXED_SIZES) {
    const [w, h] = size.split('x').map(Number) as [number, number];
    const distance = Math.abs(Math.log(w / h) - wanted);
    if (distance < bestDistance) {
      best = { size, width: w, height: h };
      bestDistance = distance;
    }
  }
  return best;
}

function customSize(width: number, height: number, max: { width: number; height: number }): SizeChoice {
  // Clamp the aspect ratio into 1:3..3:1 first, keeping the longer side.
  let w = width;
  let h = height;
  if (w / h > 3) h = w / 3;
  if (h / w > 3) w = h / 3;
  // Scale down (never up) to fit the cap, preserving aspect.
  const scale = Math.min(1, max.width / Math.max(w, h), max.height / Math.min(w, h));
  const round16 = (n: number): number => Math.max(16, Math.round(n / 16) * 16);
  w = round16(w * scale);
  h = round16(h * scale);
  // Rounding can nudge a 3:1 request just past the limit; widen the short side one step.
  while (w / h > 3) h += 16;
  while (h / w > 3) w += 16;
  return { size: `${w}x${h}`, width: w, height: h };
}
