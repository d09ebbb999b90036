// Images for the fake AUTOMATIC1111: every seed gives a different picture (random shapes on a
// gradient), so the local scorer passes it (right size, not blank) and the near-duplicate check
// does not mistake one story's hero for another's.
import sharp from 'sharp';
import { createRandom } from './random.ts';

export async function pictureFor(width: number, height: number, seed: number): Promise<Buffer> {
  const random = createRandom(seed);
  const hue = () => Math.floor(random() * 360);
  const shapes: string[] = [];
  for (let i = 0; i < 14; i++) {
    const x = Math.floor(random() * width);
    const y = Math.floor(random() * height);
    const size = Math.floor((0.08 + random() * 0.35) * height);
    const fill = `hsl(${hue()},${40 + Math.floor(random() * 50)}%,${25 + Math.floor(random() * 50)}%)`;
    shapes.push(
      random() < 0.5
        ? `<circle cx="${x}" cy="${y}" r="${size}" fill="${fill}" opacity="0.85"/>`
        : `<rect x="${x - size}" y="${y - size / 2}" width="${size * 2}" height="${size}" fill="${fill}" opacity="0.85" transform="rotate(${Math.floor(random() * 90)} ${x} ${y})"/>`,
    );
  }
  const direction = [
    'x1="0" y1="0" x2="1" y2="1"',
    'x1="1" y1="0" x2="0" y2="1"',
    'x1="0" y1="0" x2="1" y2="0"',
    'x1="0" y1="0" x2="0" y2="1"',
  ][Math.floor(random() * 4)];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" ${direction}><stop offset="0" stop-color="hsl(${hue()},60%,70%)"/><stop offset="1" stop-color="hsl(${hue()},60%,20%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 3 }).toBuffer();
}
