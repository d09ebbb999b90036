// parseJsonLiftingImage (adapters/providers/http.ts) cuts a provider answer's base64 image out by byte
// search instead of parsing 4 MB of JSON on the event loop. It must give what a whole parse gives,
// and fall back to one whenever the shortcut could be wrong.
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../electron/core/adapters/types.ts';
import { parseJsonLiftingImage } from '../../electron/core/adapters/providers/http.ts';

const IMAGE = Buffer.from('\x89PNG\r\n\x1a\n pretend pixels '.repeat(500), 'latin1').toString('base64');

function lifted(text: string) {
  return parseJsonLiftingImage('a1111', Buffer.from(text, 'utf8'), 'images');
}

describe('parseJsonLiftingImage', () => {
  it('lifts the image out of an A1111 answer and parses the rest', () => {
    const info = JSON.stringify({ seed: 42, sd_model_name: 'sdxl "base"' });
    const { json, image } = lifted(JSON.stringify({ images: [IMAGE], parameters: {}, info }));
    expect(image).toBe(IMAGE);
    expect(json).toEqual({ images: [''], parameters: {}, info });
  });

  it('takes spacing between the key, the bracket and the string, and a bare string value', () => {
    expect(lifted(`{ "images" :\n [ "${IMAGE}" ], "info": "{}" }`).image).toBe(IMAGE);
    expect(lifted(`{"images": "${IMAGE}"}`)).toEqual({ json: { images: '' }, image: IMAGE });
  });

  it('skips the word as a value and finds the key after it', () => {
    const { json, image } = lifted(JSON.stringify({ kind: 'images', images: [IMAGE] }));
    expect(image).toBe(IMAGE);
    expect(json).toEqual({ kind: 'images', images: [''] });
  });

  it('parses whole, lifting nothing, when the string holds an escape', () => {
    const escaped = `{"images":["${IMAGE.slice(0, 40)}\\/${IMAGE.slice(40)}"]}`;
    const { json, image } = lifted(escaped);
    expect(image).toBeNull();
    expect(json).toEqual(JSON.parse(escaped));
  });

  it('parses whole when there is no such key or no string under it', () => {
    expect(lifted('{"error":"OutOfMemoryError","detail":"CUDA out of memory"}')).toEqual({
      json: { error: 'OutOfMemoryError', detail: 'CUDA out of memory' },
      image: null,
    });
    expect(lifted('{"images":[]}')).toEqual({ json: { images: [] }, image: null });
  });

  it('reports an answer cut short as not JSON (retryable), as a whole parse does', () => {
    const cut = JSON.stringify({ images: [IMAGE], info: '{}' }).slice(0, 2_000);
    const error = (() => {
      try {
        lifted(cut);
      } catch (thrown) {
        return thrown;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).kind).toBe('retryable');
    expect((error as AdapterError).message).toMatch(/^a1111: response is not JSON/);
  });
});
