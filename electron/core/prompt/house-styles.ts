// Per-section house styles. `illustration` is always safe to use; `photo` is used only when story
// policy allows photoreal, and null means the section never goes photoreal (e.g. politics, crime).
import { z } from 'zod';
import { normaliseKey } from './text.ts';

export const HouseStyleSchema = z.strictObject({
  illustration: z.string().min(1),
  photo: z.string().min(1).nullable().default(null),
  /** Comma-separated things this section's images must avoid. */
  negative: z.string().default(''),
});
export type HouseStyle = z.infer<typeof HouseStyleSchema>;

export const DEFAULT_HOUSE_STYLES: Record<string, HouseStyle> = {
  default: {
    illustration: 'editorial illustration, bold simple shapes, limited muted palette, subtle paper texture',
    photo: 'natural-light documentary photography, 35mm lens, shallow depth of field',
    negative: '',
  },
  local: {
    illustration: 'warm gouache-style editorial illustration of a generic neighbourhood scene, soft daylight',
    photo: 'documentary photography of an everyday street scene, people small and unrecognisable, soft daylight',
    negative: 'recognisable landmarks, street signs, shop names',
  },
  politics: {
    illustration: 'conceptual editorial illustration with symbolic objects (ballot box, lectern, chamber seats), restrained palette',
    photo: null,
    negative: 'likeness of politicians, party logos, campaign posters, flags with writing',
  },
  business: {
    illustration: 'clean isometric editorial illustration, abstract charts and coins, cool blue palette',
    photo: 'crisp commercial photography of objects and workplaces, no faces',
    negative: 'company logos, brand names, readable numbers on screens',
  },
  sport: {
    illustration: 'dynamic editorial illustration with motion lines, bold team-neutral colours',
    photo: 'action sports photography, telephoto, anonymous athletes from behind or at a distance',
    negative: 'team crests, jersey numbers, sponsor logos, recognisable athletes',
  },
  culture: {
    illustration: 'expressive painterly illustration, rich saturated colour',
    photo: 'atmospheric arts photography, stage lighting, audience from behind',
    negative: 'copies of famous artworks, celebrity likeness, posters with text',
  },
  weather: {
    illustration: 'atmospheric landscape illustration, dramatic sky and light',
    photo: 'wide-angle landscape photography, dramatic sky',
    negative: 'weather map text, temperature numbers, identifiable town',
  },
  crime: {
    illustration: 'sober conceptual illustration with symbolic objects (gavel, scales, abstract barrier tape), no people',
    photo: null,
    negative: 'victims, suspects, faces, weapons, blood, police badges',
  },
  health: {
    illustration: 'calm clean editorial illustration, soft pastel palette, simple medical symbols',
    photo: 'bright clinical photography of equipment and hands, no faces',
    negative: 'patient faces, needles in skin, graphic medical imagery',
  },
  education: {
    illustration: 'friendly editorial illustration of books, desks and a chalkboard, warm palette',
    photo: 'documentary photography of an empty classroom or library',
    negative: 'identifiable children, school names, school crests',
  },
  science: {
    illustration: 'precise scientific-editorial illustration, clean lines, deep blue and white',
    photo: 'macro and laboratory photography, clean light',
    negative: 'fake formulas, labelled diagrams',
  },
  technology: {
    illustration: 'modern flat vector illustration, abstract devices and circuitry, vivid accent colour',
    photo: 'product-style photography of generic devices, soft studio light',
    negative: 'brand logos, readable screen text, app icons',
  },
  environment: {
    illustration: 'lush nature illustration, layered landscape, greens and earth tones',
    photo: 'nature photography, golden hour',
    negative: 'identifiable town, company logos',
  },
  opinion: {
    illustration: 'conceptual editorial illustration, a single striking visual metaphor, two-colour palette',
    photo: null,
    negative: 'likeness of real people',
  },
};

/** Configured styles are merged over the defaults, so a newsroom can restyle one section only. */
export const HouseStylesSchema = z
  .record(z.string(), HouseStyleSchema)
  .default({})
  .transform((custom) => ({ ...DEFAULT_HOUSE_STYLES, ...custom }));

export const DEFAULT_SECTION_ALIASES: Record<string, string> = {
  news: 'local',
  'local news': 'local',
  sports: 'sport',
  arts: 'culture',
  entertainment: 'culture',
  economy: 'business',
  money: 'business',
  finance: 'business',
  tech: 'technology',
  climate: 'environment',
  schools: 'education',
  courts: 'crime',
  justice: 'crime',
  comment: 'opinion',
};

/** Section name → house style: exact, then alias, then the `default` style. */
export function houseStyleFor(
  section: string,
  styles: Record<string, HouseStyle>,
  aliases: Record<string, string>,
): { key: string; style: HouseStyle } {
  const lookup = new Map(Object.entries(styles).map(([k, v]) => [normaliseKey(k), v] as const));
  const aliasMap = new Map(Object.entries(aliases).map(([k, v]) => [normaliseKey(k), normaliseKey(v)] as const));
  const key = normaliseKey(section);
  const candidates = [key, aliasMap.get(key), 'default'];
  for (const candidate of candidates) {
    const style = candidate ? lookup.get(candidate) : undefined;
    if (candidate && style) return { key: candidate, style };
  }
  return { key: 'default', style: DEFAULT_HOUSE_STYLES.default as HouseStyle };
}
