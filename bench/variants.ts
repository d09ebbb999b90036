// Post-processing one provider-sized image (1792×1024) into every web variant, against a minimal
// sharp program writing the same 11 outputs (bench/variants-baseline.ts), taking turns in one run.
// The full run also prints AVIF's effort trade-off (time, bytes, PSNR) behind AVIF_EFFORT.
import os from 'node:os';
import sharp from 'sharp';
import { buildDisclosureXmp } from '../electron/core/imaging/disclosure.ts';
import { AVIF_EFFORT, AVIF_QUALITY, makeVariants } from '../electron/core/imaging/variants.ts';
import { isShort, median, report } from './report.ts';
import { baselineVariants } from './variants-baseline.ts';

/** Shapes, gradient and blurred grain: closer to a generated illustration than flat colour or white noise. */
export async function sampleImage(): Promise<Buffer> {
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
  return sharp(svg)
    .composite([{ input: noise, blend: 'soft-light' }])
    .png()
    .toBuffer();
}

async function timed(work: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** Peak signal-to-noise ratio of an encoded image against the raw pixels it was made from (dB). */
async function psnr(reference: Buffer, encoded: Buffer): Promise<number> {
  const decoded = await sharp(encoded).removeAlpha().raw().toBuffer();
  let sum = 0;
  for (let i = 0; i < reference.length; i++) sum += ((reference[i] ?? 0) - (decoded[i] ?? 0)) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / reference.length));
}

async function avifTradeOff(original: Buffer): Promise<void> {
  console.log(`  AVIF effort trade-off (hero 1600×900, quality ${AVIF_QUALITY}; chosen effort ${AVIF_EFFORT}):`);
  const hero = sharp(original).resize(1600, 900, { fit: 'cover', kernel: 'lanczos3' }).removeAlpha();
  const reference = await hero.clone().raw().toBuffer();
  for (const effort of [0, 1, 2, 3, 4, 6]) {
    const times: number[] = [];
    let bytes = Buffer.alloc(0);
    for (let i = 0; i < (effort >= 4 ? 1 : 3); i++) {
      const started = performance.now();
      bytes = await hero.clone().avif({ quality: AVIF_QUALITY, effort }).toBuffer();
      times.push(performance.now() - started);
    }
    const quality = await psnr(reference, bytes);
    console.log(
      `    effort ${effort}: ${median(times).toFixed(0)} ms, ${(bytes.length / 1024).toFixed(1)} KiB, PSNR ${quality.toFixed(2)} dB${effort === AVIF_EFFORT ? '  ← chosen' : ''}`,
    );
  }
}

export async function main(): Promise<void> {
  const rounds = isShort() ? 2 : 7;
  const original = await sampleImage();
  const disclosure = { model: 'gpt-image-1', provider: 'openai', prompt: 'bench', site: 'Bench Daily' };
  const focalPoint = { x: 0.7, y: 0.4 };
  const xmp = buildDisclosureXmp(disclosure);
  console.log(`variants: 1792×1024 PNG → 11 variants (hero/og/square webp+avif+jpeg, thumb webp+jpeg), ${rounds} rounds taking turns`);
  console.log(`  ${os.availableParallelism()} cores; UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`);
  // warm-up: the first call loads codecs
  const count = (await makeVariants(original, { disclosure, focalPoint })).length;
  await baselineVariants(original, focalPoint, xmp);
  const ours: { ms: number; cpuMs: number }[] = [];
  const base: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    ours.push(await timed(() => makeVariants(original, { disclosure, focalPoint })));
    base.push(await timed(() => baselineVariants(original, focalPoint, xmp)));
  }
  const oursMs = median(ours.map((r) => r.ms));
  const baseMs = median(base.map((r) => r.ms));
  console.log(`  project made ${count} variants; sharp.concurrency() now ${sharp.concurrency()}`);
  report({
    name: 'variants wall time per image',
    unit: 'ms',
    project: oursMs,
    baseline: baseMs,
    baselineName: 'minimal sharp program',
    higherIsBetter: false,
    target: { text: '≤ 1.1× baseline', met: oursMs <= 1.1 * baseMs },
  });
  report({
    name: 'variants CPU time per image',
    unit: 'ms',
    project: median(ours.map((r) => r.cpuMs)),
    baseline: median(base.map((r) => r.cpuMs)),
    baselineName: 'minimal sharp program',
    higherIsBetter: false,
  });
  if (!isShort()) await avifTradeOff(original);
}

if (import.meta.main) await main();
