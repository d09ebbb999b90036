import { describe, expect, it } from 'vitest';
import { buildPrompt, promptSubject, PromptConfigSchema } from '../../electron/core/prompt/build-prompt.ts';
import { DEFAULT_HOUSE_STYLES } from '../../electron/core/prompt/house-styles.ts';

const article = {
  headline: 'Council approves new harbour footbridge',
  summary: 'The £4m bridge will link the marina to the old town. Work starts in spring.',
  section: 'Local',
  storyType: 'news',
};

describe('buildPrompt', () => {
  it('derives the subject from headline and first summary sentence, with the section style', () => {
    const built = buildPrompt(article);
    expect(built.prompt).toContain('"Council approves new harbour footbridge"');
    expect(built.prompt).toContain('The £4m bridge will link the marina to the old town.');
    expect(built.prompt).not.toContain('Work starts in spring');
    expect(built.prompt).toContain(DEFAULT_HOUSE_STYLES.local?.illustration);
    expect(built.houseStyle).toBe('local');
  });

  it('hard news: illustration style, guard sentence and anti-photo negatives', () => {
    const built = buildPrompt(article);
    expect(built).toMatchObject({ allowPhotoreal: false, mode: 'illustration', policyLabel: 'illustration only (hard news: news)' });
    expect(built.prompt).toMatch(/illustration, not a photograph/);
    expect(built.negativePrompt).toContain('photorealistic');
    expect(built.negativePrompt).toContain('street signs'); // local's own negatives
    expect(built.negativePrompt).toContain('watermark'); // base negatives
  });

  it('features get the photo style and no anti-photo negatives', () => {
    const built = buildPrompt({ ...article, section: 'Sport', storyType: 'feature' });
    expect(built.allowPhotoreal).toBe(true);
    expect(built.policyLabel).toBe('photoreal allowed (feature)');
    expect(built.prompt).toContain(DEFAULT_HOUSE_STYLES.sport?.photo);
    expect(built.prompt).not.toMatch(/not a photograph/);
    expect(built.negativePrompt).not.toContain('photorealistic');
    expect(built.negativePrompt).toContain('jersey numbers');
  });

  it('a section without a photo style stays illustrated even for features, and says why', () => {
    const built = buildPrompt({ ...article, section: 'Politics', storyType: 'feature' });
    expect(built.allowPhotoreal).toBe(false);
    expect(built.policyLabel).toBe('illustration only (politics house style)');
  });

  it("the editor's override wins for the subject but not for the policy", () => {
    const built = buildPrompt({ ...article, breaking: true, override: 'A photo of the mayor cutting a ribbon' });
    expect(built.prompt.startsWith('A photo of the mayor cutting a ribbon')).toBe(true);
    expect(built.prompt).not.toContain('Council approves');
    expect(built.allowPhotoreal).toBe(false);
    expect(built.prompt).toMatch(/not a photograph/);
    expect(built.negativePrompt).toContain('real person likeness');
    expect(built.policyLabel).toBe('illustration only (breaking news)');
  });

  it('an LLM brief is used when there is no override; a blank override is ignored', () => {
    const built = buildPrompt({ ...article, override: '  ', brief: 'A slender bridge arcing over moored boats' });
    expect(built.prompt.startsWith('A slender bridge arcing over moored boats')).toBe(true);
  });

  it('resolves section aliases and falls back to the default style', () => {
    expect(buildPrompt({ ...article, section: 'Sports' }).houseStyle).toBe('sport');
    expect(buildPrompt({ ...article, section: 'ARTS' }).houseStyle).toBe('culture');
    expect(buildPrompt({ ...article, section: 'Puzzles' }).houseStyle).toBe('default');
  });

  it('has defaults for the main newsroom sections', () => {
    for (const s of ['local', 'politics', 'business', 'sport', 'culture', 'weather', 'crime', 'health', 'education']) {
      expect(DEFAULT_HOUSE_STYLES[s]?.illustration.length).toBeGreaterThan(10);
    }
  });

  it('config overrides one section without losing the others; aliases merge too', () => {
    const config = PromptConfigSchema.parse({
      houseStyles: { Sport: { illustration: 'retro screen-print poster', negative: 'whistles' } },
      sectionAliases: { athletics: 'sport' },
    });
    const sport = buildPrompt({ ...article, section: 'athletics', storyType: 'feature', ...config });
    expect(sport.prompt).toContain('retro screen-print poster');
    expect(sport.allowPhotoreal).toBe(false); // the custom style has no photo variant
    expect(sport.negativePrompt).toContain('whistles');
    expect(buildPrompt({ ...article, section: 'Weather', ...config }).prompt).toContain(DEFAULT_HOUSE_STYLES.weather?.illustration);
  });

  it('negative terms are de-duplicated case-insensitively', () => {
    const built = buildPrompt({
      ...article,
      baseNegative: 'Text, logo, text',
      houseStyles: { local: { illustration: 'x', negative: 'LOGO, boats' } },
    });
    expect(built.negativePrompt.split(', ').filter((t) => t.toLowerCase() === 'logo')).toHaveLength(1);
    expect(built.negativePrompt.startsWith('Text, logo, boats')).toBe(true);
  });

  it('obituaries report default-image mode but still carry a safe illustration prompt', () => {
    const built = buildPrompt({ ...article, storyType: 'obituary' });
    expect(built.mode).toBe('default-image');
    expect(built.allowPhotoreal).toBe(false);
    expect(built.prompt).toMatch(/not a photograph/);
  });

  it('caps a long summary sentence', () => {
    const built = buildPrompt({ ...article, summary: `${'word '.repeat(200)}end.`, maxSummaryChars: 60 });
    const context = built.prompt.split('Context: ')[1]?.split('\n')[0] ?? '';
    expect(context.length).toBeLessThanOrEqual(61);
    expect(context.endsWith('…')).toBe(true);
  });

  it('is pure: same input, same output', () => {
    expect(buildPrompt(article)).toEqual(buildPrompt(article));
  });

  it('gives back what a built prompt asked to show, so using it again does not stack the style lines', () => {
    const built = buildPrompt({ ...article, override: 'A footbridge at dawn, rowers below' });
    expect(promptSubject(built.prompt)).toBe('A footbridge at dawn, rowers below');
    const again = buildPrompt({ ...article, override: promptSubject(built.prompt) });
    expect(again.prompt).toBe(built.prompt);
    expect(promptSubject('no style lines at all')).toBe('no style lines at all');
  });
});
