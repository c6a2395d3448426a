// One queue of chart redraws for the whole page, run in animation frames
// with a time budget: when many charts want to redraw at once (they share
// a data source and a throttle), the work spreads over several frames
// instead of making one long frame.

const BUDGET_MS = 8;
const queue = new Set<() => void>();
let scheduled = false;

function run(): void {
  scheduled = false;
  const start = performance.now();
  for (const f of queue) {
    queue.delete(f);
    f();
    if (performance.now() - start > BUDGET_MS) break;
  }
  if (queue.size) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(run);
}

/** Draw in a coming frame (once, however often it is asked for before then). */
export function scheduleDraw(draw: () => void): void {
  queue.add(draw);
  schedule();
}

export function cancelDraw(draw: () => void): void {
  queue.delete(draw);
}
