// The user's view preferences, kept in localStorage: theme, smoothing
// (shared by every chart), whether charts ignore outliers when they choose
// their y range, and each chart's log or linear y axis.

import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

export type Theme = 'light' | 'dark';
const KEY = 'rnn-workbench.prefs';

interface Saved {
  theme: Theme;
  smoothing: number;
  smoothingOn: boolean;
  ignoreOutliers: boolean;
  /** Chart key → log y axis. */
  logScales: Record<string, boolean>;
}

function load(): Partial<Saved> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return typeof v === 'object' && v !== null ? (v as Partial<Saved>) : {};
  } catch {
    return {};
  }
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function booleans(v: unknown): Record<string, boolean> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'));
}

export const usePrefsStore = defineStore('prefs', () => {
  const saved = load();
  const theme = ref<Theme>(saved.theme === 'dark' || saved.theme === 'light' ? saved.theme : systemTheme());
  /** EMA weight in [0, 0.999]. */
  const smoothing = ref(typeof saved.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1 ? saved.smoothing : 0.9);
  const smoothingOn = ref(saved.smoothingOn ?? true);
  const ignoreOutliers = ref(saved.ignoreOutliers === true);
  const logScales = ref<Record<string, boolean>>(booleans(saved.logScales));

  watch(
    [theme, smoothing, smoothingOn, ignoreOutliers, logScales],
    () => {
      localStorage.setItem(
        KEY,
        JSON.stringify({
          theme: theme.value,
          smoothing: smoothing.value,
          smoothingOn: smoothingOn.value,
          ignoreOutliers: ignoreOutliers.value,
          logScales: logScales.value,
        } satisfies Saved),
      );
    },
    { deep: true },
  );
  watch(theme, (t) => document.documentElement.setAttribute('data-theme', t), { immediate: true });

  const toggleTheme = () => {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  };
  /** The weight the charts use: 0 when smoothing is off. */
  const effectiveSmoothing = () => (smoothingOn.value ? smoothing.value : 0);
  /** A chart's log axis as the user last left it, else its default. */
  const logScale = (key: string, fallback: boolean): boolean => logScales.value[key] ?? fallback;
  const setLogScale = (key: string, on: boolean) => {
    logScales.value = { ...logScales.value, [key]: on };
  };

  return { theme, smoothing, smoothingOn, ignoreOutliers, logScales, toggleTheme, effectiveSmoothing, logScale, setLogScale };
});
