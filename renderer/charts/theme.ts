// Chart colours come from the page's CSS variables, so charts follow the
// light or dark theme; series colours are a fixed palette that reads on
// both (Okabe–Ito, safe for colour-blind readers).

export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#7f7f7f', '#b8a000', '#332288', '#44aa99'];

export const MATRIX_COLORS: Record<string, string> = { U: '#0072b2', W: '#d55e00', V: '#009e73', b: '#cc79a7', c: '#e69f00' };

export interface ChartColors {
  text: string;
  grid: string;
  background: string;
  accent: string;
}

export function chartColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { text: v('--muted', '#555'), grid: v('--grid', '#e5e5e5'), background: v('--panel', '#fff'), accent: v('--accent', '#0072b2') };
}

/** A colour with alpha (for the faint raw line under the smoothed one). */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}
