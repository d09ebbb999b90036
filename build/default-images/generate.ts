// Renders the shipped default hero images (abstract, calm, no text, no people) from SVG with sharp.
// Run once and commit the output: `node build/default-images/generate.ts`. Newsrooms replace these
// with their own set through the default-image provider's `dir` option.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const WIDTH = 1792;
const HEIGHT = 1024;
const root = dirname(fileURLToPath(import.meta.url));

interface Palette {
  from: string;
  to: string;
  accents: string[];
}
type Layout = 'orbs' | 'waves' | 'arcs' | 'stripes';

const SETS: Record<string, { palette: Palette; layouts: Layout[] }> = {
  politics: { palette: { from: '#16213e', to: '#3a5a8c', accents: ['#8fb3de', '#c9d6ea', '#5b7fb5'] }, layouts: ['arcs', 'orbs'] },
  business: { palette: { from: '#0f3d3e', to: '#2f7f79', accents: ['#9fd8cb', '#e0f2e9', '#5fb3a1'] }, layouts: ['waves', 'stripes'] },
  sport: { palette: { from: '#7a2e1d', to: '#e07a48', accents: ['#ffd3a8', '#fbe9d7', '#f0a06a'] }, layouts: ['stripes', 'arcs'] },
  culture: { palette: { from: '#3d1f47', to: '#a0577a', accents: ['#f2b8c6', '#f7e1e8', '#c98bb0'] }, layouts: ['orbs', 'waves'] },
  generic: { palette: { from: '#2b3440', to: '#7c8ea3', accents: ['#cfd8e3', '#eef2f6', '#a3b4c7'] }, layouts: ['waves', 'orbs', 'arcs'] },
};

/** Small seeded PRNG so re-running the script reproduces the same files. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shapes(layout: Layout, p: Palette, rnd: () => number): string {
  const accent = (i: number) => p.accents[i % p.accents.length];
  const out: string[] = [];
  if (layout === 'orbs') {
    for (let i = 0; i < 6; i++) {
      const r = 160 + rnd() * 320;
      out.push(
        `<circle cx="${rnd() * WIDTH}" cy="${rnd() * HEIGHT}" r="${r}" fill="${accent(i)}" opacity="${0.12 + rnd() * 0.2}" filter="url(#soft)"/>`,
      );
    }
  } else if (layout === 'waves') {
    for (let i = 0; i < 5; i++) {
      const y = HEIGHT * (0.35 + i * 0.13);
      const a = 60 + rnd() * 90;
      const d = `M0 ${y} C ${WIDTH * 0.25} ${y - a}, ${WIDTH * 0.45} ${y + a}, ${WIDTH * 0.7} ${y - a / 2} S ${WIDTH} ${y + a / 3}, ${WIDTH} ${y} V ${HEIGHT} H 0 Z`;
      out.push(`<path d="${d}" fill="${accent(i)}" opacity="${0.08 + i * 0.035}"/>`);
    }
  } else if (layout === 'arcs') {
    const cx = WIDTH * (0.3 + rnd() * 0.4);
    const cy = HEIGHT * (1.05 + rnd() * 0.2);
    for (let i = 0; i < 7; i++) {
      const r = 220 + i * 120;
      out.push(
        `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${accent(i)}" stroke-width="${18 + rnd() * 30}" opacity="${0.1 + rnd() * 0.14}"/>`,
      );
    }
    out.push(`<circle cx="${cx}" cy="${cy - 420}" r="260" fill="${accent(1)}" opacity="0.12" filter="url(#soft)"/>`);
  } else {
    for (let i = 0; i < 7; i++) {
      const x = -300 + i * 330 + rnd() * 80;
      const w = 60 + rnd() * 160;
      out.push(
        `<rect x="${x}" y="-400" width="${w}" height="${HEIGHT + 800}" fill="${accent(i)}" opacity="${0.08 + rnd() * 0.16}" transform="rotate(28 ${x} ${HEIGHT / 2})"/>`,
      );
    }
    out.push(`<circle cx="${WIDTH * 0.78}" cy="${HEIGHT * 0.3}" r="300" fill="${accent(0)}" opacity="0.14" filter="url(#soft)"/>`);
  }
  return out.join('\n');
}

function svg(layout: Layout, p: Palette, seed: number): string {
  const rnd = mulberry32(seed);
  const angle = Math.round(rnd() * 60 - 30);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
  <defs>
    <linearGradient id="bg" gradientTransform="rotate(${angle} 0.5 0.5)">
      <stop offset="0" stop-color="${p.from}"/><stop offset="1" stop-color="${p.to}"/>
    </linearGradient>
    <radialGradient id="vignette" cx="0.5" cy="0.45" r="0.75">
      <stop offset="0.6" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.28"/>
    </radialGradient>
    <filter id="soft" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="60"/></filter>
  </defs>
  <rect width="100%" height="100%" fill="url(#bg)"/>
  ${shapes(layout, p, rnd)}
  <rect width="100%" height="100%" fill="url(#vignette)"/>
</svg>`;
}

for (const [section, { palette, layouts }] of Object.entries(SETS)) {
  await mkdir(join(root, section), { recursive: true });
  for (const [i, layout] of layouts.entries()) {
    const seed = [...section].reduce((h, c) => h * 31 + c.charCodeAt(0), 7) + i;
    const jpeg = await sharp(Buffer.from(svg(layout, palette, seed)))
      .jpeg({ quality: 86, mozjpeg: true, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const file = join(root, section, `${section}-${i + 1}-${layout}.jpg`);
    await writeFile(file, jpeg);
    console.log(`${file} ${(jpeg.length / 1024).toFixed(0)} KiB`);
  }
}
