// Zoom and pan on the x axis (chartjs-plugin-zoom): drag across a chart to
// select an x range, ctrl+wheel to zoom about the pointer, shift+drag to
// pan; every change is handed on as the new x range so the view's other
// charts follow. The wheel needs ctrl so the page still scrolls over charts.

import type { Chart } from 'chart.js';
import type { ZoomPluginOptions } from 'chartjs-plugin-zoom/types/options';
import type { Range } from './scale';
import { withAlpha } from './theme';

export const ZOOM_HINT = 'drag: zoom to a range · ctrl+wheel: zoom · shift+drag: pan · double-click: reset';

/** The x range a chart shows after the user zoomed or panned it. */
export function shownX(chart: Pick<Chart, 'scales'>): Range | null {
  const x = chart.scales.x;
  return x && Number.isFinite(x.min) && Number.isFinite(x.max) ? { min: x.min, max: x.max } : null;
}

export function zoomOptions(accent: string, onRange: (r: Range | null) => void): ZoomPluginOptions {
  const hand = ({ chart }: { chart: Chart }) => onRange(shownX(chart));
  return {
    zoom: {
      mode: 'x',
      drag: { enabled: true, threshold: 6, backgroundColor: withAlpha(accent, 0.12), borderColor: accent, borderWidth: 1 },
      wheel: { enabled: true, modifierKey: 'ctrl', speed: 0.15 },
      onZoom: hand,
      onZoomComplete: hand,
    },
    pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPan: hand, onPanComplete: hand },
  };
}
