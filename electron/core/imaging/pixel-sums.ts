// Sums behind the local scorer's channel spread (imaging/decoded.ts): per channel the sum, the sum
// of squares and the maximum over every pixel, in one pass on plain local numbers.

/** Per channel: sum, sum of squares, maximum, over every pixel. */
export function channelTotals(data: Uint8Array, channels: number): Float64Array {
  const totals = new Float64Array(channels * 3);
  if (channels >= 3) sumPixels(data, 0, data.length, channels, totals);
  else for (let c = 0; c < channels; c++) sumChannel(data, c, data.length, channels, c, totals);
  return totals;
}

/** RGB or RGBA pixels from `from` to `end`, every channel in one pass on plain local numbers (a loop V8 keeps tight). */
function sumPixels(data: Uint8Array, from: number, end: number, channels: number, totals: Float64Array): void {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    q0 = 0,
    q1 = 0,
    q2 = 0,
    q3 = 0;
  let m0 = totals[2]!,
    m1 = totals[5]!,
    m2 = totals[8]!,
    m3 = channels === 4 ? totals[11]! : 0;
  const alpha = channels === 4 ? 3 : 0; // an RGB image reads its red twice as "alpha", then drops it
  for (let i = from; i < end; i += channels) {
    const r = data[i]!,
      g = data[i + 1]!,
      b = data[i + 2]!,
      a = data[i + alpha]!;
    s0 += r;
    s1 += g;
    s2 += b;
    s3 += a;
    q0 += r * r;
    q1 += g * g;
    q2 += b * b;
    q3 += a * a;
    if (r > m0) m0 = r;
    if (g > m1) m1 = g;
    if (b > m2) m2 = b;
    if (a > m3) m3 = a;
  }
  const add = [s0, q0, m0, s1, q1, m1, s2, q2, m2, s3, q3, m3];
  for (let c = 0; c < channels; c++) {
    totals[c * 3]! += add[c * 3]!;
    totals[c * 3 + 1]! += add[c * 3 + 1]!;
    totals[c * 3 + 2] = add[c * 3 + 2]!;
  }
}

function sumChannel(data: Uint8Array, from: number, end: number, step: number, c: number, totals: Float64Array): void {
  let sum = 0;
  let square = 0;
  let max = totals[c * 3 + 2]!;
  for (let i = from; i < end; i += step) {
    const value = data[i]!;
    sum += value;
    square += value * value;
    if (value > max) max = value;
  }
  totals[c * 3]! += sum;
  totals[c * 3 + 1]! += square;
  totals[c * 3 + 2] = max;
}
