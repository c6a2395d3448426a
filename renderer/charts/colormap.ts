// Colour scales for heatmaps. Diverging (blue–white–red, symmetric around
// zero) for weights and hidden states; sequential (viridis) for counts.
// Each maps a value to RGB bytes.

export type Rgb = [number, number, number];

const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
  [253, 231, 37],
];
const BLUE: Rgb = [33, 102, 172],
  WHITE: Rgb = [247, 247, 247],
  RED: Rgb = [178, 24, 43];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** t in [0, 1]. */
export function viridis(t: number): Rgb {
  if (!(t > 0)) return VIRIDIS[0];
  if (t >= 1) return VIRIDIS[VIRIDIS.length - 1];
  const f = t * (VIRIDIS.length - 1);
  const i = Math.floor(f);
  return mix(VIRIDIS[i], VIRIDIS[i + 1], f - i);
}

/** v in [−limit, limit]; NaN is grey. */
export function diverging(v: number, limit: number): Rgb {
  if (Number.isNaN(v)) return [128, 128, 128];
  const t = limit > 0 ? Math.max(-1, Math.min(1, v / limit)) : 0;
  return t < 0 ? mix(WHITE, BLUE, -t) : mix(WHITE, RED, t);
}

export function cssRgb(c: Rgb): string {
  return `rgb(${Math.round(c[0])},${Math.round(c[1])},${Math.round(c[2])})`;
}
