// The relay's check of a publisher's message (shared/publication.ts, written by hand so the relay
// process does without zod): what readers may be given, and only that.
import { describe, expect, it } from 'vitest';
import { checkPublicationMessage } from '../../shared/publication.ts';
import { publication } from './helpers.ts';

const issuesOf = (input: unknown): string[] => {
  const result = checkPublicationMessage(input);
  return result.ok ? [] : result.issues;
};

describe('checkPublicationMessage', () => {
  it('passes a well-formed message through unchanged, variants and a null image included', () => {
    const message = publication({ variants: { 'hero-1600.avif': 'https://cdn.example/a.avif' } });
    expect(checkPublicationMessage(message)).toEqual({ ok: true, message });
    const retract = publication({ kind: 'retract', imageUrl: null });
    expect(checkPublicationMessage(retract)).toEqual({ ok: true, message: retract });
  });

  it('drops fields it does not know, so readers never receive them', () => {
    const result = checkPublicationMessage({ ...publication(), script: '<script>alert(1)</script>' });
    expect(result.ok && 'script' in result.message).toBe(false);
  });

  it('takes only absolute http(s) image URLs', () => {
    for (const imageUrl of [
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'file:///etc/passwd',
      'http:example.com',
      '/relative.png',
      'https://',
    ]) {
      expect(issuesOf(publication({ imageUrl })).join()).toMatch(/^imageUrl:/);
    }
    expect(issuesOf(publication({ imageUrl: `https://cdn.example/${'a'.repeat(2048)}` })).join()).toMatch(/imageUrl/);
    expect(issuesOf(publication({ variants: { small: 'javascript:alert(1)' } }))).toEqual([expect.stringMatching(/^variants\.small:/)]);
    expect(issuesOf(publication({ variants: { ['x'.repeat(41)]: 'https://cdn.example/a.png' } })).join()).toMatch(/variants/);
  });

  it('names every field out of bounds', () => {
    const issues = issuesOf({
      ...publication(),
      kind: 'delete',
      articleId: '',
      version: 1.5,
      headline: 'h'.repeat(501),
      publishedAt: Number.NaN,
    });
    expect(issues.map((issue) => issue.split(':')[0])).toEqual(['kind', 'version', 'publishedAt', 'articleId', 'headline']);
    expect(issuesOf([publication()])).toEqual(['(body): must be an object']);
    expect(issuesOf({ ...publication(), version: -1 }).join()).toMatch(/^version/);
  });
});
