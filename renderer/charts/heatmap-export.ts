// A heatmap as SVG (one rect per cell, so it stays sharp at any size) and
// as CSV (the matrix, one line per row).

import { cssRgb, type Rgb } from './colormap';

export function heatmapToSvg(values: ArrayLike<number>, rows: number, cols: number, color: (v: number) => Rgb, title: string): string {
  const cell = Math.max(2, Math.min(16, Math.floor(800 / Math.max(rows, cols))));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * cell}" height="${rows * cell}" shape-rendering="crispEdges">`,
    `<title>${title.replace(/[<&>]/g, '')}</title>`,
  ];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      parts.push(`<rect x="${c * cell}" y="${r * cell}" width="${cell}" height="${cell}" fill="${cssRgb(color(values[r * cols + c]))}"/>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export function matrixToCsv(values: ArrayLike<number>, rows: number, cols: number, header?: readonly (string | number)[]): string {
  const lines = header ? [header.join(',')] : [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = new Array(cols);
    for (let c = 0; c < cols; c++) row[c] = String(values[r * cols + c]);
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
