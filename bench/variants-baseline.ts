// The minimal sharp program the variant pipeline is measured against: decode once to raw pixels,
// then crop, resize and encode the same 11 outputs (sizes, formats, quality, effort, metadata)
// all at once, with sharp's thread pool set to the machine's cores. Written out by hand on
// purpose: it shares no code with electron/core/imaging/variants.ts except the crop geometry.
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { CROP_SIZES, cropRectangle } from '../shared/crop.ts';
import type { FocalPoint } from '../shared/domain.ts';

export async function baselineVariants(original: Buffer, focalPoint: FocalPoint, xmp: string): Promise<number> {
  sharp.concurrency(availableParallelism());
  const { data, info } = await sharp(original, { autoOrient: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const outputs = CROP_SIZES.flatMap(({ name, width, height }) => {
    const rect = cropRectangle(info.width, info.height, width, height, focalPoint);
    const formats = name === 'thumb' ? ['webp', 'jpeg'] : ['webp', 'avif', 'jpeg'];
    return formats.map((format) => {
      const pipeline = sharp(data, { raw }).extract(rect).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).withXmp(xmp);
      if (format === 'webp') return pipeline.webp({ quality: 82, effort: 4 }).toBuffer();
      if (format === 'avif') return pipeline.avif({ quality: 55, effort: 2 }).toBuffer();
      return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true, progressive: true }).toBuffer();
    });
  });
  return (await Promise.all(outputs)).length;
}
