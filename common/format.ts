// How counts and durations read, in the app and in the terminal alike.

/** 1234567 → "1,234,567" (toLocaleString is slow enough to matter in chart ticks). */
export function groupDigits(n: number): string {
  const s = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < s.length; i++) out += (i > 0 && (s.length - i) % 3 === 0 ? ',' : '') + s[i];
  return n < 0 ? `-${out}` : out;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1) return `${Math.max(1, Math.round(ms * 1000))} µs`;
  // each unit's cut-off is where rounding would carry into the next ("1000 ms", "60 s", "1 min 60 s")
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 9.95) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  if (whole < 60) return `${whole} s`;
  const m = Math.floor(whole / 60);
  if (m < 60) return `${m} min ${whole - m * 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A rate in three significant digits with an SI prefix: 152 k, 1.52 M, 950, 9.5; "—" when not known. */
export function formatRate(perSec: number | null): string {
  if (perSec === null || !Number.isFinite(perSec) || perSec < 0) return '—';
  const units = ['', ' k', ' M', ' G', ' T'];
  let i = 0,
    v = perSec;
  // move up a unit where three significant digits would round to 1000
  while (i < units.length - 1 && Number(v.toPrecision(3)) >= 1000) {
    v /= 1000;
    i++;
  }
  if (v === 0) return '0';
  const text = v >= 100 ? String(Math.round(v)) : Number(v.toPrecision(3)).toString();
  return `${text}${units[i]}`;
}
