// Redraw at most every `minMs`, however often data arrives, in the page's
// shared frame queue (so charts that change together do not all draw in
// one frame). Skipped while the page is hidden and caught up on return;
// cancelled when the component unmounts.

import { onUnmounted } from 'vue';
import { cancelDraw, scheduleDraw } from '../charts/frame-scheduler';

export function useThrottledRedraw(draw: () => void, minMs = 120): { request: () => void; now: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let queued = false;
  let last = 0;

  const run = () => {
    queued = false;
    last = performance.now();
    draw();
  };

  const enqueue = () => {
    timer = null;
    if (document.visibilityState === 'hidden') return;
    queued = true;
    scheduleDraw(run);
  };

  const request = () => {
    if (queued || timer) return;
    const wait = minMs - (performance.now() - last);
    if (wait > 0) timer = setTimeout(enqueue, wait);
    else enqueue();
  };

  const onVisible = () => {
    if (document.visibilityState === 'visible') request();
  };
  document.addEventListener('visibilitychange', onVisible);

  onUnmounted(() => {
    if (timer) clearTimeout(timer);
    cancelDraw(run);
    document.removeEventListener('visibilitychange', onVisible);
  });

  return {
    request,
    now: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      cancelDraw(run);
      run();
    },
  };
}
