import { describe, expect, it } from 'vitest';
import { classifyOpenAIError, redact, retryAfterMsFrom } from '../../electron/core/adapters/openai/errors.ts';
import { chooseImageSize, supportsCustomSize } from '../../electron/core/adapters/openai/image-sizes.ts';
import { baseModelId, priceFor, textCostUsd } from '../../electron/core/adapters/openai/prices.ts';

describe('image size choice', () => {
  it('knows which models take arbitrary sizes', () => {
    expect(supportsCustomSize('gpt-image-2')).toBe(true);
    expect(supportsCustomSize('gpt-image-2-2026-04-21')).toBe(true);
    expect(supportsCustomSize('gpt-image-2.5-sunburst-2026-09-08')).toBe(true);
    expect(supportsCustomSize('gpt-image-2.6-flare')).toBe(false);
    expect(supportsCustomSize('gpt-image-1.5')).toBe(false);
  });

  it('maps to the nearest fixed size by aspect ratio', () => {
    expect(chooseImageSize('gpt-image-2.6-flare', 1920, 1080).size).toBe('1536x1024');
    expect(chooseImageSize('gpt-image-2.6-flare', 1080, 1920).size).toBe('1024x1536');
    expect(chooseImageSize('gpt-image-2.6-flare', 1100, 1000).size).toBe('1024x1024');
  });

  it('custom sizes are multiples of 16, within 1:3–3:1 and the cap', () => {
    expect(chooseImageSize('gpt-image-2', 1792, 1024).size).toBe('1792x1024');
    expect(chooseImageSize('gpt-image-2', 1200, 675).size).toBe('1200x672');
    expect(chooseImageSize('gpt-image-2', 3840, 2160).size).toBe('2560x1440');
    for (const [w, h] of [
      [3000, 1000],
      [4000, 500],
      [500, 4000],
      [1001, 333],
    ] as const) {
      const s = chooseImageSize('gpt-image-2', w, h);
      expect(s.width % 16).toBe(0);
      expect(s.height % 16).toBe(0);
      expect(Math.max(s.width / s.height, s.height / s.width)).toBeLessThanOrEqual(3);
      expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(2560);
    }
  });
});

describe('error helpers', () => {
  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    expect(retryAfterMsFrom(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': '3' }))).toBe(3000);
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(retryAfterMsFrom(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 12:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': 'soon' }))).toBeNull();
    expect(retryAfterMsFrom(undefined)).toBeNull();
  });

  it('redacts keys', () => {
    expect(redact('bad key sk-abc123DEF456 given', 'nothing')).toBe('bad key sk-[redacted] given');
    expect(redact('key=plainsecret!', 'plainsecret')).toBe('key=[redacted]!');
  });

  it('wraps unknown errors as retryable without leaking the key', () => {
    const err = classifyOpenAIError(new Error('socket hang up near sk-live-abcdef123'), 'OpenAI images');
    expect(err.kind).toBe('retryable');
    expect(err.message).not.toContain('abcdef123');
  });
});

describe('prices', () => {
  it('strips snapshot dates and knows current models', () => {
    expect(baseModelId('gpt-image-2.5-flare-2026-09-08')).toBe('gpt-image-2.5-flare');
    expect(priceFor('gpt-image-2-2026-04-21').known).toBe(true);
    expect(priceFor('gpt-image-9').known).toBe(false);
    expect(priceFor('gpt-image-9').price.imageOutput).toBe(30); // unknown models are priced, not free
  });

  it('text cost splits cached input', () => {
    // gpt-5.6-luna: $0.20 in, $0.02 cached, $1.20 out per 1M
    const cost = textCostUsd(
      { input_tokens: 1_000_000, output_tokens: 100_000, input_tokens_details: { cached_tokens: 500_000 } },
      priceFor('gpt-5.6-luna').price,
    );
    expect(cost).toBeCloseTo(0.1 + 0.01 + 0.12, 8);
  });
});
