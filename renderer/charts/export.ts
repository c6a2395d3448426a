// Charts as files: PNG (the canvas on the theme's background), SVG (drawn
// from the chart's own scales, so it matches what is on screen, with every
// point rather than the decimated ones) and CSV (the data, one row per point).

import type { Chart } from 'chart.js';
import type { Point } from '../../common/m4';

export interface ExportSeries {
  label: string;
  points: readonly Point[];
}

export function canvasToPng(canvas: HTMLCanvasElement, background: string): Promise<Blob> {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const g = out.getContext('2d')!;
  g.fillStyle = background;
  g.fillRect(0, 0, out.width, out.height);
  g.drawImage(canvas, 0, 0);
  return new Promise((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png'),
  );
}

export function seriesToCsv(series: readonly ExportSeries[], xName: string): string {
  const rows = [`series,${xName},value`];
  for (const s of series) {
    const label = /[",\n]/.test(s.label) ? `"${s.label.replace(/"/g, '""')}"` : s.label;
    for (const p of s.points) rows.push(`${label},${p.x},${p.y}`);
  }
  return rows.join('\n') + '\n';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r2 = (v: number) => Math.round(v * 100) / 100;

interface DatasetLike {
  label?: string;
  data: unknown;
  _data?: unknown;
  borderColor?: unknown;
  borderWidth?: unknown;
  borderDash?: unknown;
  showLine?: boolean;
  pointRadius?: unknown;
  backgroundColor?: unknown;
}

export function chartToSvg(chart: Chart, colors: { text: string; grid: string; background: string }, title: string): string {
  const { width, height, chartArea: area } = chart;
  const x = chart.scales.x,
    y = chart.scales.y;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="${esc(colors.background)}"/>`,
  ];
  for (const t of y.ticks) {
    const py = r2(y.getPixelForValue(t.value));
    parts.push(`<line x1="${r2(area.left)}" x2="${r2(area.right)}" y1="${py}" y2="${py}" stroke="${esc(colors.grid)}"/>`);
    parts.push(
      `<text x="${r2(area.left - 4)}" y="${py}" fill="${esc(colors.text)}" text-anchor="end" dominant-baseline="middle">${esc(String(t.label ?? ''))}</text>`,
    );
  }
  for (const t of x.ticks) {
    const px = r2(x.getPixelForValue(t.value));
    parts.push(`<line x1="${px}" x2="${px}" y1="${r2(area.top)}" y2="${r2(area.bottom)}" stroke="${esc(colors.grid)}"/>`);
    parts.push(
      `<text x="${px}" y="${r2(area.bottom + 14)}" fill="${esc(colors.text)}" text-anchor="middle">${esc(String(t.label ?? ''))}</text>`,
    );
  }
  parts.push(
    `<clipPath id="area"><rect x="${r2(area.left)}" y="${r2(area.top)}" width="${r2(area.right - area.left)}" height="${r2(area.bottom - area.top)}"/></clipPath><g clip-path="url(#area)">`,
  );
  chart.data.datasets.forEach((raw, i) => {
    if (!chart.isDatasetVisible(i)) return;
    const ds = raw as unknown as DatasetLike;
    const pts = (ds._data ?? ds.data) as Point[];
    const stroke = typeof ds.borderColor === 'string' ? ds.borderColor : colors.text;
    if (ds.showLine === false) {
      const rad = typeof ds.pointRadius === 'number' ? ds.pointRadius : 2;
      const fill = typeof ds.backgroundColor === 'string' ? ds.backgroundColor : stroke;
      for (const p of pts)
        if (Number.isFinite(p.y))
          parts.push(`<circle cx="${r2(x.getPixelForValue(p.x))}" cy="${r2(y.getPixelForValue(p.y))}" r="${rad}" fill="${esc(fill)}"/>`);
      return;
    }
    let d = '',
      pen = false;
    for (const p of pts) {
      const ok = Number.isFinite(p.y) && (y.type !== 'logarithmic' || p.y > 0);
      if (!ok) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${r2(x.getPixelForValue(p.x))} ${r2(y.getPixelForValue(p.y))}`;
      pen = true;
    }
    const dash = Array.isArray(ds.borderDash) && ds.borderDash.length ? ` stroke-dasharray="${ds.borderDash.join(' ')}"` : '';
    parts.push(
      `<path d="${d}" fill="none" stroke="${esc(stroke)}" stroke-width="${typeof ds.borderWidth === 'number' ? ds.borderWidth : 1.5}"${dash}/>`,
    );
  });
  parts.push('</g>');
  let lx = area.left;
  chart.data.datasets.forEach((raw, i) => {
    if (!chart.isDatasetVisible(i) || !raw.label) return;
    const c = typeof raw.borderColor === 'string' ? raw.borderColor : colors.text;
    parts.push(
      `<rect x="${r2(lx)}" y="4" width="10" height="10" fill="${esc(c)}"/><text x="${r2(lx + 14)}" y="13" fill="${esc(colors.text)}">${esc(raw.label)}</text>`,
    );
    lx += 24 + raw.label.length * 6.5;
  });
  parts.push('</svg>');
  return parts.join('\n');
}
