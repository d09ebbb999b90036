// An image is what decodes, not what starts with the right magic bytes: a PNG cut short in
// transit passes a sniff and then fails (or shows grey) later. One full decode settles it.
// The pixels are kept (imaging/decoded.ts): scoring, the thumbnail and the hash read them next.
import { decodeAndKeep } from './decoded.ts';

/** Decodes every pixel; throws with libvips' reason (e.g. "libpng read error") when the bytes are not a whole image. */
export async function assertDecodes(bytes: Buffer): Promise<{ width: number; height: number }> {
  const { width, height } = await decodeAndKeep(bytes);
  return { width, height };
}
