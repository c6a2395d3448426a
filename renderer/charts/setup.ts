// chart.js with only the parts the workbench draws (tree-shaken), and the
// defaults every chart shares: no animation (live data would never settle),
// pre-parsed sorted points, min/max decimation to the pixel width, and
// zoom and pan on x (charts/zoom.ts).

import {
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';

let done = false;

export function setupCharts(): typeof Chart {
  if (done) return Chart;
  done = true;
  Chart.register(
    LineController,
    ScatterController,
    LineElement,
    PointElement,
    LinearScale,
    LogarithmicScale,
    Decimation,
    Filler,
    Legend,
    Tooltip,
    zoomPlugin,
  );
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.font.size = 11;
  return Chart;
}
