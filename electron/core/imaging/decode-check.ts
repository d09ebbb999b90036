// An image is what decodes, not what starts with the right magic bytes: a PNG cut short in
// transit passes a sniff and then fails (or shows grey) later. One full decode settles it.
import sharp from 'sharp';

/** Decodes every pixel; throws with libvips' reason (e.g. "libpng read error") when the bytes are not a whole image. */
export async function assertDecodes(bytes: Buffer): Promise<{ width: number; height: number }> {
  const { info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height };
}
