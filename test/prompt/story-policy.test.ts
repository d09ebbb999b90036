import { describe, expect, it } from 'vitest';
import { decideStoryPolicy, StoryPolicyConfigSchema } from '../../electron/core/prompt/story-policy.ts';

const defaults = StoryPolicyConfigSchema.parse({});
const decide = (storyType: string | null, section = 'Local', breaking = false, config = defaults) =>
  decideStoryPolicy({ storyType, section, breaking }, config);

describe('story policy', () => {
  it('breaking news never gets photoreal, whatever the story type', () => {
    const d = decide('feature', 'Travel', true);
    expect(d).toMatchObject({ mode: 'illustration', allowPhotoreal: false, hardNews: true });
    expect(d.label).toBe('illustration only (breaking news)');
  });

  it('hard-news story types and crime sections are illustration only', () => {
    expect(decide('news').label).toBe('illustration only (hard news: news)');
    expect(decide('Hard-News').allowPhotoreal).toBe(false);
    expect(decide('Court').allowPhotoreal).toBe(false);
    const crime = decide('feature', 'Crime');
    expect(crime).toMatchObject({ allowPhotoreal: false, hardNews: true, label: 'illustration only (hard news: crime section)' });
  });

  it('features and explainers may be photoreal', () => {
    expect(decide('Feature')).toMatchObject({ mode: 'photoreal', allowPhotoreal: true, label: 'photoreal allowed (feature)' });
    expect(decide('explainer').allowPhotoreal).toBe(true);
  });

  it('unknown or missing story types get the safe choice', () => {
    expect(decide('opinion')).toMatchObject({ mode: 'illustration', allowPhotoreal: false, hardNews: false });
    expect(decide(null).label).toBe('illustration only (story type not set)');
    expect(decide('   ').allowPhotoreal).toBe(false);
  });

  it('obituaries get the default image', () => {
    expect(decide('Obituary')).toMatchObject({ mode: 'default-image', allowPhotoreal: false, label: 'default image (obituary)' });
  });

  it('hard news can be configured to use the default image instead of an illustration', () => {
    const config = StoryPolicyConfigSchema.parse({ hardNewsMode: 'default-image' });
    expect(decide('news', 'Local', false, config)).toMatchObject({ mode: 'default-image', label: 'default image (hard news: news)' });
    expect(decide('feature', 'Local', true, config).mode).toBe('default-image');
  });

  it('hard news wins over a photoreal listing of the same type', () => {
    const config = StoryPolicyConfigSchema.parse({ photorealStoryTypes: ['news', 'feature'] });
    expect(decide('news', 'Local', false, config).allowPhotoreal).toBe(false);
  });
});
