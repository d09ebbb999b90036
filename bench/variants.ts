// How long post-processing one provider-sized image (1792×1024) into every web variant takes.
// Run: node bench/variants.ts (or through bench/run.ts).
import sharp from 'sharp';
import { makeVariants } from '../electron/core/imaging/variants.ts';

const RUNS = 5;

/** Shapes, gradient and blurred grain: closer to a generated illustration than flat colour or white noise. */
async function sampleImage(): Promise<Buffer> {
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="1792" height="1024">' +
      '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">' +
      '<stop offset="0" stop-color="#1d3557"/><stop offset="0.5" stop-color="#e63946"/><stop offset="1" stop-color="#f1faee"/>' +
      '</linearGradient></defs><rect width="1792" height="1024" fill="url(#g)"/>' +
      '<circle cx="1200" cy="400" r="260" fill="#a8dadc"/><rect x="200" y="600" width="500" height="300" fill="#457b9d"/></svg>',
  );
  const noise = await sharp({
    create: { width: 1792, height: 1024, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 12 } },
  })
    .blur(1.2)
    .png()
    .toBuffer();
  return sharp(svg).composite([{ input: noise, blend: 'soft-light' }]).png().toBuffer();
}

export async function main(): Promise<void> {
  const original = await sampleImage();
  const disclosure = { model: 'gpt-image-1', provider: 'openai', prompt: 'bench', site: 'Bench Daily' };
  await makeVariants(original, { disclosure }); // warm-up: first call loads codecs
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const variants = await makeVariants(original, { disclosure, focalPoint: { x: 0.7, y: 0.4 } });
    times.push(performance.now() - started);
    count = variants.length;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `variants: 1792x1024 PNG -> ${count} variants (hero/og/square webp+avif+jpeg, thumb webp+jpeg): ` +
      `median ${median.toFixed(0)} ms over ${RUNS} runs (min ${(times[0] ?? 0).toFixed(0)}, max ${(times.at(-1) ?? 0).toFixed(0)})`,
  );
}

if (import.meta.main) await main();
